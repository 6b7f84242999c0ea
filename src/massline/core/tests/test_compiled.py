"""A query compiled once gives what the ORM gives, value after value, with the ORM's conversions."""

from decimal import Decimal
from typing import Any

import pytest

from massline.appeals.models import Appeal
from massline.core.compiled import CompiledValues
from massline.open311.tests.test_open311 import _appeal

FIELDS = ("pk", "tracking_code", "received_at", "latitude", "category__code", "lead_unit__name_zh", "contact__name")


def test_rows_are_those_of_the_orm_for_each_value(city: Any) -> None:
    pinned = _appeal(city, "和平路坑洼", latitude=Decimal("30.123456"), longitude=Decimal("114.654321"))
    plain = _appeal(city, "东风路坑洼", contact=None, anonymous=True)
    compiled = CompiledValues(lambda code: Appeal.objects.filter(tracking_code=code).values(*FIELDS))
    for appeal in (pinned, plain, pinned):  # compiled on the first call, run again afterwards
        expected = list(Appeal.objects.filter(tracking_code=appeal.tracking_code).values(*FIELDS))
        assert compiled.rows(appeal.tracking_code) == expected
    row = compiled.rows(pinned.tracking_code)[0]
    assert row["latitude"] == Decimal("30.123456") and row["received_at"] == pinned.received_at  # converted
    assert row["received_at"].tzinfo is not None
    assert compiled.rows("2611-NONE-XXXX") == []


@pytest.mark.django_db
def test_a_query_must_use_its_value_exactly_once() -> None:
    twice = CompiledValues(lambda code: Appeal.objects.filter(tracking_code=code, title=code).values("pk"))
    never = CompiledValues(lambda code: Appeal.objects.values("pk"))
    for compiled in (twice, never):
        with pytest.raises(ValueError, match="use its value once"):
            compiled.rows("x")
