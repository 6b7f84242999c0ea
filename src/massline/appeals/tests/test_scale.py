"""Generated appeals (benchmarks and load tests) hold together like real ones: each state has the fields and
the records it implies, and the staff workspace and the public tracking page show them."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.db import connection
from django.urls import reverse

from massline.accounts.models import User
from massline.appeals.choices import AssignmentRole, AssignmentState
from massline.appeals.models import Appeal, AppealEvent, Assignment
from massline.appeals.scale import SWEEP_INTERVAL, generate_appeals
from massline.appeals.selectors import appeal_queue, queues_for
from massline.appeals.services.intake import CODE_ALPHABET
from massline.appeals.sweep import deadline_sweep
from massline.appeals.transitions import RUNNING_DEADLINE, STATE_GROUP, Action, Group, State
from massline.core import clock

pytestmark = pytest.mark.django_db

COUNT = 300
CODE = re.compile(rf"^\d{{4}}-[{CODE_ALPHABET}]{{4}}-[{CODE_ALPHABET}]{{4}}$")
DISPATCHED_STATES = {State.DISPATCHED, State.IN_PROGRESS, State.REPLIED, State.UNDER_REVIEW}


@pytest.fixture
def generated() -> dict[str, Any]:
    now = clock.now().replace(microsecond=0)
    # Ninety days rather than two years, so that a few hundred appeals include every open stage.
    result = generate_appeals(count=COUNT, now=now, seed=11, days=90)
    return {"now": now, "result": result}


def test_generated_appeals_are_consistent_with_their_states(generated: dict[str, Any]) -> None:
    now, result = generated["now"], generated["result"]
    appeals = list(Appeal.objects.all())
    assert len(appeals) == COUNT == result.appeals
    codes = [appeal.tracking_code for appeal in appeals]
    assert len(set(codes)) == COUNT
    zone = clock.local_zone()
    for appeal in appeals:
        assert CODE.match(appeal.tracking_code), appeal.tracking_code
        assert appeal.tracking_code[:4] == f"{appeal.received_at.astimezone(zone):%y%m}"
    assert AppealEvent.objects.count() == result.events
    assert Assignment.objects.count() == result.assignments

    leads = {
        (a.appeal_id, a.unit_id): a
        for a in Assignment.objects.filter(role=AssignmentRole.LEAD).exclude(state=AssignmentState.OBJECTED)
    }
    first_steps: dict[int, str] = {}
    for event in AppealEvent.objects.order_by("appeal_id", "at", "id"):
        first_steps.setdefault(event.appeal_id, event.action)
        assert event.at <= now
    by_state: dict[str, int] = {}
    for appeal in appeals:
        by_state[appeal.state] = by_state.get(appeal.state, 0) + 1
        assert appeal.state_group == STATE_GROUP[appeal.state]
        assert first_steps[appeal.pk] == Action.SUBMIT
        if appeal.state in DISPATCHED_STATES:
            assert appeal.lead_unit_id is not None, appeal
            assert (appeal.pk, appeal.lead_unit_id) in leads, appeal
            assert appeal.due_at is not None and appeal.warn_at is not None, appeal
        if appeal.state == State.CLOSED:
            assert appeal.closed_at is not None, appeal
            assert appeal.replied_at is not None and appeal.replied_at <= appeal.closed_at, appeal
        if appeal.state == State.REPLIED:
            assert appeal.replied_at is not None and appeal.closed_at is None, appeal
        if appeal.state == State.IN_PROGRESS:
            assert leads[(appeal.pk, appeal.lead_unit_id)].state == AssignmentState.ACCEPTED
            assert appeal.replied_at is None, appeal
        if appeal.state_group == Group.OPEN and appeal.warn_at and appeal.warn_at <= now - SWEEP_INTERVAL:
            assert appeal.warned_at is not None, appeal  # the sweep's last pass has seen it
        if appeal.state_group == Group.OPEN and appeal.track == "hotline" and appeal.round == 1:
            assert appeal.received_at >= now - dt.timedelta(days=60), appeal  # open hotline cases are recent
    assert by_state[State.CLOSED] > COUNT / 2
    assert by_state.get(State.IN_PROGRESS, 0) > 0 and by_state.get(State.REPLIED, 0) > 0
    assert sum(n for state, n in by_state.items() if STATE_GROUP[state] == Group.OPEN) < COUNT / 4

    # The marks are where the sweep would have left them: a pass now finds at most the last interval's work.
    assert sum(deadline_sweep(now=now).counts.values()) <= 3


def test_the_workspace_and_tracking_page_render_generated_appeals(client: Any, generated: dict[str, Any]) -> None:
    dispatcher = User.objects.get(username="dispatcher")
    client.force_login(dispatcher)
    shown = 0
    for queue in queues_for(dispatcher):
        response = client.get(reverse("appeals:work"), {"queue": queue})
        assert response.status_code == 200, queue
        first = appeal_queue(user=dispatcher, queue=queue).first()
        if first is not None:
            assert first.tracking_code in response.content.decode(), queue
            shown += 1
    assert shown >= 2

    client.logout()
    for state in (State.CLOSED, State.IN_PROGRESS, State.REPLIED, State.REFERRED):
        appeal = Appeal.objects.filter(state=state).first()
        assert appeal is not None, state
        response = client.get(reverse("appeals:detail", args=[appeal.tracking_code]))
        assert response.status_code == 200, state
        assert appeal.tracking_code in response.content.decode()


@pytest.mark.skipif("connection.vendor != 'postgresql'", reason="extended statistics are PostgreSQL's")
def test_the_planner_knows_that_the_state_decides_the_group(generated: dict[str, Any]) -> None:
    """The deadline queues ask for deadline states *and* the open group (so that the index of open deadlines
    serves them). Without the statistics of migration 0012 PostgreSQL multiplies the two selectivities and
    expects a fraction of the rows, then picks a plan that reads and sorts the whole queue on deep pages."""

    running = Appeal.objects.filter(RUNNING_DEADLINE)
    actual = running.count()
    assert actual >= 20  # enough rows for the estimate to mean something
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE appeals_appeal")
    sql, params = running.values("pk").query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (FORMAT JSON) {sql}", params)  # noqa: S608  (Django's own SQL and parameters)
        estimated = cursor.fetchone()[0][0]["Plan"]["Plan Rows"]
    assert actual / 2 <= estimated <= actual * 2, (estimated, actual)
