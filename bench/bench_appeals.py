"""Appeal hot paths at volume: the staff queues, the public tracking page, the deadline sweep and intake.

python bench/bench_appeals.py                    # SQLite under var/bench/, 100,000 appeals
BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_appeals BENCH_APPEALS=1000000 \
    python bench/bench_appeals.py                # PostgreSQL; budgets: pages < 100 ms p95, sweep < 5 s
BENCH_VERBOSE=1 python bench/bench_appeals.py    # also print the query plans (EXPLAIN ANALYZE on PostgreSQL),
                                                 # the queues' first pages and the overdue queue's page 21

The appeals come from ``massline.appeals.scale.generate_appeals`` (two years of the demo city, most closed,
a few percent open). Page times are server time, measured in-process with Django's test client (no network),
p50/p95 over BENCH_REQUESTS requests each after a warm-up request. The database is rebuilt on every run.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import random
import statistics
import sys
import time
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from _setup import peak_rss_mib, setup_django

N = int(os.environ.get("BENCH_APPEALS", "100000"))
REQUESTS = int(os.environ.get("BENCH_REQUESTS", "60"))
SUBMITS = int(os.environ.get("BENCH_SUBMITS", "500"))
DEPTH = 20  # pages followed by keyset cursor for the "deep page" figures
VERBOSE = os.environ.get("BENCH_VERBOSE", "") not in ("", "0") or "-v" in sys.argv


def rss_mib() -> float:
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def percentiles(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, max(0, round(0.95 * len(ordered)) - 1))]
    return statistics.median(ordered), p95


def timed_requests(client: Any, urls: Callable[[int], str]) -> tuple[list[float], int, int]:
    """Server time of REQUESTS GETs (after one warm-up), the status and the queries of the first one."""
    from django.db import connection

    queries: list[str] = []

    def count(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        queries.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        response = client.get(urls(0))
    status = response.status_code
    samples = []
    for i in range(REQUESTS):
        started = time.perf_counter()
        response = client.get(urls(i))
        samples.append((time.perf_counter() - started) * 1000)
        if response.status_code != status:
            status = response.status_code
    return samples, status, len(queries)


def deep_cursor(user: Any, queue: str, depth: int) -> tuple[str | None, int]:
    """The keyset cursor of page ``depth + 1`` of ``queue`` (or of the last page, when it is shorter), and the
    page it reaches."""
    from massline.appeals import selectors
    from massline.appeals.selectors.queues import queue_order
    from massline.appeals.web.staff_views import PAGE_SIZE
    from massline.core.pagination import keyset_page

    cursor, reached = None, 1
    for _ in range(depth):
        page = keyset_page(
            selectors.appeal_queue(user=user, queue=queue), order=queue_order(queue), cursor=cursor, size=PAGE_SIZE
        )
        if page.next_cursor is None:
            break
        cursor, reached = page.next_cursor, reached + 1
    return cursor, reached


def generic_plans() -> list[tuple[int, int, str]]:
    """The statements this connection prepared that PostgreSQL has run with a generic plan (decision 0020):
    (generic runs, custom runs, the statement's start), for the statements that read the appeals' tables. A generic plan cannot use a partial index whose
    condition needs a value, so a page that regresses with prepared statements shows up here first."""
    from django.db import connection

    if connection.vendor != "postgresql" or connection.connection is None:
        return []
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT generic_plans, custom_plans, statement FROM pg_prepared_statements "
            "WHERE generic_plans > 0 AND statement LIKE %s ORDER BY generic_plans DESC",
            ["%appeals\\_%"],
        )
        return [(generic, custom, " ".join(text.split())[:150]) for generic, custom, text in cursor.fetchall()]


def explain(title: str, queryset: Any) -> None:
    from django.db import connection

    print(f"\n--- plan: {title}")
    if connection.vendor == "postgresql":
        print(queryset.explain(analyze=True, buffers=True))
    else:
        print(queryset.explain())


def explain_deep_page(title: str, user: Any, queue: str) -> None:
    """The plan of the page the keyset cursor reaches after DEPTH pages: the statement ``keyset_page`` runs for
    it, caught on its way to the database and explained."""
    from django.db import connection

    from massline.appeals import selectors
    from massline.appeals.selectors.queues import queue_order
    from massline.appeals.web.staff_views import PAGE_SIZE
    from massline.core.pagination import keyset_page

    cursor, reached = deep_cursor(user, queue, DEPTH)
    caught: list[tuple[str, Any]] = []

    def catch(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        caught.append((sql, params))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(catch):
        keyset_page(
            selectors.appeal_queue(user=user, queue=queue), order=queue_order(queue), cursor=cursor, size=PAGE_SIZE
        )
    print(f"\n--- plan: {title} (page {reached})")
    prefix = "EXPLAIN (ANALYZE, BUFFERS) " if connection.vendor == "postgresql" else "EXPLAIN QUERY PLAN "
    with connection.cursor() as explained:
        explained.execute(prefix + caught[-1][0], caught[-1][1])
        print("\n".join(str(row[-1]) for row in explained.fetchall()))


def main() -> None:
    os.environ.setdefault("ALLOWED_HOSTS", "testserver")
    database = setup_django("appeals")
    logging.getLogger("axes").setLevel(logging.WARNING)  # one line per sign-in otherwise
    from django.db import connection
    from django.db.models import Min
    from django.test import Client
    from django.test.utils import override_settings

    from massline.accounts.models import User
    from massline.appeals import selectors
    from massline.appeals.models import Appeal, AppealEvent
    from massline.appeals.scale import generate_appeals
    from massline.appeals.services import ContactInput, appeal_route, appeal_submit
    from massline.appeals.sweep import deadline_sweep
    from massline.appeals.transitions import RUNNING_DEADLINE, Group, State
    from massline.appeals.web.staff_views import PAGE_SIZE
    from massline.core import clock
    from massline.org.models import Area, AreaLevel, Category

    # Pages render with plain static URLs: the benchmark measures the server, not collectstatic.
    override_settings(
        STORAGES={
            "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        }
    ).enable()

    now = clock.now()
    last_report = [time.perf_counter()]

    def progress(done: int, total: int) -> None:
        if time.perf_counter() - last_report[0] > 30 or done == total:
            last_report[0] = time.perf_counter()
            print(f"  generated {done:,} / {total:,}", file=sys.stderr)

    generated = generate_appeals(count=N, now=now, progress=progress)
    open_count = Appeal.objects.filter(state_group=Group.OPEN).count()
    print(f"database:            {database}")
    print(
        f"appeals:             {generated.appeals:,} with {generated.events:,} events, "
        f"{generated.assignments:,} assignments, {generated.contacts:,} contacts "
        f"(generated in {generated.seconds:.0f} s, {generated.appeals / generated.seconds:,.0f} appeals/s)"
    )
    print(f"open:                {open_count:,} ({100 * open_count / max(1, generated.appeals):.1f} %)")
    states = ", ".join(f"{state} {n:,}" for state, n in sorted(generated.counts.items(), key=lambda item: -item[1]))
    print(f"states:              {states}")

    dispatcher = User.objects.get(username="dispatcher")
    supervisor = User.objects.get(username="supervisor")
    handlers = [User.objects.get(username=name) for name in ("handler", "handler.d1")]
    # The unit handler with the longer "being handled" queue: the harder case.
    handler = max(handlers, key=lambda user: selectors.appeal_queue(user=user, queue="handling").count())

    def client_for(user: Any) -> Any:
        client = Client()
        client.force_login(user)
        return client

    cases = [
        ("dispatcher", dispatcher, "dispatch"),
        ("dispatcher", dispatcher, "overdue"),
        ("dispatcher", dispatcher, "answered"),
        (handler.username, handler, "handling"),
        (handler.username, handler, "overdue"),
        ("supervisor", supervisor, "due_soon"),
    ]
    connection.close()  # the pages start on a fresh connection: its prepared statements are theirs alone
    print(f"\npages (server time over {REQUESTS} requests; queue size; queries of one request)")
    for who, user, queue in cases:
        client = client_for(user)
        size = selectors.appeal_queue(user=user, queue=queue).count()
        for label, depth in (("first page", 0), (f"page {DEPTH + 1}", DEPTH)):
            if depth and size <= PAGE_SIZE:
                continue
            cursor, reached = deep_cursor(user, queue, depth) if depth else (None, 1)
            params = {"queue": queue, **({"after": cursor} if cursor else {})}
            url = f"/appeals/work/?{urlencode(params)}"

            def same_page(_i: int, page: str = url) -> str:
                return page

            samples, status, queries = timed_requests(client, same_page)
            p50, p95 = percentiles(samples)
            where = label if reached == depth + 1 else f"{label} (queue ends at page {reached})"
            print(
                f"  {queue:<9} {who:<11} {where:<34} p50 {p50:6.1f} ms  p95 {p95:6.1f} ms  "
                f"[{size:,} rows, {queries} queries, HTTP {status}]"
            )

    rng = random.Random(7)
    top = Appeal.objects.order_by("-pk").values_list("pk", flat=True).first() or 1
    ids = [rng.randint(1, top) for _ in range(REQUESTS * 3)]
    codes = list(Appeal.objects.filter(pk__in=ids).values_list("tracking_code", flat=True))
    rng.shuffle(codes)
    public = Client()
    samples, status, queries = timed_requests(public, lambda i: f"/appeals/track/{codes[i % len(codes)]}/")
    p50, p95 = percentiles(samples)
    print(
        f"  tracking page (random codes, anonymous)  p50 {p50:6.1f} ms  p95 {p95:6.1f} ms  [{queries} queries, HTTP {status}]"
    )
    print(f"memory after pages:  {rss_mib():.0f} MiB resident (VmRSS)")
    if connection.vendor == "postgresql":
        generic = generic_plans()
        binding = connection.settings_dict.get("OPTIONS", {}).get("server_side_binding", False)
        # Django's test client keeps the connection across its requests, whatever DB_CONN_MAX_AGE says.
        print(
            f"prepared statements: {'on' if binding else 'off'} (DB_SERVER_SIDE_BINDING); "
            f"{len(generic)} on the appeals' tables planned generically (generic runs, custom runs, statement):"
        )
        for runs, custom, text in generic:
            print(f"    {runs:4d} {custom:4d}  {text}")

    # Duplicates: for a waiting appeal, the open appeals about the same matter (same street or topic, words in
    # common), as the dispatcher's case page asks for them.
    # The waiting appeals, then random open ones up to REQUESTS: the lookup costs the same whatever the state.
    waiting = list(Appeal.objects.filter(state__in=[State.RECEIVED, State.PENDING_DISPATCH]).order_by("?")[:REQUESTS])
    waiting += list(
        Appeal.objects.filter(state_group=Group.OPEN)
        .exclude(pk__in=[appeal.pk for appeal in waiting])
        .order_by("?")[: REQUESTS - len(waiting)]
    )
    duplicate_times, found = [], 0
    for appeal in waiting:
        started = time.perf_counter()
        found += bool(selectors.possible_duplicates(user=dispatcher, appeal=appeal))
        duplicate_times.append((time.perf_counter() - started) * 1000)
    if duplicate_times:
        p50, p95 = percentiles(duplicate_times)
        print(
            f"  possible duplicates of a waiting appeal  p50 {p50:6.1f} ms  p95 {p95:6.1f} ms  "
            f"[{len(waiting)} appeals, {found} with candidates; target < 50 ms]"
        )

    # The sweep: first the regular pass (its last pass ran one interval earlier), then the pass just after the
    # next end of a working day, when every answer deadline of the day passes at once (deadlines fall at the
    # end of a day), with the warnings that came due on the way; then a repeated pass that finds nothing.
    print("\ndeadline sweep")
    next_due = (
        Appeal.objects.filter(RUNNING_DEADLINE, escalation_level=0, due_at__gt=now).aggregate(first=Min("due_at"))[
            "first"
        ]
        or now
    )
    burst = next_due + dt.timedelta(minutes=5)
    for label, moment in (
        ("regular pass (5 min since last)", now),
        (f"at the end of the day (+{(burst - now).total_seconds() / 3600:.1f} h)", burst),
        ("repeated pass, nothing due", burst),
    ):
        started = time.perf_counter()
        result = deadline_sweep(now=moment)
        seconds = time.perf_counter() - started
        acted = ", ".join(f"{name} {n}" for name, n in result.counts.items())
        print(f"  {label:<33} {seconds:6.2f} s  ({acted}; {open_count:,} open)")

    # Intake: submit then route by the matrix, each in its own transaction, with timeline and audit records.
    communities = list(Area.objects.filter(level=AreaLevel.COMMUNITY))
    leaves = list(Category.objects.filter(depth=2))
    submitting = routing = 0.0
    for i in range(SUBMITS):
        started = time.perf_counter()
        submitted_appeal = appeal_submit(
            actor=None,
            kind="complaint",
            channel="hotline",
            title="小区门口道路坑洼积水",
            description="小区南门外的道路有好几个大坑，下雨天积水很深，希望尽快修补。",
            area=communities[i % len(communities)],
            category=leaves[(i * 7) % len(leaves)],
            contact=ContactInput(name="王先生", phone="13900000000"),
            route_after_commit=False,
        )
        submitted = time.perf_counter()
        appeal_route(appeal=submitted_appeal.appeal)
        submitting += submitted - started
        routing += time.perf_counter() - submitted
    print(
        f"\nintake:              {SUBMITS / (submitting + routing):,.0f} appeals/s submit + route "
        f"({SUBMITS} in {submitting + routing:.1f} s); store alone {SUBMITS / submitting:,.0f}/s, "
        f"route alone {SUBMITS / routing:,.0f}/s (a request does both, decision 0007)"
    )
    print(f"peak memory:         {peak_rss_mib():.0f} MiB")

    if VERBOSE:
        from massline.appeals.choices import AssignmentRole, AssignmentState
        from massline.appeals.models import Assignment

        for who, user, queue in cases:
            explain(f"{queue} queue, first page, as {who}", selectors.appeal_queue(user=user, queue=queue)[:51])
        explain_deep_page("overdue queue, a deep page, as dispatcher", dispatcher, "overdue")
        code = codes[0]
        explain(
            "tracking page: the appeal",
            Appeal.objects.select_related("lead_unit", "category", "area").filter(tracking_code=code)[:1],
        )
        appeal = Appeal.objects.get(tracking_code=code)
        explain(
            "tracking page: its timeline",
            AppealEvent.objects.filter(appeal=appeal).select_related("unit").order_by("at", "id"),
        )
        explain(
            "sweep: objection period passed",
            Assignment.objects.filter(role=AssignmentRole.LEAD, state=AssignmentState.PENDING, object_due_at__lte=now)
            .order_by("appeal_id")
            .filter(appeal_id__gt=0)
            .values_list("appeal_id", flat=True)
            .distinct()[:200],
        )
        explain(
            "sweep: warnings",
            Appeal.objects.filter(state_group=Group.OPEN, warned_at__isnull=True, warn_at__lte=now, pk__gt=0)
            .order_by("pk")
            .values_list("pk", flat=True)[:200],
        )
        explain(
            "sweep: overdue",
            Appeal.objects.filter(RUNNING_DEADLINE, due_at__lte=now, escalation_level__lt=1, pk__gt=0)
            .order_by("pk")
            .values_list("pk", flat=True)[:200],
        )
    connection.close()


if __name__ == "__main__":
    main()
