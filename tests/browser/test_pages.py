"""What a visitor notices in a real browser: the pages fit a phone, speak Chinese by default and English on
request, explain a failed sign-in in the visitor's language, show the working calendar truthfully, and run
under the Content Security Policy without anything being blocked.

The Chinese catalogue of the project's own strings may lag behind; expected texts are therefore computed with
``translation.override`` from the same source the page uses, and the language of a page is judged by its
``<html lang>`` and by strings Django's own catalogue translates."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import translation

from massline.accounts.web.forms import LoginForm
from massline.core.templatetags.massline_ui import HOLIDAY_LABELS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

REQUIRED = translation.gettext_lazy("This field is required.")  # from Django's own catalogue
PHONE = {"width": 375, "height": 740, "mobile": True}
PUBLIC_PAGES = [
    "/",
    "/calendar/2026/2/",
    "/org/areas/",
    "/org/units/",
    "/accounts/login/",
    "/design/",
    "/appeals/new/",
    "/appeals/track/",
    "/proactive/",
]


def html_lang(page: Any) -> str:
    page.wait_for_load_state("domcontentloaded")
    return page.evaluate("document.documentElement.lang")


def in_language(language: str, message: Any) -> str:
    with translation.override(language):
        return str(message)


def switch_language(page: Any, code: str) -> None:
    page.select_option("#language-select", code)
    with page.expect_navigation():
        page.click(".language-switcher button[type=submit]")


def test_home_fits_a_phone_and_speaks_chinese_by_default(live_server: Any, new_page: Any) -> None:
    # A browser asking for a language the site does not offer gets the site's default, Simplified Chinese.
    page = new_page(locale="fr-FR", **PHONE)
    page.goto(live_server.url + "/")

    assert html_lang(page) == "zh-hans"
    assert page.evaluate("document.scrollingElement.scrollWidth <= window.innerWidth")
    # The stylesheet was served and applied: the header carries the brand colour, not the browser's default.
    header_colour = page.evaluate("getComputedStyle(document.querySelector('.site-header')).backgroundColor")
    assert header_colour == "rgb(163, 32, 26)"
    # Every navigation link wraps onto the screen instead of running off it.
    for box in page.eval_on_selector_all(".site-nav a", "links => links.map(a => a.getBoundingClientRect().right)"):
        assert box <= 375


@pytest.mark.parametrize("path", PUBLIC_PAGES)
def test_public_pages_have_no_sideways_scroll_on_a_phone(live_server: Any, new_page: Any, path: str) -> None:
    page = new_page(**PHONE)
    page.goto(live_server.url + path)
    width = page.evaluate("[document.scrollingElement.scrollWidth, window.innerWidth]")
    assert width[0] <= width[1], f"{path} scrolls sideways: {width}"


def test_language_switcher_changes_the_language_and_it_sticks(live_server: Any, page: Any) -> None:
    page.goto(live_server.url + "/calendar/")
    assert html_lang(page) == "zh-hans"

    switch_language(page, "en")

    assert html_lang(page) == "en"
    assert page.url == live_server.url + "/calendar/", "the switcher returns to the page it was used on"
    assert page.input_value("#language-select") == "en"

    with page.expect_navigation():
        page.click(".site-nav >> text=Units")
    assert html_lang(page) == "en"
    # Django's own catalogue translates the "required" message: English now, Chinese after switching back.
    page.goto(live_server.url + "/accounts/login/")
    page.click("form.form button[type=submit]")
    assert page.text_content("#id_username_error").strip() == in_language("en", REQUIRED)

    switch_language(page, "zh-hans")
    assert html_lang(page) == "zh-hans"
    page.click("form.form button[type=submit]")
    assert page.text_content("#id_username_error").strip() == "这个字段是必填项。"


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_wrong_password_is_explained_in_the_visitors_language(live_server: Any, page: Any, language: str) -> None:
    page.context.add_cookies([{"name": "django_language", "value": language, "url": live_server.url}])
    page.goto(live_server.url + "/accounts/login/")
    assert html_lang(page) == language
    # Django's LoginView puts the host in the context as "site_name"; the header must still show ours.
    assert "localhost" not in page.inner_text(".site-name")

    page.fill("#id_username", "nobody")
    page.fill("#id_password", "not-the-password")
    page.click("form.form button[type=submit]")

    alert = page.locator(".form-errors[role=alert]")
    assert alert.inner_text().strip() == in_language(language, LoginForm.error_messages["invalid_login"])
    # The username is kept; the password is not sent back.
    assert page.input_value("#id_username") == "nobody"
    assert page.input_value("#id_password") == ""


def test_missing_answers_are_tied_to_their_fields(live_server: Any, page: Any) -> None:
    page.goto(live_server.url + "/accounts/login/")
    page.click("form.form button[type=submit]")

    field = page.locator("#id_password")
    assert field.get_attribute("aria-invalid") == "true"
    assert "id_password_error" in field.get_attribute("aria-describedby").split()
    assert page.text_content("#id_password_error").strip() == in_language("zh-hans", REQUIRED)
    assert in_language("zh-hans", REQUIRED) != in_language("en", REQUIRED)


def test_no_page_breaks_the_content_security_policy(live_server: Any, page: Any, console: Any) -> None:
    for path in PUBLIC_PAGES:
        page.goto(live_server.url + path)
        page.wait_for_load_state("load")
        # htmx is served by the site itself and runs; it must not inject a <style> element.
        assert page.evaluate("typeof window.htmx") == "object", path
        assert page.evaluate("document.querySelectorAll('style, [style]').length") == 0, path
    page.goto(live_server.url + "/accounts/login/")
    page.fill("#id_username", "nobody")
    page.fill("#id_password", "not-the-password")
    page.click("form.form button[type=submit]")
    page.wait_for_load_state("load")

    assert console.csp_violations() == []
    assert [line for line in console if line.startswith(("pageerror", "error"))] == []


def test_calendar_shows_make_up_workdays_and_holidays(live_server: Any, page: Any) -> None:
    page.goto(live_server.url + "/calendar/2026/2/")

    saturday = page.locator('li[data-date="2026-02-14"]')
    assert saturday.get_attribute("data-state") == "makeup"
    assert in_language("zh-hans", HOLIDAY_LABELS["Spring Festival"]) in saturday.inner_text()

    festival = page.locator('li[data-date="2026-02-17"]')
    assert festival.get_attribute("data-state") == "holiday"
    assert in_language("zh-hans", HOLIDAY_LABELS["Spring Festival"]) in festival.inner_text()

    assert page.locator('li[data-date="2026-02-01"]').get_attribute("data-state") == "rest"
    assert page.locator('li[data-date="2026-02-02"]').get_attribute("data-state") == "working"
    # Monday-first grid: the 14th sits in the Saturday column (the sixth heading).
    saturday_heading = page.locator(".calendar__weekday").nth(5).bounding_box()
    assert saturday.bounding_box()["x"] == pytest.approx(saturday_heading["x"], abs=1)

    # The month links lead on and back.
    page.click("a[rel=next]")
    assert page.url.endswith("/calendar/2026/3/")


def test_staff_sign_in_and_out(live_server: Any, page: Any, console: Any, small_city: Any, make_person: Any) -> None:
    make_person("handler", unit=small_city.street_a_office, username="wang.handler")
    page.goto(live_server.url + "/accounts/login/")
    page.fill("#id_username", "wang.handler")
    page.fill("#id_password", "correct-horse-42")
    page.click("form.form button[type=submit]")

    assert page.url == live_server.url + "/accounts/"
    assert small_city.street_a_office.name_zh in page.inner_text("main")
    assert page.locator('.site-nav a[aria-current="page"]').count() == 1

    page.click(".site-nav button[type=submit]")
    assert page.url == live_server.url + "/"
    assert page.locator('.site-nav a[href="/accounts/login/"]').count() == 1
    assert console.csp_violations() == []
