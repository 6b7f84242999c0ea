"""Daily open data: the appeals of the last year and the scorecards, as CSV and JSON with a schema, anonymised —
what a journalist or a researcher downloads, and what must never be in it."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from typing import Any

import pytest

from massline.appeals.services import ContactInput, appeal_route, appeal_submit
from massline.core import clock
from massline.evaluation.services import scorecard_refresh
from massline.open311.opendata import APPEAL_FIELDS, open_data_export

pytestmark = pytest.mark.django_db


@pytest.fixture
def exports(settings: Any, tmp_path: Any) -> Any:
    settings.MASSLINE_OPEN_DATA_DIR = str(tmp_path / "open-data")
    return tmp_path / "open-data"


def _appeal(city: Any, title: str, **options: Any) -> Any:
    return appeal_route(
        appeal=appeal_submit(
            actor=None,
            kind="complaint",
            channel="web",
            title=title,
            description=f"{title}，联系人张三，电话13912345678。",
            area=city.community_a,
            category=city.potholes,
            contact=ContactInput(name="张三", phone="13912345678", email="zhang@example.cn"),
            latitude="30.592800",
            longitude="114.305500",
            route_after_commit=False,
            **options,
        ).appeal
    )


def test_the_export_is_anonymised_complete_and_documented(client: Any, city: Any, exports: Any) -> None:
    shown = _appeal(city, "和平路坑洼", publish_consent=True)
    _appeal(city, "保密的事", contact_confidential=True)
    scorecard_refresh(month=clock.today().replace(day=1))
    tomorrow = clock.today() + dt.timedelta(days=1)
    counts = open_data_export(day=tomorrow)
    assert counts["appeals"] == 1 and counts["scorecards"] > 0
    folder = exports / tomorrow.isoformat()
    rows = list(csv.DictReader(io.StringIO((folder / "appeals.csv").read_text(encoding="utf-8-sig"))))
    assert [row["district_code"] for row in rows] == [city.district_a.code]
    assert list(rows[0]) == [name for name, _kind, _text in APPEAL_FIELDS]
    assert rows[0]["category_code"] == "C0101" and rows[0]["lead_unit_code"] == city.urban_bureau.code
    assert rows[0]["status"] == "open" and rows[0]["received_date"] == clock.today().isoformat()
    everything = "".join(path.read_text(encoding="utf-8-sig") for path in folder.iterdir())
    for private in (shown.tracking_code, "13912345678", "张三", "zhang@example.cn", "和平路", "30.5928", "保密"):
        assert private not in everything, private
    assert json.loads((folder / "appeals.json").read_text())[0]["id"] == rows[0]["id"]
    schema = json.loads((folder / "schema.json").read_text())
    fields = schema["resources"][0]["schema"]["fields"]
    assert [field["name"] for field in fields] == [name for name, _kind, _text in APPEAL_FIELDS]
    assert all(field["description"] and field["description_zh"] for field in fields)
    # The same appeal keeps its pseudonym the next day, and writing a day again replaces its files.
    open_data_export(day=tomorrow + dt.timedelta(days=1))
    later = json.loads((exports / (tomorrow + dt.timedelta(days=1)).isoformat() / "appeals.json").read_text())
    assert later[0]["id"] == rows[0]["id"]
    assert open_data_export(day=tomorrow) == counts
    # The public page lists the days; the files download; nothing else is served from there.
    page = client.get("/open-data/").content.decode()
    assert tomorrow.isoformat() in page and "appeals.csv" in page
    download = client.get(f"/open-data/{tomorrow.isoformat()}/appeals.csv")
    assert download.status_code == 200 and download["Content-Type"].startswith("text/csv")
    assert client.get(f"/open-data/{tomorrow.isoformat()}/settings.py").status_code == 404
    assert client.get("/open-data/..%2F..%2Fetc/passwd").status_code == 404
    assert client.get("/open-data/2001-01-01/appeals.csv").status_code == 404


def test_the_page_says_when_nothing_was_exported_yet(client: Any, exports: Any) -> None:
    response = client.get("/open-data/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200 and "Nothing has been exported yet" in response.content.decode()
