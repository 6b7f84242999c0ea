"""A labelled set for measuring redaction, built with real-shaped personal data, and its scoring.

Each sample is a host text (a real citizen message when given, else a plain sentence), followed by snippets that
carry personal data of a known kind at known places — ID numbers with valid check digits, mobile numbers in the
ways people write them, landlines, Luhn-valid card numbers, e-mail addresses, names after the phrases citizens
use, precise addresses — and snippets of numbers that are *not* personal data (dates, sums, document numbers,
bus lines, counts, times). Recall is the share of planted items wholly redacted; precision the share of
redactions inside the snippets that cover a planted item. What the redactor finds in the host texts themselves
is counted apart (its truth is unknown)."""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass, field

from .redaction import COMPOUND_SURNAMES, find_personal_data, luhn_valid

_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_REGIONS = ("110101", "310104", "430102", "440305", "510107", "320106", "330102", "420103", "610113", "370102")
_MOBILE_PREFIXES = ("130", "133", "135", "138", "139", "150", "152", "158", "166", "176", "180", "186", "189", "199")
_GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀英华玉兰桂珍建国志红霞平刚桂英文斌辉鹏宇浩然子涵梓萱一诺欣怡"
_SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董"
_ROADS = ("和平路", "解放大道", "人民南路", "建设街", "五一路", "芙蓉中路", "新华东街", "长青巷")
_ESTATES = ("幸福小区", "阳光花园", "锦绣家园", "金色港湾", "翠苑三区")
HOSTS = (
    "小区门口的路灯坏了一个多月，晚上出行很不方便，希望有关部门尽快修理。",
    "楼下餐馆油烟太大，每天中午和晚上都影响居民开窗通风。",
    "我家孩子今年上小学，想咨询一下入学需要准备哪些材料。",
    "单位拖欠工资已经三个月了，多次找老板都没有结果。",
)
DISTRACTORS = (
    "2019年12月3日我去办理过一次",
    "一共交了1500元押金",
    "根据湘政发〔2019〕12号文件",
    "坐12路公交车到站后步行5分钟",
    "小区里大约有300户人家",
    "每天早上7:30开始施工",
    "G4京港澳高速出口往东2公里",
    "编号为A2020-0315的通知",
    "已经反映了3次",
    "工资标准每月3200元",
)


@dataclass
class Sample:
    text: str
    planted: list[tuple[int, int, str]]  # start, end, kind
    snippet_from: int  # where the host text ends


@dataclass
class Score:
    planted: dict[str, int] = field(default_factory=dict)
    found: dict[str, int] = field(default_factory=dict)
    redactions: int = 0
    correct_redactions: int = 0
    in_hosts: int = 0

    @property
    def recall(self) -> float:
        return sum(self.found.values()) / max(1, sum(self.planted.values()))

    @property
    def precision(self) -> float:
        return self.correct_redactions / max(1, self.redactions)

    def recall_of(self, kind: str) -> float:
        return self.found.get(kind, 0) / max(1, self.planted.get(kind, 0))


def _id_number(rng: random.Random) -> str:
    body = rng.choice(_REGIONS) + f"{rng.randint(1950, 2005)}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}"
    body += f"{rng.randint(0, 999):03d}"
    total = sum(int(d) * w for d, w in zip(body, _ID_WEIGHTS, strict=True))
    return body + "10X98765432"[total % 11]


def _mobile(rng: random.Random) -> str:
    digits = rng.choice(_MOBILE_PREFIXES) + "".join(rng.choice("0123456789") for _ in range(8))
    style = rng.randrange(4)
    if style == 1:
        return f"{digits[:3]}-{digits[3:7]}-{digits[7:]}"
    if style == 2:
        return f"{digits[:3]} {digits[3:7]} {digits[7:]}"
    if style == 3:
        return f"+86 {digits}"
    return digits


def _landline(rng: random.Random) -> str:
    area = rng.choice(("010", "021", "0731", "0755", "028"))
    number = "".join(rng.choice("0123456789") for _ in range(8 if len(area) == 3 else 7))
    number = str(rng.randint(2, 8)) + number[1:]
    return rng.choice((f"{area}-{number}", f"({area}){number}", f"{area}{number}"))


def _card(rng: random.Random) -> str:
    while True:
        digits = rng.choice(("622202", "621700", "436742", "622848")) + "".join(
            rng.choice("0123456789") for _ in range(rng.choice((10, 13)))
        )
        if luhn_valid(digits):
            break
    if rng.random() < 0.5:
        return " ".join(digits[i : i + 4] for i in range(0, len(digits), 4))
    return digits


def _email(rng: random.Random) -> str:
    user = rng.choice(("wangli", "zhang.wei", "liu_min", "chenjing88", "yang2020"))
    return f"{user}{rng.randint(1, 99)}@{rng.choice(('qq.com', '163.com', 'example.cn', 'sina.com'))}"


def _name(rng: random.Random) -> str:
    surname = rng.choice(COMPOUND_SURNAMES[:3]) if rng.random() < 0.05 else rng.choice(_SURNAMES)
    return surname + "".join(rng.choice(_GIVEN) for _ in range(rng.choice((1, 2))))


def _plant(rng: random.Random) -> tuple[str, str, str]:
    """(text before, the personal data, its kind); the item is followed by a comma."""
    kind = rng.choice(("id_number", "phone", "landline", "bank_card", "email", "name", "honorific", "address"))
    if kind == "id_number":
        return rng.choice(("身份证号", "身份证号码：", "我的身份证是")), _id_number(rng), kind
    if kind == "phone":
        return rng.choice(("电话", "联系电话：", "手机", "请打我电话")), _mobile(rng), kind
    if kind == "landline":
        return rng.choice(("座机", "办公电话：")), _landline(rng), "phone"
    if kind == "bank_card":
        return rng.choice(("银行卡号", "工资卡", "卡号：")), _card(rng), kind
    if kind == "email":
        return rng.choice(("邮箱", "电子邮件：")), _email(rng), kind
    if kind == "name":
        return rng.choice(("我叫", "联系人：", "本人", "投诉人：", "我是")), _name(rng), kind
    if kind == "honorific":
        return "", rng.choice(_SURNAMES), "name"  # followed by 女士 below
    road, estate = rng.choice(_ROADS), rng.choice(_ESTATES)
    precise = f"{rng.randint(1, 300)}号{rng.randint(1, 30)}栋{rng.randint(1, 6)}单元{rng.randint(101, 2802)}室"
    return f"家住{road}{estate}", precise, "address"


def build_samples(count: int, *, hosts: Sequence[str] = HOSTS, seed: int = 0) -> list[Sample]:
    rng = random.Random(seed)  # noqa: S311  (a reproducible test set, not a secret)
    samples = []
    for _ in range(count):
        text = rng.choice(hosts)
        snippet_from = len(text)
        planted = []
        for _item in range(rng.randint(1, 3)):
            before, value, kind = _plant(rng)
            text += ("，" if text else "") + before
            planted.append((len(text), len(text) + len(value), kind))
            text += value
            if before == "":  # a surname before an honorific
                text += rng.choice(("女士", "先生", "师傅"))
            text += "，" + rng.choice(DISTRACTORS)
        samples.append(Sample(text + "。", planted, snippet_from))
    return samples


def score(samples: Sequence[Sample]) -> Score:
    result = Score()
    for sample in samples:
        spans = find_personal_data(sample.text)
        for start, end, kind in sample.planted:
            result.planted[kind] = result.planted.get(kind, 0) + 1
            covered = sum(max(0, min(end, s.end) - max(start, s.start)) for s in spans)
            if covered >= end - start:
                result.found[kind] = result.found.get(kind, 0) + 1
        for span in spans:
            if span.end <= sample.snippet_from:
                result.in_hosts += 1
                continue
            result.redactions += 1
            if any(span.start < end and start < span.end for start, end, _kind in sample.planted):
                result.correct_redactions += 1
    return result
