"""A citizen on a phone raises a problem, keeps the receipt, and follows the request — in real Chromium."""

from __future__ import annotations

from typing import Any

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 375, "height": 740, "mobile": True, "locale": "en-GB"}


def test_raise_a_problem_and_follow_it_on_a_phone(
    live_server: Any, new_page: Any, console: Any, small_city: Any
) -> None:
    page = new_page(**PHONE)
    page.goto(live_server.url + "/appeals/new/")
    page.select_option("#id_kind", "complaint")
    page.fill("#id_title", "Broken street light")
    page.fill("#id_description", "The street light at the corner has been off for a week.")
    with page.expect_navigation():
        page.click("form.form button[type=submit]")
    # No way to reach the citizen: the form explains it next to the phone field and keeps the answers.
    assert page.get_attribute("#id_phone", "aria-invalid") == "true"
    assert page.input_value("#id_title") == "Broken street light"

    page.fill("#id_phone", "13800000000")
    with page.expect_navigation():
        page.click("form.form button[type=submit]")
    code = page.text_content("[data-testid=tracking-code]").strip()
    assert page.text_content("[data-testid=passphrase]").strip()
    assert page.evaluate("document.scrollingElement.scrollWidth <= window.innerWidth")

    with page.expect_navigation():
        page.get_by_role("link", name="Follow your request").click()
    assert page.text_content("h1").strip() == "Broken street light"
    assert code in page.content()
    assert "13800000000" not in page.content()
    assert console.csp_violations() == []
