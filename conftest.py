"""Fixtures shared by every app's tests. Data is set up through the services, as users would create it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest

from massline.core.clock import FixedClock, use_clock


@dataclass
class SmallCity:
    """province → city → two districts → a street each → a community each; a few units."""

    province: Any
    city: Any
    district_a: Any
    district_b: Any
    street_a: Any
    street_b: Any
    community_a: Any
    community_b: Any
    city_gov: Any
    hotline: Any
    urban_bureau: Any
    district_a_gov: Any
    district_a_bureau: Any
    district_b_gov: Any
    street_a_office: Any


@pytest.fixture
def small_city(db: Any) -> SmallCity:
    from massline.org.services import area_create, unit_create

    province = area_create(actor=None, code="T", name_zh="测试省", name_en="Test Province", kind="province")
    city = area_create(actor=None, code="T01", name_zh="测试市", name_en="Test City", kind="city", parent=province)
    district_a = area_create(
        actor=None, code="T0101", name_zh="东区", name_en="East District", kind="district", parent=city
    )
    district_b = area_create(
        actor=None, code="T0102", name_zh="西区", name_en="West District", kind="district", parent=city
    )
    street_a = area_create(
        actor=None, code="T0101001", name_zh="和平街道", name_en="Heping Subdistrict", kind="street", parent=district_a
    )
    street_b = area_create(
        actor=None,
        code="T0102001",
        name_zh="东风街道",
        name_en="Dongfeng Subdistrict",
        kind="street",
        parent=district_b,
    )
    community_a = area_create(
        actor=None,
        code="T0101001001",
        name_zh="桃源社区",
        name_en="Taoyuan Community",
        kind="community",
        parent=street_a,
    )
    community_b = area_create(
        actor=None,
        code="T0102001001",
        name_zh="滨江社区",
        name_en="Binjiang Community",
        kind="community",
        parent=street_b,
    )
    city_gov = unit_create(
        actor=None,
        code="U-CITY",
        name_zh="测试市人民政府",
        name_en="Test City Government",
        kind="government",
        area=city,
    )
    hotline = unit_create(
        actor=None,
        code="U-12345",
        name_zh="12345热线中心",
        name_en="12345 Hotline Centre",
        kind="hotline_centre",
        area=city,
        parent=city_gov,
    )
    urban = unit_create(
        actor=None,
        code="U-URBAN",
        name_zh="城市管理局",
        name_en="Urban Management Bureau",
        kind="department",
        area=city,
        parent=city_gov,
    )
    da_gov = unit_create(
        actor=None,
        code="U-D1",
        name_zh="东区人民政府",
        name_en="East District Government",
        kind="government",
        area=district_a,
        parent=city_gov,
    )
    da_bureau = unit_create(
        actor=None,
        code="U-D1-URBAN",
        name_zh="东区城管局",
        name_en="East District Urban Management",
        kind="department",
        area=district_a,
        parent=da_gov,
    )
    db_gov = unit_create(
        actor=None,
        code="U-D2",
        name_zh="西区人民政府",
        name_en="West District Government",
        kind="government",
        area=district_b,
        parent=city_gov,
    )
    sa_office = unit_create(
        actor=None,
        code="U-S1",
        name_zh="和平街道办事处",
        name_en="Heping Subdistrict Office",
        kind="street_office",
        area=street_a,
        parent=da_gov,
    )
    return SmallCity(
        province,
        city,
        district_a,
        district_b,
        street_a,
        street_b,
        community_a,
        community_b,
        city_gov,
        hotline,
        urban,
        da_gov,
        da_bureau,
        db_gov,
        sa_office,
    )


@pytest.fixture
def make_person(db: Any):  # type: ignore[no-untyped-def]
    """make_person("handler", unit=...) → a user holding that role, with password "correct-horse-42"."""
    from massline.accounts.services import role_grant, user_create

    counter = {"n": 0}

    def make(role: str | None = None, *, unit: Any = None, area: Any = None, username: str | None = None) -> Any:
        counter["n"] += 1
        user = user_create(
            actor=None, username=username or f"{role or 'person'}{counter['n']}", password="correct-horse-42"
        )
        if role:
            role_grant(actor=None, user=user, role=role, unit=unit, area=area)
        return user

    return make


@pytest.fixture
def fixed_clock() -> Iterator[FixedClock]:
    clock = FixedClock(dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC))
    with use_clock(clock):
        yield clock


@pytest.fixture(autouse=True)
def _fresh_memos() -> Iterator[None]:
    """Each test starts with empty process memos (``core.memo``): rows remembered by an earlier test were rolled
    back with its transaction."""
    from massline.core.memo import memo_clear_all

    memo_clear_all()
    yield
    memo_clear_all()


@pytest.fixture(autouse=True)
def _default_language() -> Iterator[None]:
    """Each test starts in the deployment's default language, as a new worker process does. A request made by an
    earlier test leaves its language active in the thread (Django's LocaleMiddleware activates it and does not
    undo it), which made tests depend on the order they ran in."""
    from django.utils import translation

    translation.deactivate()
    yield
    translation.deactivate()
