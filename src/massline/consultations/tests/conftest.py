"""A village with its committee, its staff and a residents' register, set up through the services."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.utils import translation

BEIJING = ZoneInfo("Asia/Shanghai")


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    """Services' refusals are read in English here; pages choose their language per request."""
    with translation.override("en"):
        yield


def at(day: str, hour: int = 10) -> dt.datetime:
    return dt.datetime.combine(dt.date.fromisoformat(day), dt.time(hour), tzinfo=BEIJING)


def id_number(n: int) -> str:
    return f"42010119800101{n:04d}"


@dataclass
class Village:
    area: Any
    committee: Any
    clerk: Any  # a committee member (handler)
    director: Any  # the committee's director (unit leader)
    residents: list[Any]  # 20 adults in 8 households, then 2 children; 5 representatives

    def person(self, n: int) -> tuple[str, str]:
        """(name, identity number) of resident n, as they would type them."""
        return f"村民{n:02d}", id_number(n)


@pytest.fixture
def kinds(db: Any) -> None:
    """The default kinds of matter; a test that flushes the database (the browser tests) removes the rows the
    migration made."""
    from massline.consultations.kinds import kinds_install_defaults

    kinds_install_defaults()


@pytest.fixture
def village(small_city: Any, make_person: Any, kinds: None) -> Village:
    from massline.consultations.services import resident_register
    from massline.org.services import area_create, unit_create

    area = area_create(
        actor=None,
        code="T0101001900",
        name_zh="李家湾村",
        name_en="Lijiawan Village",
        kind="village",
        parent=small_city.street_a,
    )
    committee = unit_create(
        actor=None,
        code="U-V1",
        name_zh="李家湾村民委员会",
        name_en="Lijiawan Village Committee",
        kind="village_committee",
        area=area,
        parent=small_city.street_a_office,
    )
    clerk = make_person("handler", unit=committee)
    director = make_person("unit_leader", unit=committee)
    residents = []
    for n in range(1, 23):
        residents.append(
            resident_register(
                actor=clerk,
                committee=committee,
                name=f"村民{n:02d}",
                id_number=id_number(n),
                household=f"H{(n - 1) % 8 + 1:02d}",
                is_adult=n <= 20,
                is_representative=n <= 5,
                phone=f"1380000{n:04d}" if n <= 3 else "",
            )
        )
    return Village(area, committee, clerk, director, residents)
