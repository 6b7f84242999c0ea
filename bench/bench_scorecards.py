"""Scorecards: the time to recompute one month from N appeals spread over 24 months.

python bench/bench_scorecards.py                       # SQLite under var/bench/, 100,000 appeals
BENCH_APPEALS=1000000 BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_scorecards \
    python bench/bench_scorecards.py                   # PostgreSQL (COPY), target: a month in under 30 s

The organisation is a city of 16 districts × 20 streets × 5 communities (Beijing ranks 343 streets and
townships), 320 street offices and 30 departments, 10 × 6 categories. Appeals are written directly (COPY on
PostgreSQL, executemany on SQLite) in realistic final states: most answered and rated, some late, some
returned once, the recent ones still open."""

from __future__ import annotations

import datetime as dt
import os
import random
import time
from collections.abc import Iterator
from typing import Any

from _setup import peak_rss_mib, setup_django

N = int(os.environ.get("BENCH_APPEALS", "100000"))
MONTHS = 24
SEED = 12345


def build_org() -> tuple[list[Any], list[Any], list[Any], list[Any]]:
    """Areas, units and categories in bulk, level by level, with their materialised paths."""
    from massline.org.models import AREA_KIND_LEVEL, Area, AreaKind, Category, Unit

    def areas(parents: list[Any], kind: str, count: int, prefix: str) -> list[Any]:
        made = []
        for parent in parents:
            for i in range(count):
                code = f"{parent.code if parent else ''}{prefix}{i:02d}"
                path = Area.child_path(parent.path if parent else None, code)
                made.append(
                    Area(
                        code=code,
                        name_zh=code,
                        name_en=code,
                        kind=kind,
                        level=AREA_KIND_LEVEL[AreaKind(kind)],
                        parent=parent,
                        path=path,
                        depth=path.count("/") - 1,
                    )
                )
        return Area.objects.bulk_create(made)

    (city,) = areas([None], "city", 1, "B")
    districts = areas([city], "district", 16, "D")
    streets = areas(districts, "street", 20, "S")
    communities = areas(streets, "community", 5, "C")
    government = Unit.objects.create(code="GOV", name_zh="市政府", kind="government", area=city, path="GOV/")
    units = [
        Unit(
            code=f"O-{street.code}",
            name_zh=f"{street.code}街道办事处",
            kind="street_office",
            area=street,
            parent=government,
            path=f"GOV/O-{street.code}/",
            depth=1,
        )
        for street in streets
    ] + [
        Unit(
            code=f"DEP{i:02d}",
            name_zh=f"市局{i:02d}",
            kind="department",
            area=city,
            parent=government,
            path=f"GOV/DEP{i:02d}/",
            depth=1,
        )
        for i in range(30)
    ]
    units = Unit.objects.bulk_create(units)
    tops = Category.objects.bulk_create(
        [Category(code=f"K{i:02d}", name_zh=f"类别{i:02d}", path=f"K{i:02d}/", depth=0) for i in range(10)]
    )
    leaves = Category.objects.bulk_create(
        [
            Category(
                code=f"{top.code}{j:02d}",
                name_zh=f"{top.code}{j:02d}",
                parent=top,
                path=f"{top.path}{top.code}{j:02d}/",
                depth=1,
            )
            for top in tops
            for j in range(6)
        ]
    )
    return communities, units[:320], units[320:], leaves


def appeal_rows(
    now: dt.datetime, communities: list[Any], offices: list[Any], departments: list[Any], leaves: list[Any]
) -> Iterator[tuple[dict[str, Any], list[dict[str, Any]]]]:
    """Each appeal's fields and its lead assignments."""
    rng = random.Random(SEED)
    span = MONTHS * 30.4 * 86400
    office_of_street = {office.area_id: office for office in offices}
    for i in range(1, N + 1):
        received = now - dt.timedelta(seconds=rng.random() * span)
        community = rng.choice(communities)
        category = rng.choice(leaves)
        age = (now - received).total_seconds() / 86400
        fields: dict[str, Any] = {
            "id": i,
            "tracking_code": f"B{i:010d}",
            "area_id": community.pk,
            "category_id": category.pk,
            "received_at": received,
            "created_at": received,
            "updated_at": received,
        }
        assignments: list[dict[str, Any]] = []
        roll = rng.random()
        if roll < 0.03:
            fields.update(state="pending_dispatch", state_group="open")
            yield fields, assignments
            continue
        unit = office_of_street[community.parent_id] if rng.random() < 0.7 else rng.choice(departments)
        due = received + dt.timedelta(days=7)
        if rng.random() < 0.06:  # returned once, then designated
            other = rng.choice(departments)
            assignments.append({"unit_id": other.pk, "state": "objected", "at": received})
        assignments.append({"unit_id": unit.pk, "state": "accepted", "at": received + dt.timedelta(hours=2)})
        fields.update(lead_unit_id=unit.pk, due_at=due)
        if age < 5 and rng.random() < 0.6:
            fields.update(state="in_progress", state_group="open")
        else:
            replied = received + dt.timedelta(hours=rng.uniform(1, 9 * 24))
            fields.update(replied_at=replied, outcome="solved", reply_text="已处理。")
            if rng.random() < 0.9:
                contacted = rng.random() < 0.92
                satisfaction = rng.choices(["satisfied", "basically_satisfied", "dissatisfied"], weights=[70, 20, 10])[
                    0
                ]
                fields.update(
                    state="closed" if satisfaction != "dissatisfied" else "under_review",
                    state_group="closed" if satisfaction != "dissatisfied" else "open",
                    satisfaction=satisfaction,
                    solved=satisfaction != "dissatisfied" and rng.random() < 0.85,
                    rated_at=replied + dt.timedelta(days=1),
                    contacted_at=received + dt.timedelta(hours=3) if contacted else None,
                )
            else:
                fields.update(state="replied", state_group="resolved")
        yield fields, assignments


def insert(table: str, columns: list[Any], rows: Iterator[tuple[Any, ...]]) -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            sql = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join(['%s'] * len(columns))})"  # noqa: S608
            batch: list[tuple[Any, ...]] = []
            for row in rows:
                batch.append(row)
                if len(batch) == 10000:
                    cursor.executemany(sql, batch)
                    batch = []
            if batch:
                cursor.executemany(sql, batch)


def load_appeals(communities: list[Any], offices: list[Any], departments: list[Any], leaves: list[Any]) -> None:
    from django.db import connection, transaction

    from massline.appeals.models import Appeal, AppealPolicy, Assignment
    from massline.core import clock

    policy = AppealPolicy.objects.create(version=1, name="RULES.md defaults")
    now = clock.now()
    fields = list(Appeal._meta.concrete_fields)
    columns = [f.column for f in fields]
    defaults: dict[str, Any] = {}
    for f in fields:
        default = None if f.null else f.get_default()
        defaults[f.attname] = f.get_db_prep_save(default, connection) if default is not None else None
    defaults.update(
        kind="complaint",
        channel="hotline",
        urgency="normal",
        track="hotline",
        title="诉求",
        description="诉求内容",
        policy_id=policy.pk,
        round=1,
        bounce_count=0,
        extended_days=0,
        escalation_level=0,
    )
    datetime_columns = {f.attname for f in fields if f.get_internal_type() == "DateTimeField"}
    adapt = connection.ops.adapt_datetimefield_value
    assignment_rows: list[tuple[Any, ...]] = []

    def rows() -> Iterator[tuple[Any, ...]]:
        for values, assignments in appeal_rows(now, communities, offices, departments, leaves):
            record = {**defaults, **values}
            record["bounce_count"] = sum(1 for a in assignments if a["state"] == "objected")
            for name in datetime_columns:
                if record.get(name) is not None:
                    record[name] = adapt(record[name])
            for a in assignments:
                at = adapt(a["at"])
                assignment_rows.append((values["id"], a["unit_id"], "lead", a["state"], at, at, False, "", at, at))
            yield tuple(record[f.attname] for f in fields)

    with transaction.atomic():
        insert(Appeal._meta.db_table, columns, rows())
        insert(
            Assignment._meta.db_table,
            [
                "appeal_id",
                "unit_id",
                "role",
                "state",
                "dispatched_at",
                "decided_at",
                "designated",
                "objection_reason",
                "created_at",
                "updated_at",
            ],
            iter(assignment_rows),
        )
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {Appeal._meta.db_table}; ANALYZE {Assignment._meta.db_table}")


def main() -> None:
    database = setup_django("scorecards")
    from massline.evaluation.months import add_months, current_month
    from massline.evaluation.services import scorecard_refresh

    started = time.perf_counter()
    communities, offices, departments, leaves = build_org()
    load_appeals(communities, offices, departments, leaves)
    load_seconds = time.perf_counter() - started

    month = add_months(current_month(), -12)
    scorecard_refresh(month=month)  # warm the caches once, as the periodic job keeps them warm
    timings = []
    for _ in range(3):
        started = time.perf_counter()
        fill = scorecard_refresh(month=month)
        timings.append(time.perf_counter() - started)
    print(f"database:            {database}")
    print(f"appeals:             {N:,} over {MONTHS} months (loaded in {load_seconds:.1f} s)")
    print(f"month refreshed:     {month:%Y-%m}: {fill.appeals:,} appeals → {fill.rows:,} rows")
    print(f"refresh one month:   {min(timings):.2f} s best, {max(timings):.2f} s worst of {len(timings)}")
    print(f"peak memory:         {peak_rss_mib():.0f} MiB")


if __name__ == "__main__":
    main()
