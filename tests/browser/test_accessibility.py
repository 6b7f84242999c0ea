"""An automated WCAG 2.1 AA audit (axe-core, run inside real Chromium) of the public pages of the appeal loop,
in both languages and at phone width: submitting, tracking a case with its answer, the case wall and the
scorecards. Any violation fails with axe's own report of what and where."""

from __future__ import annotations

from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe

from massline.appeals.services import ContactInput, appeal_reply, appeal_route, appeal_submit, assignment_accept
from massline.org.services import category_create, rule_set

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
WCAG_21_AA = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}
PAGES = [
    "/",
    "/appeals/new/",
    "/appeals/track/",
    "/cases/",
    "/scorecards/",
    "/scorecards/ranking/",
    "/proactive/",
    "/consultations/",
]


@pytest.fixture
def answered_code(small_city: Any, make_person: Any) -> str:
    city = small_city
    potholes = category_create(actor=None, code="C01", name_zh="道路坑洼", name_en="Potholes")
    rule_set(actor=None, category=potholes, area=city.city, lead_unit=city.urban_bureau)
    handler = make_person("handler", unit=city.urban_bureau)
    appeal = appeal_submit(
        actor=None,
        kind="complaint",
        channel="web",
        title="和平路有个大坑",
        description="和平路与东风路口有一个很深的坑。",
        area=city.community_a,
        category=potholes,
        contact=ContactInput(phone="13800000000"),
        publish_consent=True,
    ).appeal
    appeal = assignment_accept(actor=handler, appeal=appeal_route(appeal=appeal))
    appeal_reply(actor=handler, appeal=appeal, outcome="solved", text="已安排养护队填补，感谢反映。")
    return appeal.tracking_code


@pytest.mark.parametrize("locale", ["zh-CN", "en-GB"])
@pytest.mark.parametrize("width", [375, 1280])
def test_public_pages_pass_wcag_21_aa(
    live_server: Any, new_page: Any, answered_code: str, locale: str, width: int
) -> None:
    page = new_page(locale=locale, width=width, mobile=width < 500)
    axe = Axe()
    failures = []
    for path in [*PAGES, f"/appeals/track/{answered_code}/"]:
        response = page.goto(live_server.url + path)
        assert response is not None and response.status == 200, path
        results = axe.run(page, options=WCAG_21_AA)
        if results.violations_count:
            failures.append(f"{path}:\n{results.generate_report()}")
    assert not failures, "\n\n".join(failures)
