"""Keyset pages: walking every page gives every row exactly once, in order, when many rows share the value of
the order (ties are broken by the primary key), in both directions."""

from __future__ import annotations

import datetime as dt

import pytest

from massline.accounts.models import User
from massline.core.pagination import keyset_page

pytestmark = pytest.mark.django_db

MOMENTS = [dt.datetime(2026, 3, day, 9, tzinfo=dt.UTC) for day in (1, 1, 1, 2, 3, 3, 4, 4, 4, 4, 5)]


def _walk(order: str) -> list[int]:
    direction = "-" if order.startswith("-") else ""
    queryset = User.objects.filter(username__startswith="page-").order_by(order, f"{direction}pk")
    seen: list[int] = []
    cursor = None
    for _ in range(len(MOMENTS) + 1):
        page = keyset_page(queryset, order=order, cursor=cursor, size=2)
        seen += [user.pk for user in page.items]
        cursor = page.next_cursor
        if cursor is None:
            return seen
    raise AssertionError("the pages never ended")


@pytest.mark.parametrize("order", ["date_joined", "-date_joined"])
def test_every_row_once_in_order_across_ties(order: str) -> None:
    for number, moment in enumerate(MOMENTS):
        User.objects.create(username=f"page-{number}", date_joined=moment)
    descending = order.startswith("-")
    expected = [
        pk
        for _, pk in sorted(
            User.objects.filter(username__startswith="page-").values_list("date_joined", "pk"), reverse=descending
        )
    ]
    assert _walk(order) == expected
    assert len(expected) == len(MOMENTS)
