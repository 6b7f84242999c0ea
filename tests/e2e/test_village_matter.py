"""A village "one matter, one discussion" (一事一议) in real Chromium, each person in their own browser, with the
server's clock moved through the weeks it takes:

villagers co-sign a proposal (one mistypes her identity number) → the committee opens public comment → a
villager comments and others vote on the opinion map's statements → the committee answers and publishes the
feedback report → the first assembly lacks its quorum → a second assembly, called with ten days' notice, hears
the speeches (the director last) and passes the matter → it is published, a villager objects, the committee
answers → the works are done and paid → the villagers vote on their satisfaction (one tries twice) → completed.
The public pages pass an automated WCAG 2.1 AA audit in both languages along the way."""

from __future__ import annotations

from typing import Any

import pytest
import time_machine
from axe_playwright_python.sync_playwright import Axe

import massline.consultations.opinion  # noqa: F401  (scikit-learn loads in seconds: before the pages wait on it)
from massline.audit.verify import chain_verify
from massline.consultations.models import Matter, MeetingResult, Outcome, Step
from massline.consultations.tests.conftest import Village, at

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "correct-horse-42"
WCAG_21_AA = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}


def sign_in(new_page: Any, live_server: Any, user: Any) -> Any:
    page = new_page(locale="en-GB")
    page.goto(live_server.url + "/accounts/login/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", PASSWORD)
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    assert "/accounts/login/" not in page.url
    return page


def submit(page: Any, form: str, *, fields: dict[str, str] | None = None, check: tuple[str, ...] = ()) -> None:
    """Fill the form with the id ``form`` and send it; no error may come back."""
    section = page.locator(f"form#{form}")
    for name, value in (fields or {}).items():
        field = section.locator(f"[name='{form}-{name}']")
        if field.evaluate("element => element.tagName") == "SELECT":
            field.select_option(value)
        else:
            field.fill(value)
    for selector in check:
        section.locator(selector).check()
    with page.expect_navigation():
        section.locator("button[type=submit]").click()
    errors = page.locator(".alert--error, .field__errors")
    assert errors.count() == 0, errors.first.text_content()


def audit(page: Any) -> None:
    results = Axe().run(page, options=WCAG_21_AA)
    assert not results.violations_count, results.generate_report()


def matter() -> Matter:
    return Matter.objects.get()


def test_a_village_matter_from_proposal_to_satisfaction(
    live_server: Any, new_page: Any, console: Any, village: Village
) -> None:
    url = live_server.url
    with time_machine.travel(at("2026-03-02", 9), tick=True) as traveller:
        # Monday 2 March: the committee's clerk enters the villagers' proposal.
        clerk = sign_in(new_page, live_server, village.clerk)
        clerk.goto(url + "/consultations/manage/new/")
        clerk.select_option("#id_kind", label='Village "one matter, one discussion"')
        clerk.select_option("#id_owner_unit", str(village.committee.pk))
        clerk.select_option("#id_area", str(village.area.pk))
        clerk.select_option("#id_proposer_kind", "villagers")
        clerk.fill("#id_title", "硬化村东机耕路")
        clerk.fill("#id_summary", "村东机耕路1.2公里硬化，每人筹资50元，财政奖补60%。")
        clerk.fill("#id_budget", "180000")
        with clerk.expect_navigation():
            clerk.click("main form button[type=submit]")
        code = matter().code
        assert "The proposal has 0 co-signatures of the 2 it needs." in clerk.text_content("[data-testid=blockers]")

        # Two villagers co-sign on their phones; the first mistypes her identity number, then corrects it.
        villager = new_page(locale="en-GB", width=375, mobile=True)
        villager.goto(f"{url}/consultations/{code}/")
        name, number = village.person(6)
        villager.fill("#id_sign-name", name)
        villager.fill("#id_sign-id_number", number[:-1] + "0")
        with villager.expect_navigation():
            villager.click("form#sign button[type=submit]")
        assert "is on the register" in villager.text_content(".field__errors")
        assert villager.input_value("#id_sign-name") == name
        villager.fill("#id_sign-id_number", number)
        with villager.expect_navigation():
            villager.click("form#sign button[type=submit]")
        assert "1 of the 2 co-signatures needed." in villager.text_content("[data-testid=signatures]")
        neighbour = new_page(locale="zh-CN", width=375, mobile=True)
        neighbour.goto(f"{url}/consultations/{code}/")
        name, number = village.person(7)
        neighbour.fill("#id_sign-name", name)
        neighbour.fill("#id_sign-id_number", number)
        with neighbour.expect_navigation():
            neighbour.click("form#sign button[type=submit]")

        # The clerk moves it to public comment and puts two statements on the opinion map.
        clerk.goto(f"{url}/consultations/manage/{code}/")
        submit(clerk, "advance")
        assert matter().step == Step.COMMENT
        submit(clerk, "statement", fields={"text": "困难户应当免于筹资。"})
        submit(clerk, "statement", fields={"text": "路面宽度应当达到4.5米。"})

        villager.goto(f"{url}/consultations/{code}/")
        audit(villager)
        villager.locator("form#comment input[value=oppose]").check()
        villager.fill("#id_comment-text", "筹资标准偏高，困难户负担不起。")
        with villager.expect_navigation():
            villager.click("form#comment button[type=submit]")
        assert "Your comment is published." in villager.text_content(".messages")
        for page in (villager, neighbour):
            page.goto(f"{url}/consultations/{code}/")
            with page.expect_navigation():
                page.locator("ul.statements li").first.locator("button[value='1']").click()
        neighbour.goto(f"{url}/consultations/{code}/")
        audit(neighbour)

        # A week later: every comment answered, the feedback report published, on to the assembly.
        traveller.move_to(at("2026-03-10", 9))
        clerk = sign_in(new_page, live_server, village.clerk)  # a new working day, a new session
        clerk.goto(f"{url}/consultations/manage/{code}/")
        submit(clerk, "answer", fields={"answer_kind": "partly", "answer_text": "困难户的筹资由村集体经济代缴。"})
        submit(clerk, "feedback", fields={"changes": "困难户的筹资由村集体经济代缴。"})
        submit(clerk, "advance")
        assert matter().step == Step.MEETING
        villager.goto(f"{url}/consultations/{code}/")
        assert "Adopted: 0; partly adopted: 1; not adopted: 0." in villager.text_content(
            "[data-testid=feedback-report]"
        )

        # The first assembly, on 21 March: five villagers come, not enough.
        submit(clerk, "meeting", fields={"scheduled_for": "2026-03-21T09:00", "place": "村委会会议室"})
        traveller.move_to(at("2026-03-21", 9))
        clerk = sign_in(new_page, live_server, village.clerk)  # a new working day, a new session
        clerk.goto(f"{url}/consultations/manage/{code}/")
        for resident in village.residents[:5]:
            clerk.check(f"form#attendance input[value='{resident.pk}']")
        submit(clerk, "attendance")
        submit(clerk, "quorum")
        assert matter().meetings.get().result == MeetingResult.INQUORATE
        villager.goto(f"{url}/consultations/{code}/")
        first = villager.text_content("[data-testid=meeting]")
        assert "no quorum" in first and "5 of 20 adult villagers present (more than 10 needed)" in first

        # A second assembly needs ten days' notice again: too early is refused, with the reason.
        clerk.goto(f"{url}/consultations/manage/{code}/")
        clerk.fill("#id_meeting-scheduled_for", "2026-03-25T09:00")
        clerk.fill("#id_meeting-place", "村祠堂")
        with clerk.expect_navigation():
            clerk.click("form#meeting button[type=submit]")
        assert "10 days' notice" in clerk.text_content("form#meeting .field__errors")
        submit(clerk, "meeting", fields={"scheduled_for": "2026-04-01T09:00", "place": "村祠堂"})

        traveller.move_to(at("2026-04-01", 9))
        clerk = sign_in(new_page, live_server, village.clerk)  # a new working day, a new session
        clerk.goto(f"{url}/consultations/manage/{code}/")
        present = village.residents[:12]
        for resident in present:
            clerk.check(f"form#attendance input[value='{resident.pk}']")
        submit(clerk, "attendance")
        submit(clerk, "quorum")
        submit(clerk, "speech", fields={"speaker": "村民代表", "summary": "赞成，盼早日开工。"})
        submit(
            clerk,
            "speech",
            fields={"speaker": "村主任", "summary": "同意方案，接受村民监督。"},
            check=("[name='speech-is_head']",),
        )
        clerk.fill("#id_speech-speaker", "村民03")
        clerk.fill("#id_speech-summary", "补充一句")
        with clerk.expect_navigation():
            clerk.click("form#speech button[type=submit]")
        assert "the head speaks last" in clerk.text_content(".messages")
        for index, resident in enumerate(present[:11]):
            choice = "against" if index == 10 else "for"
            fields = {"resident": str(resident.pk)}
            if choice == "against":
                fields["reason"] = "路线占了我家的承包地"
            submit(clerk, "ballot", fields=fields, check=(f"input[value={choice}]",))
        submit(clerk, "meeting_close")
        assert matter().meetings.order_by("id").last().result == MeetingResult.PASSED
        submit(clerk, "advance")
        submit(clerk, "publicity", fields={"text": "村东机耕路硬化方案及筹资名单"})

        # The publicity: five working days, Qingming (4–6 April) not counted. A villager objects.
        villager.goto(f"{url}/consultations/{code}/")
        assert "to the end of April 9, 2026." in villager.text_content("#publicity")
        villager.fill("#id_objection-name", "村民09")
        villager.fill("#id_objection-text", "筹资名单漏了我家。")
        with villager.expect_navigation():
            villager.click("form#object button[type=submit]")
        traveller.move_to(at("2026-04-10", 9))
        clerk = sign_in(new_page, live_server, village.clerk)  # a new working day, a new session
        clerk.goto(f"{url}/consultations/manage/{code}/")
        submit(clerk, "objection_answer", fields={"outcome": "upheld", "answer": "已核实，补入名单。"})
        submit(clerk, "advance")
        villager.goto(f"{url}/consultations/{code}/")
        assert villager.locator("a[href$='certificate.pdf']").count() == 1
        assert "村*" in villager.text_content("#publicity")  # the objector's name is masked

        # The works: a milestone done and the money spent, published against the budget.
        clerk.goto(f"{url}/consultations/manage/{code}/")
        submit(clerk, "milestone", fields={"title": "路面浇筑", "due_on": "2026-05-01"})
        submit(clerk, "milestone_done")
        submit(clerk, "spending", fields={"item": "水泥和人工", "amount": "168000", "spent_on": "2026-04-20"})
        submit(clerk, "advance")
        assert matter().step == Step.EVALUATION

        # The villagers say how satisfied they are; voting twice is refused.
        for page, person, choice in ((villager, 6, "satisfied"), (neighbour, 7, "basically")):
            page.goto(f"{url}/consultations/{code}/")
            name, number = village.person(person)
            page.fill("#id_satisfaction-name", name)
            page.fill("#id_satisfaction-id_number", number)
            page.check(f"input[name=satisfaction-choice][value={choice}]")
            with page.expect_navigation():
                page.click("#satisfaction button[type=submit]")
        name, number = village.person(6)
        villager.goto(f"{url}/consultations/{code}/")
        villager.fill("#id_satisfaction-name", name)
        villager.fill("#id_satisfaction-id_number", number)
        villager.check("input[name=satisfaction-choice][value=dissatisfied]")
        with villager.expect_navigation():
            villager.click("#satisfaction button[type=submit]")
        assert "a person votes once" in villager.text_content(".messages")

        traveller.move_to(at("2026-04-30", 9))
        clerk = sign_in(new_page, live_server, village.clerk)  # a new working day, a new session
        clerk.goto(f"{url}/consultations/manage/{code}/")
        submit(clerk, "advance")
        assert matter().outcome == Outcome.COMPLETED
        villager.goto(f"{url}/consultations/{code}/")
        assert "2 of 20 adult residents have voted: 1 satisfied, 1 basically satisfied, 0 dissatisfied." in (
            villager.text_content("[data-testid=satisfaction]")
        )
        audit(villager)
        neighbour.goto(f"{url}/consultations/{code}/")
        audit(neighbour)

    assert chain_verify().ok
    assert not console.csp_violations(), console.csp_violations()
