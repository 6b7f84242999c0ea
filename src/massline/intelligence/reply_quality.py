"""Does an official reply really answer the citizen? A score from 0 to 100 with the reasons, shown to the handler
before the reply goes out and to the supervisor after.

The checks, each worth its weight when passed:

- **relevance** (25): the reply speaks of what the appeal speaks of — shared content bigrams;
- **requests answered** (20): each request sentence of the appeal (希望… / 要求… / 能否… / 为什么…) finds its words
  in the reply; the share answered counts;
- **measures** (15): what was or will be done (已安排 / 责令 / 整改 / 将于 …);
- **basis** (10): on what grounds (根据 / 依据 / 《…》 / 第…条 / 规定);
- **time** (10): when (a date, "3个工作日内", 月底 …);
- **reasons for "not supported"** (10): a refusal says why (因为 / 由于 / 不符合…规定); passes when nothing is refused;
- **politeness** (5): a greeting or thanks, and no brush-off (不归我们管 / 自己去找 …);
- **not boilerplate** (5): long enough, and not mostly stock phrases (已收悉 / 高度重视 / 转相关部门 …).

Measured on the shared set's 2,816 real replies: bench/bench_reply_quality.py (figures in docs/intelligence.md)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from .text import text_bigrams

_REQUEST = re.compile(
    r"[^。！？!?；;\n]*(?:希望|要求|请求|恳请|请|建议|能否|可否|是否|为什么|为何|何时|怎么|如何)[^。！？!?；;\n]*"
)
_MEASURES = re.compile(
    r"已(?:经)?(?:安排|责令|督促|要求|协调|处理|修复|整改|清理|查处|约谈|立案|落实|完成|下发|派|组织|联系|对接|拆除|更换|恢复)"
    r"|将(?:于|在|尽快|及时|继续|加快|督促|安排|组织)|正在|现场(?:核实|查看|勘查|检查)|(?:调查|核实)(?:了|后|发现)|责令|整改|拆除|立案"
)
_BASIS = re.compile(r"根据|依据|按照|依照|《[^》]{2,40}》|第[一二三四五六七八九十百零〇\d]+条|规定|政策|标准")
_TIME = re.compile(
    r"\d{4}年|\d{1,2}月\d{1,2}日|\d{1,2}月(?:底|初|中旬|上旬|下旬)|[0-9一二三四五六七八九十两]+个?(?:工作日|日|天|周|星期|月)(?:内|前|后)"
    r"|月底|年底|近期|目前|已于|日前|同日|当天|次日"
)
_REFUSED = re.compile(r"不予(?:支持|受理|采纳)|不符合|不属于|无法满足|不能满足|不予办理|暂不")
_REASON = re.compile(r"因为|由于|鉴于|根据|依据|按照|不符合[^。]{0,30}(?:规定|条件|要求|标准)")
_POLITE = re.compile(r"您好|你好|感谢|谢谢|请您|敬请|如有疑问|欢迎|理解|支持")
_RUDE = re.compile(r"不归我们管|与我们无关|自己去找|别再打|少来|无理取闹|你们自己")
_STOCK = (
    "已收悉", "高度重视", "认真研究", "转相关部门", "转交相关部门", "相关部门", "进一步", "加强", "感谢您",
    "关心和支持", "特此答复", "现答复如下", "网友您好", "您好", "留言", "反映的问题", "予以关注",
)  # fmt: skip
_STOCK_BIGRAMS = frozenset().union(*(text_bigrams(phrase) for phrase in _STOCK))
MIN_LENGTH = 40


@dataclass(frozen=True)
class Check:
    name: str
    weight: int
    passed: float  # 0–1
    message: str

    @property
    def points(self) -> int:
        return round(self.weight * self.passed)


@dataclass(frozen=True)
class ReplyQuality:
    score: int  # 0–100
    checks: list[Check]

    @property
    def problems(self) -> list[Check]:
        return [check for check in self.checks if check.passed < 1]

    def as_data(self) -> dict[str, object]:
        return {"score": self.score, "failed": [check.name for check in self.problems]}


def requests_in(appeal_text: str) -> list[str]:
    return [match.group(0).strip() for match in _REQUEST.finditer(appeal_text) if len(match.group(0).strip()) >= 4]


def _answers(request: str, reply_grams: frozenset[str]) -> bool:
    """A request counts as answered when the reply takes up its words: two of them, or one for a short request
    (希望尽快修好路灯 ↔ …路灯已恢复照明)."""
    words = text_bigrams(request) - _STOCK_BIGRAMS
    shared = len(words & reply_grams)
    return shared >= 2 or (shared == 1 and len(words) <= 8)


def reply_quality(*, appeal_text: str, reply: str, not_supported: bool = False) -> ReplyQuality:
    """Score ``reply`` as an answer to ``appeal_text``; ``not_supported`` when the outcome refuses the request."""
    appeal_grams, reply_grams = text_bigrams(appeal_text), text_bigrams(reply)
    content = appeal_grams - _STOCK_BIGRAMS
    shared = len(content & reply_grams)
    relevance = min(1.0, shared / max(3, min(len(content), len(reply_grams)) * 0.15)) if content else 1.0
    asked = requests_in(appeal_text)
    answered = [request for request in asked if _answers(request, reply_grams)]
    refused = not_supported or bool(_REFUSED.search(reply))
    stock_share = len(reply_grams & _STOCK_BIGRAMS) / max(1, len(reply_grams))
    boilerplate = len(reply.strip()) < MIN_LENGTH or stock_share > 0.5
    checks = [
        Check("relevance", 25, round(relevance, 2), str(_("The reply hardly mentions what the appeal is about."))),
        Check(
            "requests",
            20,
            round(len(answered) / len(asked), 2) if asked else 1.0,
            str(
                _("Not every request of the citizen is answered (%(answered)d of %(asked)d).")
                % {"answered": len(answered), "asked": len(asked)}
            ),
        ),  # fmt: skip
        Check("measures", 15, float(bool(_MEASURES.search(reply))), str(_("Say what was done or will be done."))),
        Check("basis", 10, float(bool(_BASIS.search(reply))), str(_("Give the rule or policy the answer rests on."))),
        Check("time", 10, float(bool(_TIME.search(reply))), str(_("Say when it was done or will be done."))),
        Check(
            "reasons",
            10,
            float(not refused or bool(_REASON.search(reply))),
            str(_("A request that is not supported needs its reasons.")),
        ),
        Check(
            "politeness",
            5,
            float(bool(_POLITE.search(reply)) and not _RUDE.search(reply)),
            str(_("Greet or thank the citizen, and never brush them off.")),
        ),
        Check("boilerplate", 5, float(not boilerplate), str(_("The reply is mostly stock phrases or too short."))),
    ]
    return ReplyQuality(sum(check.points for check in checks), checks)
