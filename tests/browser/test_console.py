"""A hotline operator records a call with the keyboard alone, in real Chromium."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_call_typed_and_sent_by_keyboard_only(
    live_server: Any, new_page: Any, console: Any, small_city: Any, make_person: Any
) -> None:
    from massline.appeals.models import Appeal

    operator = make_person("operator", unit=small_city.hotline)
    client = Client()
    client.force_login(operator)
    page = new_page(locale="en-GB")
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    page.goto(live_server.url + "/appeals/console/")
    assert page.evaluate("document.activeElement.id") == "id_phone"  # the call starts with the number

    page.keyboard.type("13911112222")
    page.wait_for_selector("#caller-history >> text=No earlier cases from this number.")
    page.keyboard.press("Tab")
    page.keyboard.type("Mr Li")
    page.keyboard.press("Tab")  # the type stays "consultation"
    page.keyboard.press("Tab")
    page.keyboard.type("Street light out")
    page.keyboard.press("Tab")
    page.keyboard.type("The street light by the east gate has been out for three nights.")
    with page.expect_navigation():
        page.keyboard.press("Alt+S")

    code = page.text_content("[data-testid=tracking-code]").strip()
    appeal = Appeal.objects.get()
    assert code == appeal.tracking_code and appeal.channel == "hotline" and appeal.title == "Street light out"
    assert appeal.contact.phone == "13911112222"
    with page.expect_navigation():
        page.keyboard.press("Alt+N")
    assert page.input_value("#id_phone") == "" and page.evaluate("document.activeElement.id") == "id_phone"
    assert console.csp_violations() == []
