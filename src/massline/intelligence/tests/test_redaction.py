"""Redaction of what the public reads: personal numbers, names and precise addresses are masked, ordinary numbers
(dates, sums, document numbers, bus lines, floors and buildings alone) are not, and the labelled set's figures hold."""

from __future__ import annotations

import pytest

from massline.intelligence.redaction import id_number_valid, luhn_valid, redact
from massline.intelligence.redaction_eval import build_samples, score


@pytest.mark.parametrize(
    ("text", "masked"),
    [
        ("身份证号110101199003074514，", "身份证号[身份证号]，"),
        ("电话138-0013-8000和+86 13900139000", "电话[手机号]和[手机号]"),
        ("座机(0731)84561234", "座机[电话]"),
        ("工资卡6222 0212 3456 7890 128", "工资卡[卡号]"),
        ("邮箱 zhang.wei8@163.com", "邮箱 [邮箱]"),
        ("我叫张伟，联系人：欧阳晓明，本人李娜系该厂员工", "我叫某某，联系人：某某，本人某某系该厂员工"),
        ("王女士说", "某女士说"),
        ("家住和平路12号3栋2单元501室", "家住和平路*号*栋*单元*室"),
        ("芙蓉中路72号", "芙蓉中路*号"),
    ],
)
def test_personal_data_is_masked(text: str, masked: str) -> None:
    assert redact(text) == masked


@pytest.mark.parametrize(
    "text",
    [
        "2019年12月3日交了1500元押金",
        "根据湘政发〔2019〕12号文件",
        "坐12路公交车，3月4号去9号窗口",
        "9栋的业主反映一楼漏水",
        "小区里大约有300户人家，房子是2室1厅",
        "我是本小区业主，本人曾经多次反映",
        "G4京港澳高速出口往东2公里",
    ],
)
def test_ordinary_numbers_and_words_stay(text: str) -> None:
    assert redact(text) == text


def test_check_digits() -> None:
    assert id_number_valid("110101199003074514") and not id_number_valid("110101199003074515")
    assert luhn_valid("4539578763621486") and not luhn_valid("4539578763621487")


def test_the_labelled_set_is_redacted_with_high_precision_and_recall() -> None:
    result = score(build_samples(1500, seed=3))
    assert sum(result.planted.values()) > 2500
    assert result.recall >= 0.98 and result.precision >= 0.97
    for kind in ("id_number", "bank_card", "phone", "email", "name", "address"):
        assert result.recall_of(kind) >= 0.95, kind
