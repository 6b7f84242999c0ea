"""Finding personal data in Chinese (and English) text, for everything the public reads.

``find_personal_data`` returns typed spans; ``redact`` replaces them with a bracketed label. What is found:

- ``id_number``: resident ID numbers, 18 digits (the last may be X) with a valid ISO 7064 check digit and a real
  birth date, or the older 15-digit form with a real birth date;
- ``bank_card``: 15–19 digit runs (spaces or dashes allowed every 4) that pass the Luhn check, and any other
  15–19 digit run, which is too long to be anything but an account, card or ID number;
- ``phone``: mobile numbers (optionally +86, with spaces or dashes) and landlines with their area code;
- ``email``;
- ``name``: the names the caller knows (the citizen's, the representatives'), a common surname followed by one
  or two characters after "我叫 / 我是 / 姓名 / 联系人 / 本人 / 户主 …", and a surname before an honorific
  (王女士 → 某女士);
- ``address``: the precise part of an address — building, entrance, floor, room and house numbers — while the
  street and the estate stay readable.

Precision and recall are measured on a labelled set built from real messages with real-shaped personal data
(``bench/bench_redaction.py``; docs/intelligence.md)."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass

LABELS = {
    "id_number": "[身份证号]",
    "bank_card": "[卡号]",
    "phone": "[电话]",
    "email": "[邮箱]",
    "name": "某某",
    "address": "*",
}

# The commonest surnames (about 85% of the population), and compound ones.
SURNAMES = set(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪"
    "范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤常温康施文牛樊葛邢安齐易乔伍庞颜"
    "倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞左柳甘祝包宁尚符舒阮柯纪梅童凌毕单季裴霍涂成苗谷盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲房"
    "滕屈饶解牟艾尤阳时穆农司卓古吉缪简车项连芦麦褚娄窦戚岑景党宫费卜冷晏席卫米柏宗瞿桂全佟应臧闵苟邬边卞姬师和仇栾隋商刁沙"
    "荣巫寇桑郎甄丛仲虞敖巩明佘池查麻苑迟邝"
)
COMPOUND_SURNAMES = (
    "欧阳",
    "司马",
    "上官",
    "诸葛",
    "东方",
    "皇甫",
    "尉迟",
    "公孙",
    "慕容",
    "长孙",
    "宇文",
    "司徒",
    "令狐",
)
_HAN = "\u4e00-\u9fa5"
_INTRO = r"(?:我叫|我是|本人|姓名|名字|联系人|户主|申请人|投诉人|举报人|当事人|签名|署名)[:：是为\s]{0,2}"
_NAME_AFTER_INTRO = re.compile(_INTRO + rf"((?:{'|'.join(COMPOUND_SURNAMES)})[{_HAN}]{{1,2}}|[{_HAN}]{{2,3}})")
_HONORIFIC = re.compile(rf"([{_HAN}])(?=先生|女士|小姐|阿姨|大爷|大妈|师傅|老师|同志)")
# Words that follow "我是" but are not names.
_NOT_NAMES = re.compile(
    rf"^(?:[{_HAN}]?(?:市民|居民|业主|村民|家长|学生|老师|租户|员工|职工|群众|患者|司机|商户|本地|外地|一名|一个|该|这|农民|工人|军人|党员|老人))"
    r"|^(?:曾经|曾在|连续|于是|于\d|一直|多次|自己|现在|已经|也是|还是|本人|全家|家住|单位|公司|目前|今年|去年)"
)
# After "本人" and "我是" a name ends the phrase (本人王伟，… / 我是李娜系…); other words are not names.
_AFTER_NAME = re.compile(r"[，,。、；;：:\s（(]|系|是|家住|现住|住在|身份证|电话|手机|$")

_ID18 = re.compile(r"(?<![\dA-Za-z])(\d{6})(\d{8})(\d{3})([\dXx])(?![\dA-Za-z])")
_ID15 = re.compile(r"(?<![\dA-Za-z])\d{6}(\d{6})\d{3}(?![\dA-Za-z])")
_LONG_DIGITS = re.compile(r"(?<![\dA-Za-z])\d{4}(?:[ -]?\d){11,15}(?![\dA-Za-z])")
_MOBILE = re.compile(r"(?<![\dA-Za-z])(?:\+?86[ -]?)?1[3-9]\d(?:[ -]?\d){8}(?![\dA-Za-z])")
_LANDLINE = re.compile(r"(?<![\dA-Za-z])(?:\(?0\d{2,3}\)?[ -]?)\d{7,8}(?:-\d{1,5})?(?![\dA-Za-z])")
_EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+")
_NUMBER = r"[0-9０-９一二三四五六七八九十百零〇]+"
_NUMBER_RUN = re.compile(_NUMBER)
_UNIT = rf"{_NUMBER}\s*(?:号楼|号院|栋|幢|单元|层|楼|室|号|弄)"
# Precise addresses: two or more address numbers in a row (3栋2单元, 5楼505室, 14栋1103), a room on its own
# (501室), or a house number right after a road (人民路72号). A building, a floor or a day of the month alone
# ("9栋的业主", "一楼", "3月4号") says too little to find a person and is left.
_ADDRESS = re.compile(
    rf"{_UNIT}(?:\s*[-－]?\s*(?:{_UNIT}|\d{{3,4}}(?!\d)))+"
    rf"|{_NUMBER}\s*室(?!\d?厅)"
    rf"|(?<=[路街巷道里])\d{{1,4}}(?:-\d{{1,4}})?号(?![窗线文令元院楼])"
)
_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    kind: str


def _real_date(text: str) -> bool:
    try:
        day = dt.date(int(text[:4]), int(text[4:6]), int(text[6:8]))
    except ValueError:
        return False
    return dt.date(1900, 1, 1) <= day <= dt.date.today()


def id_number_valid(number: str) -> bool:
    """An 18-digit resident ID number with a real birth date and a correct check digit."""
    if len(number) != 18 or not number[:17].isdigit() or not _real_date(number[6:14]):
        return False
    total = sum(int(digit) * weight for digit, weight in zip(number[:17], _ID_WEIGHTS, strict=True))
    return _ID_CHECK[total % 11] == number[17].upper()


def luhn_valid(digits: str) -> bool:
    total = 0
    for index, char in enumerate(reversed(digits)):
        value = int(char)
        if index % 2 == 1:
            value = value * 2 - 9 if value > 4 else value * 2
        total += value
    return total % 10 == 0


def find_personal_data(text: str, *, names: Iterable[str] = ()) -> list[Span]:
    """Every piece of personal data found in ``text``, without overlaps (the earliest, then the longest wins)."""
    spans: list[Span] = []
    for name in {n.strip() for n in names if n and len(n.strip()) >= 2}:
        spans += [Span(m.start(), m.end(), "name") for m in re.finditer(re.escape(name), text)]
    spans += [Span(m.start(), m.end(), "email") for m in _EMAIL.finditer(text)]
    for match in _ID18.finditer(text):
        if id_number_valid(match.group(0)) or _real_date(match.group(2)):
            spans.append(Span(match.start(), match.end(), "id_number"))
    for match in _ID15.finditer(text):
        if _real_date("19" + match.group(1)):
            spans.append(Span(match.start(), match.end(), "id_number"))
    spans += [Span(m.start(), m.end(), "bank_card") for m in _LONG_DIGITS.finditer(text)]
    spans += [Span(m.start(), m.end(), "phone") for m in _MOBILE.finditer(text)]
    spans += [Span(m.start(), m.end(), "phone") for m in _LANDLINE.finditer(text)]
    for match in _NAME_AFTER_INTRO.finditer(text):
        name = match.group(1)
        if not _is_person_name(name):
            continue
        start = match.start(1)
        end = start + _name_length(name)
        if match.group(0).startswith(("本人", "我是")) and not _AFTER_NAME.match(text, end):
            end = start + 2 if _AFTER_NAME.match(text, start + 2) else 0
            if not end:
                continue
        spans.append(Span(start, end, "name"))
    spans += [Span(m.start(), m.end(), "name") for m in _HONORIFIC.finditer(text) if m.group(1) in SURNAMES]
    spans += [Span(m.start(), m.end(), "address") for m in _ADDRESS.finditer(text)]
    return _without_overlaps(spans)


def _is_person_name(candidate: str) -> bool:
    if _NOT_NAMES.match(candidate):
        return False
    return candidate[:2] in COMPOUND_SURNAMES or candidate[0] in SURNAMES


def _name_length(candidate: str) -> int:
    """Two or three characters, or three or four with a compound surname; a trailing particle is not the name."""
    length = len(candidate)
    while length > 2 and candidate[length - 1] in "的了在是和与住家说":
        length -= 1
    return length


def _without_overlaps(spans: list[Span]) -> list[Span]:
    chosen: list[Span] = []
    for span in sorted(spans, key=lambda s: (s.start, -(s.end - s.start))):
        if chosen and span.start < chosen[-1].end:
            continue
        chosen.append(span)
    return chosen


def redact(text: str, *, names: Iterable[str] = (), kinds: Iterable[str] | None = None) -> str:
    """``text`` with the personal data found replaced: numbers and e-mail addresses by a bracketed label, names by
    某某 (a surname before an honorific by 某), the precise part of an address by * and its unit word."""
    wanted = set(kinds) if kinds is not None else set(LABELS)
    pieces: list[str] = []
    last = 0
    for span in find_personal_data(text, names=names):
        if span.kind not in wanted:
            continue
        pieces.append(text[last : span.start])
        original = text[span.start : span.end]
        if span.kind == "address":
            pieces.append(_NUMBER_RUN.sub("*", original))  # 3栋2单元501室 → *栋*单元*室
        elif span.kind == "phone" and re.sub(r"\D", "", original).removeprefix("86").startswith("1"):
            pieces.append("[手机号]")
        elif span.kind == "name" and len(original) == 1:
            pieces.append("某")
        else:
            pieces.append(LABELS[span.kind])
        last = span.end
    pieces.append(text[last:])
    return "".join(pieces)
