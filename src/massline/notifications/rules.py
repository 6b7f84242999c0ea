"""Who hears about which step of an appeal, as data (like ``appeals.transitions``). Each rule names the timeline
action, the audience, the message and whether it is urgent (urgent notices reach staff by e-mail at once by
default; the rest may wait for the daily digest). ``when`` narrows a rule to events whose data match.
Deployments may replace the table with ``MASSLINE_NOTIFICATION_RULES``.

Audiences:
- ``citizen``: the person who raised the appeal, on every channel they gave (e-mail, phone); never for an
  anonymous appeal.
- ``lead_unit``: handlers and unit leaders of the unit the event is about (the lead unit by default).
- ``lead_unit_handlers`` / ``lead_unit_leaders``: only one of those two roles.
- ``dispatchers`` / ``supervisors``: holders of that role whose area covers the appeal's area."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings


class Audience:
    CITIZEN = "citizen"
    LEAD_UNIT = "lead_unit"
    LEAD_UNIT_HANDLERS = "lead_unit_handlers"
    LEAD_UNIT_LEADERS = "lead_unit_leaders"
    DISPATCHERS = "dispatchers"
    SUPERVISORS = "supervisors"


@dataclass(frozen=True)
class Rule:
    action: str
    audience: str
    message: str
    urgent: bool = False
    when: Mapping[str, Any] = field(default_factory=dict)

    def matches(self, data: Mapping[str, Any]) -> bool:
        return all(data.get(key) == value for key, value in self.when.items())


DEFAULT_RULES: tuple[Rule, ...] = (
    # The citizen: receipt, who handles it, deadline changes, the answer, decisions, and where it went instead.
    Rule("submit", Audience.CITIZEN, "receipt"),
    Rule("dispatch", Audience.CITIZEN, "dispatched"),
    Rule("decide_extension", Audience.CITIZEN, "extension_decided"),
    Rule("reply", Audience.CITIZEN, "replied"),
    Rule("decide_review", Audience.CITIZEN, "review_decided"),
    Rule("decide_re_review", Audience.CITIZEN, "re_review_decided"),
    Rule("refer", Audience.CITIZEN, "referred"),
    Rule("link", Audience.CITIZEN, "linked"),
    Rule("merge", Audience.CITIZEN, "linked"),
    # Staff: the work that just arrived, came back, or is running late.
    Rule("dispatch", Audience.LEAD_UNIT, "new_case"),
    Rule("object", Audience.DISPATCHERS, "returned"),
    Rule("queue", Audience.DISPATCHERS, "waiting_dispatch"),
    Rule("warn", Audience.LEAD_UNIT_HANDLERS, "due_soon", urgent=True, when={"kind": "deadline"}),
    Rule("warn", Audience.DISPATCHERS, "waiting_dispatch", urgent=True, when={"kind": "dispatch_wait"}),
    Rule("overdue", Audience.LEAD_UNIT_LEADERS, "overdue", urgent=True, when={"level": 1}),
    Rule("overdue", Audience.SUPERVISORS, "overdue", urgent=True, when={"level": 2}),
    Rule("reopen", Audience.LEAD_UNIT, "reopened"),
    Rule("escalate", Audience.SUPERVISORS, "review_needed"),
    Rule("request_review", Audience.SUPERVISORS, "petition_review_requested"),
    Rule("request_re_review", Audience.SUPERVISORS, "petition_review_requested"),
    Rule("supervise", Audience.LEAD_UNIT, "supervision_order", urgent=True),
    Rule("request_extension", Audience.LEAD_UNIT_LEADERS, "extension_requested"),
    Rule("request_extension", Audience.DISPATCHERS, "extension_requested"),
)


def rules() -> tuple[Rule, ...]:
    return tuple(getattr(settings, "MASSLINE_NOTIFICATION_RULES", DEFAULT_RULES))


def rules_for(action: str, data: Mapping[str, Any]) -> list[Rule]:
    return [rule for rule in rules() if rule.action == action and rule.matches(data)]
