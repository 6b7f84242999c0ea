"""The deadline badge says the state in words, with the deadline in the deployment's time, in both languages."""

import datetime as dt

from django.template import Context, Template
from django.utils import translation

from massline.core.clock import FixedClock, use_clock

NOW = dt.datetime(2026, 11, 30, 2, 0, tzinfo=dt.UTC)  # 10:00 in Beijing


def _badge(deadline: dt.datetime | None, language: str) -> str:
    with translation.override(language), use_clock(FixedClock(NOW)):
        return Template("{% load massline_ui %}{% deadline_badge d %}").render(Context({"d": deadline}))


def test_the_badge_names_the_state_and_the_local_deadline() -> None:
    overdue = _badge(NOW - dt.timedelta(hours=1), "en")
    assert overdue.startswith('<span class="badge badge--overdue"><span class="badge__state">Overdue</span>')
    assert 'datetime="2026-11-30T09:00:00+08:00"' in overdue and "deadline " in overdue
    assert 'badge--due-soon"><span class="badge__state">Due soon' in _badge(NOW + dt.timedelta(hours=3), "en")
    on_time = _badge(NOW + dt.timedelta(days=3), "zh-hans")
    assert "badge--on-time" in on_time and "deadline" not in on_time  # the words are Chinese
    assert "2026-12-03T10:00:00+08:00" in on_time
    assert _badge(None, "en") == '<span class="badge badge--none">No deadline</span>'
