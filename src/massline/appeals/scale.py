"""Generated appeals at scale, for benchmarks and load tests only.

``generate_appeals(count=…, now=…)`` fills the database with ``count`` appeals of the demo city spread over
the two years before ``now``, as a working hotline would hold them: most closed, a few percent open (the open
ones recent, plus a tail of stalled and letters-and-visits cases), each with the fields its state implies
(deadlines and their warning times, the sweep's marks, reply, rating, closing), its timeline events, its lead
assignment once dispatched and, for most, the citizen's contact details. Lead units come from the
responsibility matrix of the organisation tree, as routing would choose them; appeals the matrix cannot
place wait for, or were dispatched by, the dispatcher.

The rows are written directly — ``COPY`` on PostgreSQL, ``bulk_create`` on SQLite — and bypass the services
on purpose, for speed (a million appeals with their events in minutes). Two consequences:

- the audit ledger is **not** written for generated appeals, so they carry no audit records;
- the passphrases are unknown to anyone, so a generated appeal cannot be rated with a passphrase.

Never run this against a database that serves people; it exists to measure the hot paths at volume
(``bench/bench_appeals.py``) and to load-test a deployment before it opens.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import math
import random
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.management import call_command
from django.core.management.color import no_style
from django.db import connection, transaction

from massline.core import clock
from massline.org.calendar import WorkingCalendar, add_hours

from .choices import AssignmentRole, AssignmentState, Outcome, Satisfaction, SpecialRoute, Track, Urgency
from .models import Appeal, AppealContact, AppealEvent, Assignment
from .passphrase import passphrase_hash
from .services.intake import CODE_ALPHABET, active_policy
from .transitions import DEADLINE_STATES, STATE_GROUP, Action, Group, State

SPAN_DAYS = 730  # two years
CHUNK = 20_000  # appeals written per transaction
SWEEP_INTERVAL = dt.timedelta(minutes=5)  # the periodic sweep's cadence: its marks lag ``now`` by this much

# Shares of the whole, from the 12345 hotlines' published figures (rounded).
KINDS = (("complaint", 42), ("help", 25), ("consultation", 20), ("report", 8), ("suggestion", 5))
CHANNELS = (("hotline", 72), ("web", 16), ("email", 3), ("api", 4), ("letter", 3), ("visit", 2))
URGENT_SHARE = 0.02
ANSWERED_ON_THE_SPOT = 0.3  # of consultations
REFERRED_SHARE = 0.02
LINKED_SHARE = 0.005
NO_CATEGORY_SHARE = 0.02  # the operator could not classify it: the dispatcher will
PETITION_SHARE = 0.6  # of letters and visits, which follow the letters-and-visits track
OBJECTED_SHARE = 0.04
LATE_SHARE = 0.05  # answered after the deadline
STALLED_SHARE = 0.04  # answered weeks or months late
CONTACT_SHARE = 0.9
CALLBACK_SHARE = 0.2  # not rated online: the operator calls the citizen back after the rating window
DISSATISFIED = 0.1
DISSATISFIED_AGAIN = 0.25
ANONYMOUS_SHARE = 0.05
RECENT = 2000  # how far back a "same matter" link reaches, in appeals
SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗"

REPLIES = (
    "经现场核实，已安排专人处理，相关问题已整改完毕。感谢您的反映和监督。",
    "经核查，您反映的情况属实，已责成相关单位限期整改，并将持续跟踪。",
    "已向您详细解释相关政策规定及办理流程，如有疑问可拨打我单位电话咨询。",
    "经调查，该事项不符合相关政策规定，已向您说明理由及依据。",
)
CONSULTATION_ANSWER = "话务员已当场解答：请携带身份证件和相关材料到所在街道政务服务中心办理，工作日均可受理。"


@dataclass
class GeneratedAppeals:
    """What ``generate_appeals`` wrote."""

    counts: dict[str, int] = field(default_factory=dict)  # appeals by state
    events: int = 0
    assignments: int = 0
    contacts: int = 0
    seconds: float = 0.0

    @property
    def appeals(self) -> int:
        return sum(self.counts.values())


@dataclass
class _Place:
    area_id: int
    street_id: int | None
    ancestors: tuple[int, ...]  # area ids, deepest first
    name: str
    latitude: float | None
    longitude: float | None


@dataclass
class _Topic:
    category_id: int
    ancestors: tuple[int, ...]  # category ids, deepest first
    title: str
    description: str


@dataclass
class _City:
    """The organisation tree and the people the generated steps are attributed to."""

    policy_id: int
    places: list[_Place]
    topics: list[_Topic]
    topic_weights: list[float]
    rules: dict[tuple[int, int], int]  # (category id, area id) -> lead unit id
    rule_categories: frozenset[int]
    street_offices: dict[int, int]  # street area id -> unit id
    departments: list[int]
    unit_codes: dict[int, str]
    dispatcher_id: int | None
    operator_id: int | None
    supervisor_id: int | None
    hashes: list[str]
    lead_cache: dict[tuple[int, int], int | None] = field(default_factory=dict)

    def matrix_lead(self, topic: _Topic, place: _Place) -> int | None:
        """The lead unit ``responsibility_for`` would name: the deepest category with a rule, then for it the
        deepest area."""
        key = (topic.category_id, place.area_id)
        if key not in self.lead_cache:
            answer = None
            for category_id in topic.ancestors:
                if category_id not in self.rule_categories:
                    continue
                answer = next(
                    (self.rules[(category_id, a)] for a in place.ancestors if (category_id, a) in self.rules), None
                )
                if answer is not None:
                    break
            self.lead_cache[key] = answer
        return self.lead_cache[key]


def _ensure_city() -> None:
    """The demo city, its staff accounts and the policy, when the database has no organisation yet."""
    from massline.accounts.models import User
    from massline.org.models import Unit

    if not Unit.objects.exists() or not User.objects.filter(username="dispatcher").exists():
        call_command("seed", only=["org.city", "accounts.staff", "appeals.policy"], stdout=io.StringIO())


def _load_city(rng: random.Random) -> _City:
    from massline.accounts.models import User
    from massline.org.models import Area, AreaLevel, Category, ResponsibilityRule, Unit, UnitKind

    from .demo_appeals import TEXT_TOPICS, TEXTS

    areas = {area.pk: area for area in Area.objects.filter(is_active=True)}

    def area_ancestors(area: Any) -> tuple[int, ...]:
        chain = []
        while area is not None:
            chain.append(area.pk)
            area = areas.get(area.parent_id)
        return tuple(chain)

    places = []
    for area in areas.values():
        if area.level != AreaLevel.COMMUNITY:
            continue
        street = areas.get(area.parent_id) if area.parent_id else None
        places.append(
            _Place(
                area_id=area.pk,
                street_id=street.pk if street is not None else None,
                ancestors=area_ancestors(area),
                name=area.name_zh,
                latitude=float(area.latitude) if area.latitude is not None else None,
                longitude=float(area.longitude) if area.longitude is not None else None,
            )
        )
    places.sort(key=lambda place: place.area_id)
    if not places:
        raise LookupError("the organisation tree has no communities to place appeals in")

    categories = {category.pk: category for category in Category.objects.filter(is_active=True)}
    parents = {category.pk for category in categories.values() if category.parent_id}
    parent_ids = {category.parent_id for category in categories.values()}
    texts = dict(TEXTS)
    topics: list[_Topic] = []
    for category in sorted(categories.values(), key=lambda c: c.path):
        if category.pk in parent_ids or (category.depth == 0 and parents):
            continue  # appeals are filed under the most specific category
        chain: list[int] = []
        node: Any = category
        while node is not None:
            chain.append(node.pk)
            node = categories.get(node.parent_id)
        title = next(
            (t for t, words in TEXT_TOPICS.items() if any(word in category.name_zh for word in words)),
            None,
        )
        if title is not None:
            description = texts[title]
        else:
            title = f"反映{category.name_zh}问题"
            description = f"我们这里存在{category.name_zh}方面的问题，已经持续一段时间，影响居民正常生活，希望有关部门尽快核实处理。"
        topics.append(_Topic(category_id=category.pk, ancestors=tuple(chain), title=title, description=description))
    # A few matters make most of the calls (roads, noise, property management…): a Zipf-like share.
    order = list(range(len(topics)))
    rng.shuffle(order)
    topic_weights = [0.0] * len(topics)
    for rank, index in enumerate(order):
        topic_weights[index] = 1.0 / (rank + 4)

    rules = {
        (category_id, area_id): unit_id
        for category_id, area_id, unit_id in ResponsibilityRule.objects.filter(lead_unit__is_active=True).values_list(
            "category_id", "area_id", "lead_unit_id"
        )
    }
    units = list(Unit.objects.filter(is_active=True).values_list("pk", "code", "kind", "area_id"))
    street_offices = {area_id: pk for pk, _code, kind, area_id in units if kind == UnitKind.STREET_OFFICE}
    departments = [pk for pk, _code, kind, _area in units if kind == UnitKind.DEPARTMENT]
    if not departments:
        departments = [pk for pk, *_rest in units]
    people = dict(
        User.objects.filter(username__in=["dispatcher", "operator", "supervisor"]).values_list("username", "pk")
    )
    return _City(
        policy_id=active_policy().pk,
        places=places,
        topics=topics,
        topic_weights=topic_weights,
        rules=rules,
        rule_categories=frozenset(category_id for category_id, _area in rules),
        street_offices=street_offices,
        departments=departments,
        unit_codes={pk: code for pk, code, *_rest in units},
        dispatcher_id=people.get("dispatcher"),
        operator_id=people.get("operator"),
        supervisor_id=people.get("supervisor"),
        # Passphrases nobody knows (a salted HMAC each costs microseconds that a million appeals add up).
        hashes=[passphrase_hash(secrets.token_urlsafe(12)) for _ in range(256)],
    )


class _Deadlines:
    """The policy's deadlines on the working calendar, memoised by local date (they depend on nothing else)."""

    def __init__(self) -> None:
        policy = active_policy()
        self.calendar = WorkingCalendar()
        self.handle_days = int(policy.rule("handle_working_days").get("default", 5))
        self.by_category: dict[str, int] = dict(policy.rule("handle_working_days_by_category") or {})
        self.urgent_hours = float(policy.rule("urgent_hours"))
        self.petition_days = int(policy.rule("petition_handle_days"))
        self.object_days = int(policy.rule("object_working_days"))
        self.warn_fraction = min(max(float(policy.rule("warn_fraction")), 0.0), 1.0)
        self.wait_hours = float(policy.rule("dispatch_wait_hours"))
        self.escalate_days = int(policy.rule("escalate_supervisor_after_working_days"))
        self.zone = clock.local_zone()
        self._working: dict[tuple[dt.date, int], dt.datetime] = {}
        self._calendar_days: dict[tuple[dt.date, int], dt.datetime] = {}

    def working(self, start: dt.datetime, days: int) -> dt.datetime:
        key = (start.astimezone(self.zone).date(), days)
        if key not in self._working:
            self._working[key] = self.calendar.add_working_days(start, days)
        return self._working[key]

    def calendar_days(self, start: dt.datetime, days: int) -> dt.datetime:
        key = (start.astimezone(self.zone).date(), days)
        if key not in self._calendar_days:
            self._calendar_days[key] = self.calendar.add_calendar_days(start, days)
        return self._calendar_days[key]

    def answer(self, start: dt.datetime, *, urgent: bool, petition: bool) -> dt.datetime:
        if urgent:
            return add_hours(start, self.urgent_hours)
        if petition:
            return self.calendar_days(start, self.petition_days)
        return self.working(start, self.handle_days)

    def warn(self, start: dt.datetime, due: dt.datetime) -> dt.datetime:
        return start + (due - start) * self.warn_fraction


HOUR = 3600.0
DAY = 86400.0
WAITING_STATES = frozenset({State.RECEIVED, State.PENDING_DISPATCH, State.OBJECTED})


class _Life:
    """One appeal's life up to ``now``: steps are applied in time order and the first step after ``now`` ends
    it, so the state, the fields and the timeline always agree. Before each step the sweep's marks (warning,
    overdue, escalation) are set as the periodic sweep would have set them, up to its last pass."""

    def __init__(
        self, appeal_id: int, record: dict[str, Any], *, now: dt.datetime, swept: dt.datetime, rules: _Deadlines
    ) -> None:
        self.id = appeal_id
        self.record = record
        self.now = now
        self.swept = swept
        self.rules = rules
        self.events: list[dict[str, Any]] = []
        self.assignments: list[dict[str, Any]] = []
        self.lead: dict[str, Any] | None = None
        self.ended = False

    # -- the sweep's marks ---------------------------------------------------------------------------------

    def _marks(self, until: dt.datetime) -> None:
        limit = min(until, self.swept)
        r = self.record
        if r["state_group"] != Group.OPEN:
            return
        state = r["state"]
        if r["warn_at"] is not None and r["warned_at"] is None and r["warn_at"] <= limit:
            at = min(r["warn_at"] + SWEEP_INTERVAL / 2, limit)
            r["warned_at"] = at
            overdue = r["due_at"] is not None and r["due_at"] <= at
            if not overdue and (state in WAITING_STATES or state in DEADLINE_STATES):
                waiting = state in WAITING_STATES
                self._event(
                    at,
                    Action.WARN,
                    unit=None if waiting else r["lead_unit_id"],
                    data={
                        "kind": "dispatch_wait" if waiting else "deadline",
                        "due_at": r["due_at"].isoformat() if r["due_at"] else None,
                    },
                )
        due = r["due_at"]
        if state not in DEADLINE_STATES or due is None:
            return
        if r["escalation_level"] < 1 and due <= limit:
            at = min(due + SWEEP_INTERVAL / 2, limit)
            r["escalation_level"], r["escalated_at"] = 1, at
            self._event(at, Action.OVERDUE, unit=r["lead_unit_id"], data={"level": 1, "due_at": due.isoformat()})
        if r["escalation_level"] == 1:
            second = self.rules.working(due, self.rules.escalate_days)
            if second <= limit:
                at = min(second + SWEEP_INTERVAL / 2, limit)
                r["escalation_level"], r["escalated_at"] = 2, at
                self._event(at, Action.OVERDUE, unit=r["lead_unit_id"], data={"level": 2, "due_at": due.isoformat()})

    # -- steps ---------------------------------------------------------------------------------------------

    def reached(self, at: dt.datetime) -> bool:
        """Whether the step at ``at`` has happened by ``now``; if not, the appeal's life stops here."""
        if self.ended or at > self.now:
            self.ended = True
            return False
        self._marks(at)
        return True

    def _event(
        self,
        at: dt.datetime,
        action: str,
        *,
        actor: int | None = None,
        unit: int | None = None,
        public_message: str = "",
        data: dict[str, Any] | None = None,
    ) -> None:
        self.events.append(
            {
                "appeal_id": self.id,
                "at": at,
                "action": action,
                "actor_id": actor,
                "unit_id": unit,
                "public_message": public_message,
                "note": "",
                "data": data or {},
                "notified_at": at,  # generated history: nothing to notify
            }
        )

    def move(self, at: dt.datetime, action: str, state: str, **event: Any) -> None:
        self.record["state"], self.record["state_group"] = state, STATE_GROUP[state]
        self.record["updated_at"] = at
        self._event(at, action, **event)

    def _wait(self, start: dt.datetime) -> None:
        r = self.record
        r["due_at"], r["warn_at"] = None, add_hours(start, self.rules.wait_hours)
        r["warned_at"], r["escalation_level"], r["escalated_at"] = None, 0, None

    def _deadline(self, start: dt.datetime) -> None:
        r = self.record
        due = self.rules.answer(start, urgent=r["urgency"] == Urgency.URGENT, petition=r["track"] == Track.PETITION)
        r["due_at"], r["warn_at"] = due, self.rules.warn(start, due)
        r["warned_at"], r["escalation_level"], r["escalated_at"] = None, 0, None

    def submit(self) -> None:
        r = self.record
        self._event(r["received_at"], Action.SUBMIT, data={"channel": r["channel"], "attachments": 0})

    def queue(self, at: dt.datetime) -> None:
        self._wait(at)
        self.move(at, Action.QUEUE, State.PENDING_DISPATCH)

    def dispatch(
        self, at: dt.datetime, unit_id: int, codes: dict[int, str], *, actor: int | None, designated: bool = False
    ) -> None:
        self.lead = {
            "appeal_id": self.id,
            "unit_id": unit_id,
            "role": AssignmentRole.LEAD,
            "state": AssignmentState.PENDING,
            "dispatched_by_id": actor,
            "dispatched_at": at,
            "object_due_at": None if designated else self.rules.working(at, self.rules.object_days),
            "decided_at": None,
            "objection_reason": "",
            "designated": designated,
            "created_at": at,
            "updated_at": at,
        }
        self.assignments.append(self.lead)
        self.record["lead_unit_id"] = unit_id
        self._deadline(at)
        data = {"lead_unit": codes.get(unit_id, ""), "co_units": [], "designated": designated}
        self.move(at, Action.DISPATCH, State.DISPATCHED, actor=actor, unit=unit_id, data=data)

    def object(self, at: dt.datetime) -> None:
        assert self.lead is not None
        reason = "该事项不属于本单位职责范围，建议转相关部门。"
        self.lead.update(state=AssignmentState.OBJECTED, decided_at=at, objection_reason=reason, updated_at=at)
        self.record["bounce_count"] += 1
        self._wait(at)
        data = {"bounce_count": self.record["bounce_count"], "needs_supervisor": False}
        self.move(at, Action.OBJECT, State.OBJECTED, unit=self.lead["unit_id"], data=data)

    def accept(self, at: dt.datetime) -> None:
        assert self.lead is not None
        self.lead.update(state=AssignmentState.ACCEPTED, decided_at=at, updated_at=at)
        self.move(at, Action.ACCEPT, State.IN_PROGRESS, unit=self.lead["unit_id"])

    def contact(self, at: dt.datetime) -> None:
        if self.record["contacted_at"] is None:
            self.record["contacted_at"] = at
        self._event(at, Action.CONTACT, unit=self.record["lead_unit_id"])

    def reply(self, at: dt.datetime, outcome: str, text: str) -> None:
        r = self.record
        r["outcome"], r["reply_text"], r["replied_at"] = outcome, text, at
        self.move(
            at, Action.REPLY, State.REPLIED, unit=r["lead_unit_id"], public_message=text, data={"outcome": outcome}
        )

    def rate(self, at: dt.datetime, satisfaction: str, solved: bool, *, actor: int | None) -> None:
        r = self.record
        r["satisfaction"], r["solved"], r["rated_at"] = satisfaction, solved, at
        data = {"satisfaction": satisfaction, "solved": solved, "round": r["round"]}
        if satisfaction != Satisfaction.DISSATISFIED:
            r["closed_at"] = at
            self.move(at, Action.CLOSE, State.CLOSED, actor=actor, data=data)
        elif r["round"] <= 1:  # the policy's one reopening round
            r["round"] += 1
            self._deadline(at)
            r["outcome"], r["replied_at"], r["reply_text"] = "", None, ""
            r["satisfaction"], r["solved"], r["rated_at"] = "", None, None
            data["round"] = r["round"]
            self.move(at, Action.REOPEN, State.IN_PROGRESS, actor=actor, unit=r["lead_unit_id"], data=data)
        else:
            self.move(at, Action.ESCALATE, State.UNDER_REVIEW, actor=actor, data=data)

    def review_close(self, at: dt.datetime, *, actor: int | None) -> None:
        self.record["closed_at"] = at
        self.move(at, Action.CLOSE, State.CLOSED, actor=actor, data={"review": True})

    def finish(self) -> None:
        self._marks(self.now)


def _received_times(count: int, now: dt.datetime, days: int, rng: random.Random) -> list[dt.datetime]:
    """``count`` moments over the ``days`` before ``now``, oldest first; the volume grows over the period
    (the density rises linearly from 0.6 to 1.4 times the mean), as hotlines have."""
    span = days * DAY
    moments = []
    for _ in range(count):
        u = rng.random()
        recency = (-0.6 + math.sqrt(0.36 + 1.6 * u)) / 0.8  # inverse of the CDF 0.6x + 0.4x²
        moments.append(span * (1.0 - recency))
    moments.sort(reverse=True)
    return [now - dt.timedelta(seconds=max(age, 1.0)) for age in moments]


def _weighted(pairs: tuple[tuple[str, int], ...]) -> tuple[list[str], list[float]]:
    values = [value for value, _weight in pairs]
    cumulative, total = [], 0.0
    for _value, weight in pairs:
        total += weight
        cumulative.append(total)
    return values, cumulative


class _Generator:
    def __init__(self, *, now: dt.datetime, swept: dt.datetime, rng: random.Random, city: _City) -> None:
        self.now, self.swept, self.rng, self.city = now, swept, rng, city
        self.rules = _Deadlines()
        self.kinds = _weighted(KINDS)
        self.channels = _weighted(CHANNELS)
        total, cumulative = 0.0, []
        for weight in city.topic_weights:
            total += weight
            cumulative.append(total)
        self.topic_cumulative = cumulative
        self.codes: set[str] = set(Appeal.objects.values_list("tracking_code", flat=True))
        self.fields = list(Appeal._meta.concrete_fields)
        self.defaults: dict[str, Any] = {}
        for f in self.fields:
            self.defaults[f.attname] = None if f.null else f.get_default()
        self.defaults.update(policy_id=city.policy_id, idempotency_key=None, submitted_by_id=None)
        self.zone = clock.local_zone()
        self.recent: list[tuple[int, str]] = []  # recent appeals a "same matter" can be linked to

    def tracking_code(self, received: dt.datetime) -> str:
        prefix = f"{received.astimezone(self.zone):%y%m}-"
        while True:
            body = "".join(self.rng.choices(CODE_ALPHABET, k=8))
            code = f"{prefix}{body[:4]}-{body[4:]}"
            if code not in self.codes:
                self.codes.add(code)
                return code

    def appeal(self, appeal_id: int, received: dt.datetime) -> tuple[_Life, dict[str, Any] | None]:
        rng, city = self.rng, self.city
        kind = rng.choices(self.kinds[0], cum_weights=self.kinds[1])[0]
        channel = rng.choices(self.channels[0], cum_weights=self.channels[1])[0]
        place = rng.choice(city.places)
        topic = city.topics[
            min(
                len(city.topics) - 1,
                _bisect(self.topic_cumulative, rng.random() * self.topic_cumulative[-1]),
            )
        ]
        classified = rng.random() >= NO_CATEGORY_SHARE
        petition = channel in ("letter", "visit") and rng.random() < PETITION_SHARE
        urgent = not petition and rng.random() < URGENT_SHARE
        anonymous = rng.random() < ANONYMOUS_SHARE
        latitude = longitude = None
        if place.latitude is not None and place.longitude is not None and channel in ("web", "api"):
            latitude = Decimal(f"{place.latitude + rng.uniform(-0.004, 0.004):.6f}")
            longitude = Decimal(f"{place.longitude + rng.uniform(-0.004, 0.004):.6f}")
        record = dict(self.defaults)
        record.update(
            id=appeal_id,
            tracking_code=self.tracking_code(received),
            passphrase_hash=rng.choice(city.hashes),
            kind=kind,
            channel=channel,
            urgency=Urgency.URGENT if urgent else Urgency.NORMAL,
            track=Track.PETITION if petition else Track.HOTLINE,
            title=topic.title,
            description=topic.description,
            location_text=f"{place.name}{rng.randint(1, 60)}号楼附近",
            latitude=latitude,
            longitude=longitude,
            area_id=place.area_id,
            category_id=topic.category_id if classified else None,
            anonymous=anonymous,
            contact_confidential=rng.random() < 0.2,
            publish_consent=rng.random() < 0.5,
            visitor_count=rng.randint(1, 3) if channel == "visit" else None,
            state=State.RECEIVED,
            state_group=Group.OPEN,
            received_at=received,
            created_at=received,
            updated_at=received,
            contacted_at=None,
            due_at=None,
            warn_at=None,
            warned_at=None,
            escalated_at=None,
            replied_at=None,
            closed_at=None,
            rated_at=None,
            solved=None,
            outcome="",
            reply_text="",
            satisfaction="",
            special_route="",
            special_route_detail="",
            linked_to_id=None,
            lead_unit_id=None,
            round=1,
            bounce_count=0,
            extended_days=0,
            escalation_level=0,
        )
        life = _Life(appeal_id, record, now=self.now, swept=self.swept, rules=self.rules)
        life.submit()
        self._live(life, topic, place, classified=classified)
        life.finish()
        contact = None
        if not anonymous and rng.random() < 0.97:
            contact = {
                "appeal_id": appeal_id,
                "name": rng.choice(SURNAMES) + rng.choice(("先生", "女士")),
                "phone": f"1{rng.choice('3578')}{rng.randrange(10**9):09d}",
                "email": "",
                "address": "",
            }
        return life, contact

    def _live(self, life: _Life, topic: _Topic, place: _Place, *, classified: bool) -> None:
        rng, city, r = self.rng, self.city, life.record
        t = r["received_at"]

        def later(seconds: float) -> dt.datetime:
            return t + dt.timedelta(seconds=seconds)

        # Matters answered or routed elsewhere by the operator, never dispatched (Beijing regulation Art. 11).
        if r["kind"] == "consultation" and rng.random() < ANSWERED_ON_THE_SPOT:
            t = later(rng.uniform(120, 900))
            if life.reached(t):
                r["outcome"], r["reply_text"], r["replied_at"], r["closed_at"] = (
                    Outcome.EXPLAINED,
                    CONSULTATION_ANSWER,
                    t,
                    t,
                )
                data = {"outcome": Outcome.EXPLAINED, "on_the_spot": True}
                life.move(
                    t,
                    Action.ANSWER,
                    State.CLOSED,
                    actor=city.operator_id,
                    public_message=CONSULTATION_ANSWER,
                    data=data,
                )
            return
        roll = rng.random()
        if roll < REFERRED_SHARE + LINKED_SHARE:
            t = later(rng.uniform(300, 2 * HOUR))
            if not life.reached(t):
                return
            if roll < LINKED_SHARE and self.recent:
                earlier, code = rng.choice(self.recent)
                r["linked_to_id"], r["special_route"] = earlier, SpecialRoute.SAME_MATTER
                data = {"route": SpecialRoute.SAME_MATTER, "detail": "", "linked_to": code}
                life.move(t, Action.LINK, State.LINKED, actor=city.operator_id, data=data)
            else:
                route, detail = rng.choice(
                    (
                        (SpecialRoute.EMERGENCY, "110"),
                        (SpecialRoute.EMERGENCY, "120"),
                        (SpecialRoute.LEGAL_CHANNEL, "litigation"),
                        (SpecialRoute.LEGAL_CHANNEL, "reconsideration"),
                    )
                )
                r["special_route"], r["special_route_detail"] = route, detail
                data = {"route": route, "detail": detail}
                life.move(t, Action.REFER, State.REFERRED, actor=city.operator_id, data=data)
            return
        if len(self.recent) < RECENT:
            self.recent.append((life.id, r["tracking_code"]))
        else:
            self.recent[life.id % RECENT] = (life.id, r["tracking_code"])

        # Routing: the matrix dispatches at once; otherwise the appeal waits for a dispatcher.
        lead = city.matrix_lead(topic, place) if classified else None
        if lead is not None:
            t = later(rng.uniform(2, 30))
            if not life.reached(t):
                return
            life.dispatch(t, lead, city.unit_codes, actor=None)
        else:
            t = later(rng.uniform(2, 30))
            if not life.reached(t):
                return
            life.queue(t)
            t = later(rng.uniform(600, 4 * HOUR))
            if not life.reached(t):
                return
            lead = self._dispatcher_choice(place)
            life.dispatch(t, lead, city.unit_codes, actor=city.dispatcher_id)
        urgent = r["urgency"] == Urgency.URGENT
        if rng.random() < OBJECTED_SHARE:
            t = later(rng.uniform(HOUR, 20 * HOUR))
            if not life.reached(t):
                return
            life.object(t)
            t = later(rng.uniform(0.5 * HOUR, 8 * HOUR))
            if not life.reached(t):
                return
            other = self._dispatcher_choice(place, avoid=lead)
            life.dispatch(t, other, city.unit_codes, actor=city.dispatcher_id, designated=True)
        t = later(rng.uniform(0.1 * HOUR, 0.5 * HOUR) if urgent else rng.uniform(0.3 * HOUR, 20 * HOUR))
        if not life.reached(t):
            return
        life.accept(t)
        accepted = t
        for round_ in (1, 2):
            reply_at = self._reply_time(accepted if round_ == 1 else t, r)
            if rng.random() < CONTACT_SHARE:
                contact_at = t + (reply_at - t) * rng.uniform(0.05, 0.4)
                if not life.reached(contact_at):
                    return
                life.contact(contact_at)
            t = reply_at
            if not life.reached(t):
                return
            outcome = rng.choices((Outcome.SOLVED, Outcome.EXPLAINED, Outcome.NOT_SUPPORTED), weights=(6, 3, 1))[0]
            life.reply(t, outcome, REPLIES[0 if outcome == Outcome.SOLVED else rng.randint(1, 3)])
            callback = rng.random() < CALLBACK_SHARE
            t = later(rng.uniform(7 * DAY, 9 * DAY) if callback else rng.uniform(0.1 * DAY, 3 * DAY))
            if not life.reached(t):
                return
            unhappy = rng.random() < (DISSATISFIED if round_ == 1 else DISSATISFIED_AGAIN)
            satisfaction = (
                Satisfaction.DISSATISFIED
                if unhappy
                else rng.choices((Satisfaction.SATISFIED, Satisfaction.BASICALLY), weights=(4, 1))[0]
            )
            life.rate(t, satisfaction, not unhappy and rng.random() < 0.9, actor=city.operator_id if callback else None)
            if r["state"] != State.IN_PROGRESS:
                break
        if r["state"] == State.UNDER_REVIEW:
            t = later(rng.uniform(DAY, 6 * DAY))
            if life.reached(t):
                life.review_close(t, actor=city.supervisor_id)

    def _reply_time(self, start: dt.datetime, r: dict[str, Any]) -> dt.datetime:
        rng = self.rng
        due = r["due_at"] or start
        roll = rng.random()
        if r["urgency"] == Urgency.URGENT:
            seconds = rng.uniform(0.3 * HOUR, 1.8 * HOUR)
        elif r["track"] == Track.PETITION:
            seconds = rng.uniform(5 * DAY, 55 * DAY)
        elif roll < STALLED_SHARE:
            seconds = rng.uniform(20 * DAY, 150 * DAY)
        elif roll < STALLED_SHARE + LATE_SHARE:
            return due + dt.timedelta(seconds=rng.uniform(0.2 * DAY, 6 * DAY))
        else:
            seconds = rng.uniform(0.1, 0.95) * max((due - start).total_seconds(), HOUR)
        return start + dt.timedelta(seconds=seconds)

    def _dispatcher_choice(self, place: _Place, avoid: int | None = None) -> int:
        """The dispatcher sends most unplaced matters to the street office, the rest to a department."""
        office = self.city.street_offices.get(place.street_id or 0)
        if office is not None and office != avoid and self.rng.random() < 0.6:
            return office
        while True:
            unit = self.rng.choice(self.city.departments)
            if unit != avoid or len(self.city.departments) == 1:
                return unit


def _bisect(cumulative: list[float], value: float) -> int:
    low, high = 0, len(cumulative)
    while low < high:
        middle = (low + high) // 2
        if cumulative[middle] < value:
            low = middle + 1
        else:
            high = middle
    return low


EVENT_COLUMNS = ("appeal_id", "at", "action", "actor_id", "unit_id", "public_message", "note", "notified_at", "data")
ASSIGNMENT_COLUMNS = (
    "appeal_id",
    "unit_id",
    "role",
    "state",
    "dispatched_by_id",
    "dispatched_at",
    "object_due_at",
    "decided_at",
    "objection_reason",
    "designated",
    "created_at",
    "updated_at",
)
CONTACT_COLUMNS = ("appeal_id", "name", "phone", "email", "address")


def _copy(table: str, columns: tuple[str, ...] | list[str], rows: list[tuple[Any, ...]]) -> None:
    with connection.cursor() as cursor:
        quoted = ", ".join(connection.ops.quote_name(column) for column in columns)
        with cursor.cursor.copy(f"COPY {connection.ops.quote_name(table)} ({quoted}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)


def _write(
    appeals: list[dict[str, Any]],
    events: list[dict[str, Any]],
    assignments: list[dict[str, Any]],
    contacts: list[dict[str, Any]],
) -> None:
    with transaction.atomic():
        if connection.vendor == "postgresql":
            fields = Appeal._meta.concrete_fields
            _copy(
                Appeal._meta.db_table,
                [str(f.column) for f in fields],
                [tuple(a[f.attname] for f in fields) for a in appeals],
            )
            _copy(
                AppealContact._meta.db_table, CONTACT_COLUMNS, [tuple(c[k] for k in CONTACT_COLUMNS) for c in contacts]
            )
            _copy(
                Assignment._meta.db_table,
                ASSIGNMENT_COLUMNS,
                [tuple(a[k] for k in ASSIGNMENT_COLUMNS) for a in assignments],
            )
            _copy(
                AppealEvent._meta.db_table,
                EVENT_COLUMNS,
                [(*(e[k] for k in EVENT_COLUMNS[:-1]), json.dumps(e["data"], ensure_ascii=False)) for e in events],
            )
        else:
            Appeal.objects.bulk_create([Appeal(**a) for a in appeals], batch_size=1000)
            AppealContact.objects.bulk_create([AppealContact(**c) for c in contacts], batch_size=2000)
            Assignment.objects.bulk_create([Assignment(**a) for a in assignments], batch_size=2000)
            AppealEvent.objects.bulk_create([AppealEvent(**e) for e in events], batch_size=2000)


def generate_appeals(
    *,
    count: int,
    now: dt.datetime,
    seed: int = 2026,
    days: int = SPAN_DAYS,
    progress: Callable[[int, int], None] | None = None,
) -> GeneratedAppeals:
    """Write ``count`` generated appeals received over the ``days`` before ``now`` (two years by default; see
    the module docstring: benchmarks and load tests only; no audit records). The sweep's marks are set as if its last
    pass ran one interval before ``now``. Seeds the demo city first when the organisation tree is empty.
    The same ``seed`` on the same tree gives the same appeals (tracking codes aside, when some exist)."""
    started = time.perf_counter()
    _ensure_city()
    rng = random.Random(seed)  # noqa: S311  (generated data, not secrets)
    city = _load_city(rng)
    generator = _Generator(now=now, swept=now - SWEEP_INTERVAL, rng=rng, city=city)
    first_id = (Appeal.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1
    result = GeneratedAppeals()
    received = _received_times(count, now, days, rng)
    for offset in range(0, count, CHUNK):
        appeals, events, assignments, contacts = [], [], [], []
        for index in range(offset, min(offset + CHUNK, count)):
            life, contact = generator.appeal(first_id + index, received[index])
            appeals.append(life.record)
            events.extend(life.events)
            assignments.extend(life.assignments)
            if contact is not None:
                contacts.append(contact)
            state = life.record["state"]
            result.counts[state] = result.counts.get(state, 0) + 1
        _write(appeals, events, assignments, contacts)
        result.events += len(events)
        result.assignments += len(assignments)
        result.contacts += len(contacts)
        if progress is not None:
            progress(min(offset + CHUNK, count), count)
    with connection.cursor() as cursor:
        for sql in connection.ops.sequence_reset_sql(no_style(), [Appeal]):
            cursor.execute(sql)
        if connection.vendor == "postgresql":
            # Every table, the organisation's too: a planner that believes the tree has 50 rows picks nested
            # loops over it that cost a hundred times the right plan.
            cursor.execute("ANALYZE")
    result.seconds = time.perf_counter() - started
    return result
