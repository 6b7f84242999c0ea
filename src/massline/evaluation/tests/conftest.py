"""The test city with a small catalogue and matrix, and a month of appeals whose figures are known."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from massline.core.clock import FixedClock, use_clock

BEIJING = ZoneInfo("Asia/Shanghai")
JANUARY = dt.date(2026, 1, 1)
FEBRUARY = dt.date(2026, 2, 1)


def beijing(day: str, hour: int = 10, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(dt.date.fromisoformat(day), dt.time(hour, minute), tzinfo=BEIJING)


@pytest.fixture
def city(small_city, make_person):  # type: ignore[no-untyped-def]
    from massline.org.services import category_create, rule_set

    c = small_city
    urban = category_create(actor=None, code="C01", name_zh="城市管理", name_en="Urban management")
    potholes = category_create(actor=None, code="C0101", name_zh="道路坑洼", name_en="Potholes", parent=urban)
    noise = category_create(actor=None, code="C0102", name_zh="噪声", name_en="Noise", parent=urban)
    rule_set(actor=None, category=potholes, area=c.city, lead_unit=c.urban_bureau)
    rule_set(actor=None, category=noise, area=c.street_a, lead_unit=c.street_a_office)
    c.urban, c.potholes, c.noise = urban, potholes, noise
    c.dispatcher = make_person("dispatcher", unit=c.hotline)
    c.operator = make_person("operator", unit=c.hotline)
    c.handler = make_person("handler", unit=c.urban_bureau)
    c.street_handler = make_person("handler", unit=c.street_a_office)
    c.west_handler = make_person("handler", unit=c.district_b_gov)
    return c


CITIZEN_NAME = "王秀英"
CITIZEN_PHONE = "13812345678"


def submit(city: Any, **changes: Any) -> Any:
    from massline.appeals.services import ContactInput, appeal_route, appeal_submit

    fields: dict[str, Any] = {
        "actor": None,
        "kind": "complaint",
        "channel": "web",
        "title": "和平路有个大坑",
        "description": "和平路与东风路口有一个很深的坑，已经有电动车摔倒。",
        "area": city.community_a,
        "category": city.potholes,
        "contact": ContactInput(name=CITIZEN_NAME, phone=CITIZEN_PHONE, email="wxy@example.org"),
        "passphrase": "my-secret",
        "route_after_commit": False,
    }
    fields.update(changes)
    return appeal_route(appeal=appeal_submit(**fields).appeal)


@dataclass
class January:
    city: Any
    appeals: list[Any]


@pytest.fixture
def january(city) -> January:  # type: ignore[no-untyped-def]
    """Seven appeals received in January 2026 (and one just after midnight on 1 February, Beijing time):

    urban bureau (potholes, Taoyuan community in Heping street): five appeals, six dispatches, one return;
      A1, A2 contacted, solved, satisfied; A3 not contacted, not solved, basically satisfied;
      A4 replied late, not rated; A5 returned, designated back, accepted, not replied.
    Heping street office (noise): A6 dissatisfied twice, so the rating stands (under supervisor review).
    West district government (noise in Dongfeng street, dispatched by hand): A7 contacted, solved, satisfied.
    """
    from massline.appeals.choices import Outcome, Satisfaction
    from massline.appeals.services import (
        appeal_contact,
        appeal_dispatch,
        appeal_rate,
        appeal_reply,
        assignment_accept,
        assignment_object,
        objection_decide,
    )

    c = city
    clock = FixedClock(beijing("2026-01-05"))
    appeals = []
    with use_clock(clock):

        def answered(handler: Any, *, appeal: Any, contact: bool) -> Any:
            appeal = assignment_accept(actor=handler, appeal=appeal)
            if contact:
                appeal = appeal_contact(actor=handler, appeal=appeal, summary="电话联系，约定现场查看")
            return appeal_reply(
                actor=handler, appeal=appeal, outcome=Outcome.SOLVED, text="已安排养护队处理，感谢反映。"
            )

        for satisfaction, solved, contact in (
            (Satisfaction.SATISFIED, True, True),
            (Satisfaction.SATISFIED, True, True),
            (Satisfaction.BASICALLY, False, False),
        ):
            appeal = answered(c.handler, appeal=submit(c), contact=contact)
            appeals.append(
                appeal_rate(actor=None, appeal=appeal, satisfaction=satisfaction, solved=solved, passphrase="my-secret")
            )
        late = assignment_accept(actor=c.handler, appeal=submit(c))
        returned = submit(c)
        returned = assignment_object(actor=c.handler, appeal=returned, reason="道路产权不清")
        returned = objection_decide(actor=c.dispatcher, appeal=returned, unit=c.urban_bureau, reason="主干道归市城管局")
        returned = assignment_accept(actor=c.handler, appeal=returned)

        noisy = answered(c.street_handler, appeal=submit(c, category=c.noise), contact=False)
        noisy = appeal_rate(
            actor=None, appeal=noisy, satisfaction=Satisfaction.DISSATISFIED, solved=False, passphrase="my-secret"
        )
        noisy = appeal_reply(actor=c.street_handler, appeal=noisy, outcome=Outcome.EXPLAINED, text="已约谈商户并复查。")
        noisy = appeal_rate(
            actor=None, appeal=noisy, satisfaction=Satisfaction.DISSATISFIED, solved=False, passphrase="my-secret"
        )

        west = submit(c, category=c.noise, area=c.community_b)
        west = appeal_dispatch(actor=c.dispatcher, appeal=west, lead_unit=c.district_b_gov)
        west = answered(c.west_handler, appeal=west, contact=True)
        west = appeal_rate(
            actor=None, appeal=west, satisfaction=Satisfaction.SATISFIED, solved=True, passphrase="my-secret"
        )

        clock.advance(dt.timedelta(days=15))  # 20 January: past the five working days
        late = appeal_reply(actor=c.handler, appeal=late, outcome=Outcome.EXPLAINED, text="已列入维修计划，感谢反映。")
        appeals += [late, returned, noisy, west]

    with use_clock(FixedClock(beijing("2026-02-01", 0, 30))):  # 31 January 16:30 UTC, but February in Beijing
        appeals.append(submit(c))
    return January(city=c, appeals=appeals)
