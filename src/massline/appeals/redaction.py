"""Masking personal data in text that the public reads (replies on the tracking page, the public case wall).
A pattern-based pass: mobile and landline numbers, Chinese ID numbers, bank-card-like digit runs, e-mail
addresses, house and room numbers of precise addresses, surnames before an honorific (王女士 → 某女士), and
any names the caller knows (the citizen's own name, the representatives'). Names written bare in free text
need the fuller redaction of the intelligence app."""

from __future__ import annotations

import re
from collections.abc import Iterable

_PATTERNS = [
    (re.compile(r"(?<!\d)\d{17}[\dXx](?!\d)"), "[身份证号]"),  # resident ID number
    (re.compile(r"(?<!\d)\d{15,19}(?!\d)"), "[卡号]"),  # bank cards and other long numbers
    (re.compile(r"(?<!\d)1[3-9]\d{9}(?!\d)"), "[手机号]"),  # mobile numbers
    (re.compile(r"(?<!\d)0\d{2,3}-?\d{7,8}(?!\d)"), "[电话]"),  # landlines with area code
    (re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+"), "[邮箱]"),
]
# Precise addresses: the numbers of buildings, entrances, floors and rooms (the street stays readable).
_ADDRESS = re.compile(r"[0-9０-９一二三四五六七八九十百零〇-]+\s*(号楼|号院|栋|幢|单元|层|楼|室|户|弄|号)")
_HONORIFIC = re.compile(r"[\u4e00-\u9fa5](先生|女士|小姐|阿姨|大爷|大妈|师傅|老师)")


def mask_personal_data(text: str) -> str:
    for pattern, replacement in _PATTERNS:
        text = pattern.sub(replacement, text)
    return text


def mask_for_publication(text: str, *, names: Iterable[str] = ()) -> str:
    """Stronger masking for the public case wall: personal numbers, precise addresses and names."""
    for name in sorted({n.strip() for n in names if n and len(n.strip()) >= 2}, key=len, reverse=True):
        text = text.replace(name, "某某")
    text = mask_personal_data(text)
    text = _ADDRESS.sub(lambda m: "*" + m.group(1), text)
    return _HONORIFIC.sub(lambda m: "某" + m.group(1), text)
