"""Hot issues (未诉先办): appeals about one matter in one place are found together and ranked by hotness; a
supervisor turns one into a proactive task that a unit must answer by a date, and the public sees its progress."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from massline.appeals.choices import Channel
from massline.appeals.models import Appeal, AppealContact, Assignment
from massline.appeals.services import ContactInput, appeal_route, appeal_submit
from massline.appeals.transitions import State
from massline.audit.models import AuditRecord
from massline.core import clock
from massline.core.clock import FixedClock, use_clock
from massline.core.errors import PermissionDenied, ValidationFailed
from massline.intelligence.hot import Message, find_hot_issues, named_places
from massline.intelligence.models import HotIssue, HotIssueState
from massline.intelligence.services import hot_issue_dismiss, hot_issue_take_up, hot_issues_refresh

NOW = dt.datetime(2026, 11, 20, 10, 0, tzinfo=dt.UTC)

PLANT = [
    ("丽景花园旁搅拌站夜间施工噪音扰民", "丽景花园东侧的搅拌站每天晚上施工到凌晨，噪音太大，睡不着。"),
    ("投诉丽景花园附近搅拌站噪音", "丽景花园附近搅拌站夜里一直有搅拌车进出，严重影响休息。"),
    ("丽景花园搅拌站夜间噪音扰民", "搅拌站离丽景花园住宅楼很近，晚上噪音扰民，请环保部门处理。"),
    ("丽景花园附近搅拌站噪音何时解决", "丽景花园附近搅拌站夜间噪音问题反映多次，什么时候能解决？"),
]
SMOKE = [
    ("幸福小区楼下餐馆油烟扰民", "幸福小区一楼餐馆油烟直排，楼上住户窗户都不敢开。"),
    ("幸福小区餐馆油烟直排", "幸福小区楼下的餐馆油烟直排进居民家里，请尽快处理。"),
    ("投诉幸福小区底商油烟扰民", "幸福小区底商餐馆油烟扰民，已经很久了，希望管一管。"),
]
OTHER = [
    ("养老金什么时候发放", "想问一下养老金每月几号发放，怎么查询到账情况。"),
    ("孩子入学学位咨询", "孩子明年上小学，想咨询一下学区划分和学位申请的材料。"),
    ("公交站台破损", "人民路公交站台的顶棚破了，下雨天等车的人都淋湿了。"),
]


def _messages(groups: list[tuple[list[tuple[str, str]], str]], *, days_ago: float = 2) -> list[Message]:
    out = []
    for texts, place in groups:
        for number, (title, text) in enumerate(texts):
            out.append(
                Message(
                    key=f"{place}-{number}-{title}",
                    title=title,
                    text=text,
                    at=NOW - dt.timedelta(days=days_ago, hours=number),
                    citizen=f"{place}-{number}-{title}",
                    place=place,
                )
            )
    return out


def test_appeals_about_one_matter_in_one_place_form_one_issue_and_others_stay_out() -> None:
    messages = _messages([(PLANT, "S1"), (SMOKE, "S1"), (OTHER, "S1")])
    issues = find_hot_issues(messages, now=NOW)
    found = [sorted(messages[i].title for i in issue.members) for issue in issues]
    assert found == [sorted(title for title, _text in PLANT), sorted(title for title, _text in SMOKE)]
    assert issues[0].volume == 4 and issues[0].citizens == 4
    assert "丽景花园" in issues[0].places
    assert issues[0].score > issues[1].score


def test_the_same_complaint_in_two_streets_is_two_matters() -> None:
    messages = _messages([(SMOKE, "S1"), (SMOKE, "S2")])
    issues = find_hot_issues(messages, now=NOW)
    assert sorted({messages[i].place for i in issue.members}.pop() for issue in issues) == ["S1", "S2"]
    assert all(len({messages[i].place for i in issue.members}) == 1 for issue in issues)


def test_one_person_writing_again_and_again_is_not_a_hot_issue() -> None:
    messages = [
        Message(key=n, title=title, text=text, at=NOW - dt.timedelta(hours=n), citizen="13900000000")
        for n, (title, text) in enumerate(PLANT * 2)
    ]
    assert find_hot_issues(messages, now=NOW) == []


def test_an_issue_growing_this_week_is_hotter_than_the_same_issue_last_month() -> None:
    recent = find_hot_issues(_messages([(PLANT, "S1")], days_ago=1), now=NOW)[0]
    older = find_hot_issues(_messages([(PLANT, "S1")], days_ago=20), now=NOW)[0]
    assert recent.growth > 0 >= older.growth
    assert recent.score > older.score


def test_places_are_read_without_the_city_and_district_before_them() -> None:
    assert named_places("投诉A市A5区魅力之城小区油烟扰民") == {"魅力之城小区"}
    assert named_places("A7县星沙四区凉塘路的旧城改造") == {"凉塘路"}
    assert named_places("养老金什么时候发放") == frozenset()


# --- on the platform -----------------------------------------------------------------------------------------

SOMEWHERE = object()  # the default place of a test appeal: the city's first community


def _submit(city, title: str, text: str, *, phone: str, at: dt.datetime, area=SOMEWHERE, kind="complaint"):  # type: ignore[no-untyped-def]
    with use_clock(FixedClock(at)):
        result = appeal_submit(
            actor=None,
            kind=kind,
            channel="hotline",
            title=title,
            description=text,
            area=city.community_a if area is SOMEWHERE else area,
            contact=ContactInput(name="王先生", phone=phone),
            route_after_commit=False,
        )
        return appeal_route(appeal=result.appeal)


@pytest.fixture
def burst(city):  # type: ignore[no-untyped-def]
    appeals = [
        _submit(city, title, text, phone=f"1390000000{n}", at=NOW - dt.timedelta(days=3, hours=n))
        for n, (title, text) in enumerate(PLANT)
    ]
    _submit(city, *OTHER[0], phone="13800000000", at=NOW - dt.timedelta(days=1))
    return appeals


@pytest.mark.django_db
def test_the_sweep_stores_the_issue_and_a_second_sweep_continues_it(city, burst) -> None:  # type: ignore[no-untyped-def]
    first = hot_issues_refresh(now=NOW)
    assert first["issues"] == 1 and first["new"] == 1
    issue = HotIssue.objects.get()
    assert set(issue.members.all()) == set(burst)
    assert issue.area == city.community_a and issue.volume == 4 and issue.citizens == 4
    # The same matter raised again: the next sweep adds it to the same issue instead of opening another.
    later = NOW + dt.timedelta(hours=2)
    _submit(city, "丽景花园搅拌站还在夜间施工", "丽景花园旁搅拌站昨晚又施工到凌晨，噪音扰民。", phone="13700000000",
            at=later - dt.timedelta(hours=1))  # fmt: skip
    second = hot_issues_refresh(now=later)
    assert second == {**second, "issues": 1, "new": 0, "continued": 1}
    assert HotIssue.objects.get().pk == issue.pk and HotIssue.objects.get().volume == 5
    # A month later nobody raises it any more: it cools down and leaves the board.
    hot_issues_refresh(now=NOW + dt.timedelta(days=40))
    assert HotIssue.objects.get().active is False


@pytest.mark.django_db(transaction=True)
def test_a_supervisor_takes_an_issue_up_as_a_proactive_task_followed_in_public(client, city, burst) -> None:  # type: ignore[no-untyped-def]
    hot_issues_refresh(now=clock.now())
    issue = HotIssue.objects.get()
    due = clock.today() + dt.timedelta(days=10)
    client.force_login(city.supervisor)
    page = client.get(reverse("intelligence:hot_board"))
    assert page.status_code == 200 and "丽景花园" in page.content.decode()
    response = client.post(
        reverse("intelligence:hot_issue_take_up", args=[issue.pk]),
        {
            "title": "丽景花园搅拌站夜间噪音",
            "lead_unit": city.street_a_office.pk,
            "due_date": due.isoformat(),
            "note": "请一周内核查并公开处理结果",
            "programme": "on",
        },
    )
    assert response.status_code == 302
    issue.refresh_from_db()
    task = issue.task
    assert issue.state == HotIssueState.PROGRAMME and issue.programme_month == clock.today().replace(day=1)
    assert task.channel == Channel.PROACTIVE and task.state == State.DISPATCHED
    assert task.lead_unit == city.street_a_office
    assert timezone.localdate(task.due_at) == due
    assert Assignment.objects.get(appeal=task, unit=city.street_a_office).designated  # it cannot be pushed back
    assert not AppealContact.objects.filter(appeal=task).exists()  # no citizen's details travel with it
    assert AuditRecord.objects.filter(event="intelligence.hot_issue.take_up", target_id=str(issue.pk)).exists()
    # The unit finds it in its queue; the public page shows who acts and by when, and no caller's number.
    assert Appeal.objects.filter(lead_unit=city.street_a_office, channel=Channel.PROACTIVE).count() == 1
    client.logout()
    public = client.get(reverse("proactive")).content.decode()
    assert "丽景花园" in public and city.street_a_office.name_zh in public
    assert "13900000000" not in public
    # Taken up once only.
    with pytest.raises(ValidationFailed):
        hot_issue_take_up(
            actor=city.supervisor, issue=issue, title="再来一次", lead_unit=city.urban_bureau, due_date=due
        )


@pytest.mark.django_db
def test_a_deadline_in_the_past_is_refused_with_the_field_named(client, city, burst) -> None:  # type: ignore[no-untyped-def]
    hot_issues_refresh(now=clock.now())
    issue = HotIssue.objects.get()
    client.force_login(city.supervisor)
    response = client.post(
        reverse("intelligence:hot_issue_take_up", args=[issue.pk]),
        {"title": "丽景花园搅拌站噪音", "lead_unit": city.street_a_office.pk, "due_date": clock.today().isoformat()},
    )
    assert response.status_code == 400
    assert response.context["take_up_form"].errors["due_date"]
    issue.refresh_from_db()
    assert issue.task is None and not Appeal.objects.filter(channel=Channel.PROACTIVE).exists()


@pytest.mark.django_db
def test_only_supervisors_of_the_area_decide_and_others_do_not_see_the_board(client, city, burst, make_person) -> None:  # type: ignore[no-untyped-def]
    hot_issues_refresh(now=clock.now())
    issue = HotIssue.objects.get()
    elsewhere = make_person("supervisor", area=city.district_b)
    due = clock.today() + dt.timedelta(days=5)
    with pytest.raises(PermissionDenied):
        hot_issue_take_up(actor=elsewhere, issue=issue, title="丽景花园", lead_unit=city.street_a_office, due_date=due)
    with pytest.raises(PermissionDenied):
        hot_issue_dismiss(actor=city.dispatcher, issue=issue, reason="不是同一件事")
    client.force_login(elsewhere)
    assert client.get(reverse("intelligence:hot_issue", args=[issue.pk])).status_code == 404
    assert "丽景花园" not in client.get(reverse("intelligence:hot_board")).content.decode()
    client.force_login(city.handler)
    assert client.get(reverse("intelligence:hot_board")).status_code == 404
    # A dispatcher sees the board but has no decision to take.
    client.force_login(city.dispatcher)
    page = client.get(reverse("intelligence:hot_issue", args=[issue.pk]))
    assert page.status_code == 200 and page.context["take_up_form"] is None
    assert client.post(reverse("intelligence:hot_issue_dismiss", args=[issue.pk]), {"reason": "x"}).status_code == 404


@pytest.mark.django_db
def test_dismissing_needs_a_reason_and_sticks_through_later_sweeps(city, burst) -> None:  # type: ignore[no-untyped-def]
    hot_issues_refresh(now=NOW)
    issue = HotIssue.objects.get()
    with pytest.raises(ValidationFailed):
        hot_issue_dismiss(actor=city.supervisor, issue=issue, reason="  ")
    hot_issue_dismiss(actor=city.supervisor, issue=issue, reason="已纳入本月专项整治")
    hot_issues_refresh(now=NOW + dt.timedelta(hours=1))
    issue.refresh_from_db()
    assert issue.state == HotIssueState.DISMISSED and issue.active
    assert AuditRecord.objects.filter(event="intelligence.hot_issue.dismiss").count() == 1


@pytest.mark.django_db
def test_a_sweep_over_no_appeals_finds_nothing_and_fails_not(city) -> None:  # type: ignore[no-untyped-def]
    assert hot_issues_refresh(now=NOW) == {"appeals": 0, "issues": 0, "new": 0, "continued": 0, "cooled": 0}
    assert not HotIssue.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_what_reaches_the_unit_and_the_public_is_masked(client, city) -> None:  # type: ignore[no-untyped-def]
    # Callers who put their name and number in the title.
    for n, (title, text) in enumerate(PLANT):
        _submit(city, f"{title}，联系人张三，电话1391234567{n}", text, phone=f"1390000000{n}", at=clock.now())
    hot_issues_refresh(now=clock.now())
    issue = HotIssue.objects.get()
    assert "139123456" in issue.label  # stored as the citizen wrote it, for the staff who may read appeals
    client.force_login(city.supervisor)
    page = client.get(reverse("intelligence:hot_issue", args=[issue.pk]))
    proposed = page.context["take_up_form"]["title"].initial
    assert "139123456" not in proposed and "丽景花园" in proposed
    client.post(
        reverse("intelligence:hot_issue_take_up", args=[issue.pk]),
        {"title": f"{proposed} 13912345670", "lead_unit": city.street_a_office.pk,
         "due_date": (clock.today() + dt.timedelta(days=5)).isoformat()},
    )  # fmt: skip
    issue.refresh_from_db()
    task = issue.task
    assert task is not None and "139123456" not in task.title and "139123456" not in task.description
    assert "张三" not in task.title
    public = client.get(reverse("proactive")).content.decode()
    assert "丽景花园" in public and "139123456" not in public and "13900000" not in public


@pytest.mark.django_db
def test_reports_and_appeals_without_a_place_are_handled_as_the_rules_say(city, make_person) -> None:  # type: ignore[no-untyped-def]
    # Reports (举报) name the people they accuse: they are not clustered.
    for n, (title, text) in enumerate(SMOKE * 2):
        _submit(city, title, text, phone=f"1380000000{n}", at=NOW - dt.timedelta(hours=n), kind="report")
    assert hot_issues_refresh(now=NOW)["issues"] == 0
    # Appeals with no area form an issue with no area: the city-wide supervisor sees it, a district's does not.
    for n, (title, text) in enumerate(PLANT):
        _submit(city, title, text, phone=f"1370000000{n}", at=NOW - dt.timedelta(hours=n), area=None)
    assert hot_issues_refresh(now=NOW)["issues"] == 1
    issue = HotIssue.objects.get()
    assert issue.area is None
    from massline.intelligence.selectors import hot_issues_for
    from massline.intelligence.services.hot import may_decide

    district = make_person("supervisor", area=city.district_a)
    assert list(hot_issues_for(user=city.supervisor)) == [issue] and may_decide(city.supervisor, issue)
    assert list(hot_issues_for(user=district)) == [] and not may_decide(district, issue)


@pytest.mark.django_db
def test_a_copied_group_complaint_stays_one_issue_and_night_calls_count_on_their_local_day(city) -> None:  # type: ignore[no-untyped-def]
    # 60 neighbours send the same text, between 00:30 and 01:30 Beijing time (16:30–17:30 UTC the day before).
    night = dt.datetime(2026, 11, 18, 16, 30, tzinfo=dt.UTC)
    title, text = PLANT[0]
    for n in range(60):
        _submit(city, title, text, phone=f"136{n:08d}", at=night + dt.timedelta(minutes=n))
    hot_issues_refresh(now=NOW)
    issue = HotIssue.objects.get()
    assert issue.volume == 60 and issue.citizens == 60
    assert issue.daily == {"2026-11-19": 60}
