"""The whole appeal loop in real Chromium, each person in their own browser, with the server's clock moved
across the National Day holiday of 2026 (1–7 October; Saturday 10 October worked):

a citizen submits → the dispatcher dispatches → the unit returns it → the dispatcher designates the unit →
it accepts → asks for more time, which its leader grants → replies → the citizen, dissatisfied, reopens it →
the unit replies again → the citizen is satisfied and the appeal closes.

At each step the deadline the staff read is checked against the working calendar, the citizen's and the
staff's notifications are checked, and at the end the unit's scorecard counts the appeal."""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine

from massline.appeals.models import Appeal
from massline.appeals.transitions import State
from massline.audit.verify import chain_verify
from massline.evaluation.services import scorecard_refresh
from massline.notifications.models import OutboxMessage
from massline.org.services import category_create

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
BEIJING = ZoneInfo("Asia/Shanghai")
PASSWORD = "correct-horse-42"


def at(day: str, hour: int = 10) -> dt.datetime:
    return dt.datetime.combine(dt.date.fromisoformat(day), dt.time(hour), tzinfo=BEIJING)


def end_of(day: str) -> dt.datetime:
    return dt.datetime.combine(dt.date.fromisoformat(day), dt.time.max, tzinfo=BEIJING)


def sign_in(new_page: Any, live_server: Any, user: Any) -> Any:
    page = new_page(locale="en-GB")
    page.goto(live_server.url + "/accounts/login/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", PASSWORD)
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    assert "/accounts/login/" not in page.url
    return page


def open_case(page: Any, live_server: Any, code: str) -> None:
    page.goto(f"{live_server.url}/appeals/work/{code}/")


def take_step(
    page: Any, step: str, fields: dict[str, str] | None = None, selects: dict[str, str] | None = None
) -> None:
    section = page.locator(f"#step-{step}")
    for name, value in (selects or {}).items():
        section.locator(f"[name={name}]").select_option(value)
    for name, value in (fields or {}).items():
        section.locator(f"[name={name}]").fill(value)
    with page.expect_navigation():
        section.locator("button[type=submit]").click()
    assert page.locator(".alert--error").count() == 0, page.locator(".alert--error").first.text_content()


def rate(page: Any, live_server: Any, code: str, passphrase: str, satisfaction: str, solved: str) -> None:
    page.goto(f"{live_server.url}/appeals/track/{code}/")
    page.check(f"input[name=satisfaction][value={satisfaction}]")
    page.check(f"input[name=solved][value={solved}]")
    page.fill("#id_passphrase", passphrase)
    with page.expect_navigation():
        page.click("form.form button[type=submit]")


def appeal(code: str) -> Appeal:
    return Appeal.objects.get(tracking_code=code)


def test_the_appeal_loop_across_national_day(
    live_server: Any, new_page: Any, console: Any, small_city: Any, make_person: Any
) -> None:
    city = small_city
    category_create(actor=None, code="C01", name_zh="城市管理", name_en="Urban management")
    dispatcher = make_person("dispatcher", unit=city.hotline)
    handler = make_person("handler", unit=city.urban_bureau)
    leader = make_person("unit_leader", unit=city.urban_bureau)

    with time_machine.travel(at("2026-09-29", 10), tick=True) as traveller:
        # Tuesday 29 September: a citizen raises a problem on the public form.
        citizen = new_page(locale="en-GB")
        citizen.goto(live_server.url + "/appeals/new/")
        citizen.select_option("#id_kind", "complaint")
        citizen.fill("#id_title", "Deep pothole on Heping Road")
        citizen.fill("#id_description", "A deep pothole at the Heping Road crossing; two scooters fell this week.")
        citizen.fill("#id_phone", "13800000000")
        citizen.fill("#id_email", "citizen@example.org")
        with citizen.expect_navigation():
            citizen.click("form.form button[type=submit]")
        code = citizen.text_content("[data-testid=tracking-code]").strip()
        passphrase = citizen.text_content("[data-testid=passphrase]").strip()
        assert appeal(code).state == State.PENDING_DISPATCH  # no category given: a dispatcher decides
        assert OutboxMessage.objects.filter(appeal__tracking_code=code, audience="citizen", channel="email").exists()

        # The dispatcher sends it to the urban management bureau: 5 working days, the holiday not counted.
        traveller.move_to(at("2026-09-29", 11))
        desk = sign_in(new_page, live_server, dispatcher)
        open_case(desk, live_server, code)
        take_step(desk, "dispatch", selects={"unit": str(city.urban_bureau.pk)})
        assert appeal(code).due_at == end_of("2026-10-12")  # 30 Sep, 8, 9, 10 (Saturday worked), 12 Oct

        # The bureau returns it within its 2 working days; the dispatcher designates it all the same.
        traveller.move_to(at("2026-09-30", 9))
        unit = sign_in(new_page, live_server, handler)
        open_case(unit, live_server, code)
        take_step(unit, "object", {"reason": "The crossing belongs to the district roads office."})
        assert appeal(code).state == State.OBJECTED
        traveller.move_to(at("2026-09-30", 10))
        open_case(desk, live_server, code)
        take_step(
            desk,
            "dispatch",
            {"reason": "Heping Road is a city trunk road: the city bureau maintains it."},
            selects={"unit": str(city.urban_bureau.pk)},
        )
        assert appeal(code).due_at == end_of("2026-10-13")  # 8, 9, 10, 12, 13 Oct

        # After the holiday the bureau accepts (it can no longer return it) and asks for 3 more working days.
        traveller.move_to(at("2026-10-08", 9))
        open_case(unit, live_server, code)
        assert unit.locator("#step-object").count() == 0
        with unit.expect_navigation():
            unit.get_by_role("button", name="Accept", exact=True).click()
        take_step(unit, "extend", {"days": "3", "reason": "The road must be cut open: the gas company moves a pipe."})
        boss = sign_in(new_page, live_server, leader)
        open_case(boss, live_server, code)
        take_step(boss, "extdecide", selects={"decision": "approve"})
        assert appeal(code).due_at == end_of("2026-10-16")  # 14, 15, 16 Oct

        # The bureau replies; the citizen reads it and is not satisfied: a second round with a new deadline.
        traveller.move_to(at("2026-10-09", 15))
        open_case(unit, live_server, code)
        take_step(unit, "contact", {"summary": "Phoned the citizen; site visit agreed."})
        take_step(
            unit,
            "reply",
            {"text": "The pothole was filled on 9 October; the road will be resurfaced next month."},
            selects={"outcome": "solved"},
        )
        citizen.goto(f"{live_server.url}/appeals/track/{code}/")
        assert "The pothole was filled" in citizen.content()
        assert "gas company" in citizen.content()  # the reason for more time was explained to the citizen
        rate(citizen, live_server, code, passphrase, "dissatisfied", "no")
        reopened = appeal(code)
        assert reopened.state == State.IN_PROGRESS and reopened.round == 2
        assert reopened.due_at == end_of("2026-10-15")  # from Friday 9 Oct: 10 (Saturday worked), 12, 13, 14, 15

        # Second round: replied, rated satisfied, closed.
        traveller.move_to(at("2026-10-12", 16))
        open_case(unit, live_server, code)
        take_step(
            unit,
            "reply",
            {"text": "The hole was filled again with hot asphalt and inspected; it is level now."},
            selects={"outcome": "solved"},
        )
        rate(citizen, live_server, code, passphrase, "satisfied", "yes")
        assert "Thank you" in citizen.content()

        closed = appeal(code)
        assert closed.state == State.CLOSED and closed.satisfaction == "satisfied" and closed.round == 2
        steps = list(closed.events.values_list("action", flat=True))
        assert steps == [
            "submit",
            "queue",
            "dispatch",
            "object",
            "dispatch",
            "accept",
            "request_extension",
            "decide_extension",
            "contact",
            "reply",
            "reopen",
            "reply",
            "close",
        ]
        # The citizen heard of the receipt, the dispatch, the extension and each reply; the unit of each new step.
        citizen_mail = OutboxMessage.objects.filter(appeal=closed, audience="citizen", channel="email", state="sent")
        heard = set(citizen_mail.values_list("event__action", flat=True))
        assert {"submit", "dispatch", "decide_extension", "reply"} <= heard
        assert OutboxMessage.objects.filter(appeal=closed, user=handler, event__action="reopen").exists()
        inbox = unit.goto(f"{live_server.url}/notifications/")
        assert inbox is not None and code in unit.content()
        assert "13800000000" not in unit.content()
        # The unit's scorecard for September, the month the appeal arrived, counts it.
        scorecard_refresh(month=dt.date(2026, 9, 1))
        unit.goto(f"{live_server.url}/scorecards/unit/{city.urban_bureau.code}/?month=2026-09")
        figures = unit.locator("main").inner_text()
        # received 1, rated 1; response, resolution, satisfaction, composite and on-time 100 %; one return in two
        # dispatches; 318 hours from receipt (29 Sep 10:00) to the last answer (12 Oct 16:00).
        assert "2026-09\t1\t1\t100.0%\t100.0%\t100.0%\t100.0%\t100.0%\t50.0%\t318.0" in figures, figures
        assert chain_verify().ok
        assert console.csp_violations() == []
