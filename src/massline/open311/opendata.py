"""Daily open data: anonymised appeals and the scorecards, as CSV and JSON, with a machine-readable schema.

Written once a day by the periodic job ``open311.open_data_export`` into ``MASSLINE_OPEN_DATA_DIR/<day>/``
(``appeals.csv``, ``appeals.json``, ``scorecards.csv``, ``scorecards.json``, ``schema.json``) and served at
``/open-data/``. Writing the same day again replaces that day's files (idempotent).

Anonymised means: no text of any kind (titles, descriptions, answers), no contact details, no coordinates, no
tracking code (a keyed hash stands for it, stable across days, so records can be followed without being traced
back), days instead of times, and places no finer than the district. The appeals Open311 leaves out
(confidential, petitions, reports, legal-channel referrals) are left out here too."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import hmac
import io
import json
import os
from pathlib import Path
from typing import Any

from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from massline.appeals.transitions import Group
from massline.org.models import AreaLevel

from .selectors import public_requests

WINDOW_DAYS = 365  # appeals received in the last year

APPEAL_FIELDS: list[tuple[str, str, Any]] = [
    ("id", "string", _("A stable pseudonym of the appeal (keyed hash); not its tracking code.")),
    ("received_date", "date", _("The day the appeal was received, in the deployment's time zone.")),
    ("kind", "string", _("consultation, help, complaint, report or suggestion.")),
    ("channel", "string", _("web, hotline, letter, visit, email, api or proactive.")),
    ("category_code", "string", _("The topic's code in the catalogue (empty when not yet set).")),
    ("category_name", "string", _("The topic's name (Chinese).")),
    ("district_code", "string", _("The district (or county) the appeal is about; empty when not known.")),
    ("district_name", "string", _("The district's name (Chinese).")),
    ("lead_unit_code", "string", _("The unit responsible (empty before dispatch).")),
    ("lead_unit_name", "string", _("The unit's name (Chinese).")),
    ("status", "string", _("open, resolved or closed.")),
    ("due_date", "date", _("The answer deadline's day (empty when none runs).")),
    ("replied_date", "date", _("The day the unit replied (empty when not yet).")),
    ("replied_on_time", "boolean", _("Whether the reply came by the deadline (empty when not replied).")),
    ("outcome", "string", _("solved, explained or not_supported (empty when not replied).")),
    ("satisfaction", "string", _("satisfied, basically_satisfied or dissatisfied, as the citizen rated it.")),
    ("solved", "boolean", _("Whether the citizen said the problem was solved (empty when not rated).")),
    ("closed_date", "date", _("The day the appeal was closed (empty when open).")),
]
SCORECARD_FIELDS: list[tuple[str, str, Any]] = [
    ("month", "date", _("The first day of the month the appeals were received in.")),
    ("dimension", "string", _("unit, area, category or area_category.")),
    ("unit_code", "string", _("The unit (dimension unit).")),
    ("area_code", "string", _("The area (dimensions area and area_category).")),
    ("category_code", "string", _("The topic (dimensions category and area_category).")),
    ("received", "integer", _("Appeals received.")),
    ("replied", "integer", _("Appeals replied.")),
    ("replied_on_time", "integer", _("Appeals replied by their deadline.")),
    ("rated", "integer", _("Valid follow-ups (ratings).")),
    ("solved", "integer", _("Rated as solved.")),
    ("satisfied", "integer", _("Rated satisfied.")),
    ("basically_satisfied", "integer", _("Rated basically satisfied.")),
    ("dissatisfied", "integer", _("Rated dissatisfied.")),
    ("response_rate", "number", _("Share contacted in time (0–1), as the scorecard pages show it.")),
    ("resolution_rate", "number", _("Share solved among the rated (0–1).")),
    ("satisfaction_rate", "number", _("Weighted satisfaction among the rated (0–1).")),
    ("composite_score", "number", _("The policy's weighted composite (0–1).")),
]


def export_root() -> Path:
    return Path(settings.MASSLINE_OPEN_DATA_DIR)


def _pseudonym(code: str) -> str:
    return hmac.new(settings.SECRET_KEY.encode(), f"open-data:{code}".encode(), hashlib.sha256).hexdigest()[:16]


def _day(value: dt.datetime | None) -> str:
    return timezone.localdate(value).isoformat() if value is not None else ""


def _district(path: str | None, names: dict[str, str]) -> tuple[str, str]:
    codes = [code for code in (path or "").split("/") if code]
    if len(codes) < AreaLevel.DISTRICT:
        return "", ""
    code = codes[AreaLevel.DISTRICT - 1]
    return code, names.get(code, "")


def appeal_rows(*, until: dt.datetime) -> list[dict[str, Any]]:
    from massline.org.models import Area

    districts = dict(Area.objects.filter(level=AreaLevel.DISTRICT).values_list("code", "name_zh"))
    rows = []
    for appeal in (
        public_requests()
        .filter(received_at__gte=until - dt.timedelta(days=WINDOW_DAYS), received_at__lt=until)
        .order_by("received_at", "pk")
        .values(
            "tracking_code",
            "received_at",
            "kind",
            "channel",
            "category__code",
            "category__name_zh",
            "area__path",
            "lead_unit__code",
            "lead_unit__name_zh",
            "state_group",
            "due_at",
            "replied_at",
            "outcome",
            "satisfaction",
            "solved",
            "closed_at",
        )  # fmt: skip
        .iterator(chunk_size=2000)
    ):
        district_code, district_name = _district(appeal["area__path"], districts)
        replied = appeal["replied_at"]
        on_time = "" if replied is None or appeal["due_at"] is None else replied <= appeal["due_at"]
        rows.append(
            {
                "id": _pseudonym(appeal["tracking_code"]),
                "received_date": _day(appeal["received_at"]),
                "kind": appeal["kind"],
                "channel": appeal["channel"],
                "category_code": appeal["category__code"] or "",
                "category_name": appeal["category__name_zh"] or "",
                "district_code": district_code,
                "district_name": district_name,
                "lead_unit_code": appeal["lead_unit__code"] or "",
                "lead_unit_name": appeal["lead_unit__name_zh"] or "",
                "status": appeal["state_group"] if appeal["state_group"] in Group.values else "",
                "due_date": _day(appeal["due_at"]),
                "replied_date": _day(replied),
                "replied_on_time": on_time,
                "outcome": appeal["outcome"] or "",
                "satisfaction": appeal["satisfaction"] or "",
                "solved": "" if appeal["solved"] is None else appeal["solved"],
                "closed_date": _day(appeal["closed_at"]),
            }
        )
    return rows


def scorecard_rows() -> list[dict[str, Any]]:
    from massline.evaluation.models import ScorecardRow

    rows = []
    for row in ScorecardRow.objects.order_by("month", "dimension", "pk").values(
        "month", "dimension", "unit__code", "area__code", "category__code", "received", "replied",
        "replied_on_time", "rated", "solved", "satisfied", "basically_satisfied", "dissatisfied", "response_rate",
        "resolution_rate", "satisfaction_rate", "composite_score",
    ):  # fmt: skip
        rows.append(
            {
                "month": row["month"].isoformat(),
                "dimension": row["dimension"],
                "unit_code": row["unit__code"] or "",
                "area_code": row["area__code"] or "",
                "category_code": row["category__code"] or "",
                **{
                    name: row[name]
                    for name in (
                        "received",
                        "replied",
                        "replied_on_time",
                        "rated",
                        "solved",
                        "satisfied",
                        "basically_satisfied",
                        "dissatisfied",
                    )
                },  # fmt: skip
                **{
                    name: _rate(row[name])
                    for name in ("response_rate", "resolution_rate", "satisfaction_rate", "composite_score")
                },
            }
        )
    return rows


def _rate(value: Any) -> float | str:
    return round(float(value), 4) if value is not None else ""


def _write(path: Path, data: bytes) -> None:
    """Write ``data`` whole or not at all (a reader never sees half a file)."""
    import tempfile

    with tempfile.NamedTemporaryFile(dir=path.parent, prefix=f".{path.name}.", delete=False) as handle:
        handle.write(data)
    os.replace(handle.name, path)


def _csv(rows: list[dict[str, Any]], fields: list[tuple[str, str, Any]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=[name for name, _type, _text in fields], lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow(
            {key: ("true" if value is True else "false" if value is False else value) for key, value in row.items()}
        )
    return ("\ufeff" + buffer.getvalue()).encode()  # a BOM, so spreadsheet programs read the Chinese names


def schema() -> dict[str, Any]:
    def described(text: Any, language: str) -> str:
        with translation.override(language):
            return str(text)

    def table(fields: list[tuple[str, str, Any]]) -> dict[str, Any]:
        return {
            "fields": [
                {
                    "name": name,
                    "type": kind,
                    "description": described(text, "en"),
                    "description_zh": described(text, "zh-hans"),
                }
                for name, kind, text in fields
            ]
        }

    return {
        "profile": "tabular-data-package",
        "name": "massline-open-data",
        "resources": [
            {"name": "appeals", "path": ["appeals.csv", "appeals.json"], "schema": table(APPEAL_FIELDS)},
            {"name": "scorecards", "path": ["scorecards.csv", "scorecards.json"], "schema": table(SCORECARD_FIELDS)},
        ],
    }


def open_data_export(*, day: dt.date | None = None) -> dict[str, int]:
    """Write the exports of ``day`` (today by default): appeals received in the year before it began, and every
    computed scorecard. Returns the row counts."""
    from massline.core import clock

    day = day or clock.today()
    until = timezone.make_aware(dt.datetime.combine(day, dt.time.min))
    target = export_root() / day.isoformat()
    target.mkdir(parents=True, exist_ok=True)
    appeals = appeal_rows(until=until)
    scorecards = scorecard_rows()
    _write(target / "appeals.csv", _csv(appeals, APPEAL_FIELDS))
    _write(target / "appeals.json", json.dumps(appeals, ensure_ascii=False).encode())
    _write(target / "scorecards.csv", _csv(scorecards, SCORECARD_FIELDS))
    _write(target / "scorecards.json", json.dumps(scorecards, ensure_ascii=False).encode())
    _write(target / "schema.json", json.dumps(schema(), ensure_ascii=False, indent=2).encode())
    return {"appeals": len(appeals), "scorecards": len(scorecards)}


FILES = ("appeals.csv", "appeals.json", "scorecards.csv", "scorecards.json", "schema.json")


def export_days(limit: int = 31) -> list[str]:
    """The days exported, newest first."""
    root = export_root()
    if not root.is_dir():
        return []
    days = [entry.name for entry in root.iterdir() if entry.is_dir() and _is_day(entry.name)]
    return sorted(days, reverse=True)[:limit]


def _is_day(name: str) -> bool:
    try:
        dt.date.fromisoformat(name)
    except ValueError:
        return False
    return True
