"""Masking personal data in text that the public reads (replies on the tracking page). A first, pattern-based
pass: mobile and landline numbers, Chinese ID numbers, bank-card-like digit runs and e-mail addresses. Names
and precise addresses need the fuller redaction of the intelligence app."""

import re

_PATTERNS = [
    (re.compile(r"(?<!\d)\d{17}[\dXx](?!\d)"), "[身份证号]"),  # resident ID number
    (re.compile(r"(?<!\d)\d{15,19}(?!\d)"), "[卡号]"),  # bank cards and other long numbers
    (re.compile(r"(?<!\d)1[3-9]\d{9}(?!\d)"), "[手机号]"),  # mobile numbers
    (re.compile(r"(?<!\d)0\d{2,3}-?\d{7,8}(?!\d)"), "[电话]"),  # landlines with area code
    (re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+"), "[邮箱]"),
]


def mask_personal_data(text: str) -> str:
    for pattern, replacement in _PATTERNS:
        text = pattern.sub(replacement, text)
    return text
