"""Scorecards from appeals built through the services: the figures people read on the public pages, the
refresh's idempotence, month attribution in Beijing time, downloads, and pages that never read the cases."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from massline.core.clock import FixedClock, use_clock
from massline.evaluation.models import Dimension, ScorecardFill, ScorecardRow
from massline.evaluation.services import scorecard_refresh

from .conftest import CITIZEN_NAME, CITIZEN_PHONE, FEBRUARY, JANUARY, beijing

pytestmark = pytest.mark.django_db

MARCH_CLOCK = beijing("2026-03-02", 9)


def refresh(*months: Any) -> None:
    with use_clock(FixedClock(MARCH_CLOCK)):
        for month in months:
            scorecard_refresh(month=month)


def row_of(table: Any, first_cell: str) -> list[str]:
    """The cells of the table row whose first cell reads ``first_cell``, as shown on the page."""
    for row in table.rows:
        if row[0].text == first_cell:
            return [cell.text for cell in row]
    raise AssertionError(f"no row {first_cell!r} in {[row[0].text for row in table.rows]}")


def test_the_unit_page_shows_the_three_rates_of_art_32(january, client) -> None:  # type: ignore[no-untyped-def]
    refresh(JANUARY)
    response = client.get("/scorecards/?month=2026-01")
    assert response.status_code == 200
    urban = row_of(response.context["table"], january.city.urban_bureau.label)
    # received, follow-ups, response 2/3, resolution 2/3, satisfaction (2 + 0.9)/3,
    # composite 0.1·2/3 + 0.5·2/3 + 0.4·2.9/3, on time 3/4, returned 1 of 6 dispatches, (0+0+0+15 days)/4
    assert urban[1:] == ["5", "3", "66.7%", "66.7%", "96.7%", "78.7%", "75.0%", "16.7%", "90.0"]
    assert row_of(response.context["table"], january.city.street_a_office.label)[1:7] == [
        "1",
        "1",
        "0.0%",
        "0.0%",
        "0.0%",
        "0.0%",
    ]
    assert row_of(response.context["table"], january.city.district_b_gov.label)[3:7] == ["100.0%"] * 4
    html = response.content.decode()
    assert "96.7%" in html and "78.7%" in html and "16.7%" in html
    # Sorted by composite score, best first.
    names = [row[0].text for row in response.context["table"].rows]
    assert names == [
        january.city.district_b_gov.label,
        january.city.urban_bureau.label,
        january.city.street_a_office.label,
    ]


def test_the_stored_rates_are_exact(january) -> None:  # type: ignore[no-untyped-def]
    refresh(JANUARY)
    urban = ScorecardRow.objects.get(month=JANUARY, dimension=Dimension.UNIT, unit=january.city.urban_bureau)
    assert (urban.dispatched, urban.objections, urban.replied, urban.replied_on_time) == (6, 1, 4, 3)
    assert urban.satisfaction_rate == pytest.approx((2 + 0.9) / 3)
    assert urban.composite_score == pytest.approx(0.1 * 2 / 3 + 0.5 * 2 / 3 + 0.4 * 2.9 / 3)
    assert urban.objection_rate == pytest.approx(1 / 6)
    assert urban.average_handling_seconds == pytest.approx(15 * 86400 / 4)


def test_a_district_covers_its_streets_and_a_category_its_children(january) -> None:  # type: ignore[no-untyped-def]
    refresh(JANUARY)
    c = january.city

    def received(dimension: str, **key: Any) -> int:
        return ScorecardRow.objects.get(month=JANUARY, dimension=dimension, **key).received

    assert received(Dimension.AREA, area=c.community_a) == 6
    assert received(Dimension.AREA, area=c.street_a) == 6
    assert received(Dimension.AREA, area=c.district_a) == 6
    assert received(Dimension.AREA, area=c.district_b) == 1
    assert received(Dimension.AREA, area=c.city) == 7  # the appeal of 1 February 00:30 in Beijing is February's
    assert received(Dimension.CATEGORY, category=c.potholes) == 5
    assert received(Dimension.CATEGORY, category=c.noise) == 2
    assert received(Dimension.CATEGORY, category=c.urban) == 7
    assert received(Dimension.AREA_CATEGORY, area=c.district_a, category=c.noise) == 1
    assert received(Dimension.AREA_CATEGORY, area=c.district_a, category=c.urban) == 6
    # Below streets there are no area × category rows.
    assert not ScorecardRow.objects.filter(dimension=Dimension.AREA_CATEGORY, area=c.community_a).exists()


def test_an_appeal_counts_in_the_month_of_its_receipt_in_beijing_time(january) -> None:  # type: ignore[no-untyped-def]
    refresh(JANUARY, FEBRUARY)
    assert ScorecardFill.objects.get(month=JANUARY).appeals == 7
    assert ScorecardFill.objects.get(month=FEBRUARY).appeals == 1


def test_refreshing_twice_gives_the_same_rows(january) -> None:  # type: ignore[no-untyped-def]
    def snapshot() -> list[tuple[Any, ...]]:
        fields = [f.name for f in ScorecardRow._meta.fields if f.name != "id"]
        return sorted(ScorecardRow.objects.values_list(*fields), key=repr)

    refresh(JANUARY)
    first = snapshot()
    refresh(JANUARY)
    assert snapshot() == first
    assert ScorecardRow.objects.filter(month=JANUARY).count() == ScorecardFill.objects.get(month=JANUARY).rows
    assert ScorecardFill.objects.filter(month=JANUARY).count() == 1


def test_the_ranking_of_streets(january, client) -> None:  # type: ignore[no-untyped-def]
    refresh(JANUARY)
    table = client.get("/scorecards/ranking/?month=2026-01").context["table"]
    assert [(row[0].text, row[1].text, row[8].text) for row in table.rows] == [
        ("1", january.city.street_b.label, "100.0%"),
        # Heping: 4 rated, 2 contacted, 2 solved, 2 satisfied, 1 basically, 1 dissatisfied
        ("2", january.city.street_a.label, "59.0%"),
    ]


def test_the_busiest_categories_of_an_area(january, client) -> None:  # type: ignore[no-untyped-def]
    refresh(JANUARY)
    response = client.get("/scorecards/categories/?month=2026-01&area=T0101")
    table = response.context["table"]
    assert [(row[0].text, row[2].text) for row in table.rows] == [
        (january.city.urban.label, "6"),
        (january.city.potholes.label, "5"),
        (january.city.noise.label, "1"),
    ]


def test_the_unit_page_draws_its_year_without_inline_style_or_script(january, client) -> None:  # type: ignore[no-untyped-def]
    refresh(JANUARY, FEBRUARY)
    response = client.get("/scorecards/unit/U-URBAN/?month=2026-02")
    html = response.content.decode()
    assert response.status_code == 200
    assert html.count("<svg") == 1 and "<polyline" in html
    assert "style=" not in html and "<script>" not in html
    table = response.context["table"]
    assert [row[0].text for row in table.rows][-2:] == ["2026-01", "2026-02"]
    assert row_of(table, "2026-01")[3:7] == ["66.7%", "66.7%", "96.7%", "78.7%"]
    assert row_of(table, "2026-02")[1:4] == ["1", "0", "—"]  # received, nobody rated yet: no rate, not 0 %
    assert client.get("/scorecards/unit/NOPE/").status_code == 404


def test_public_pages_carry_no_personal_data_and_link_to_each_other(january, client) -> None:  # type: ignore[no-untyped-def]
    refresh(JANUARY)
    codes = [appeal.tracking_code for appeal in january.appeals]
    for url in (
        "/scorecards/?month=2026-01",
        "/scorecards/unit/U-URBAN/?month=2026-01",
        "/scorecards/ranking/?month=2026-01",
        "/scorecards/categories/?month=2026-01",
        "/scorecards/about/",
    ):
        html = client.get(url).content.decode()
        for private in (CITIZEN_NAME, CITIZEN_PHONE, "wxy@example.org", "和平路有个大坑", *codes):
            assert private not in html, (url, private)
        for other in ('href="/scorecards/', 'href="/scorecards/ranking/', 'href="/scorecards/categories/'):
            assert other in html, (url, other)
        if url != "/scorecards/about/":
            assert 'href="/scorecards/about/"' in html, url
        for download in ("format=csv", "format=xlsx"):
            assert download in html or url.endswith("/about/"), (url, download)
    assert 'href="/scorecards/unit/U-URBAN/?month=2026-01"' in client.get("/scorecards/?month=2026-01").content.decode()


def test_csv_and_xlsx_downloads_hold_the_rows_of_the_page(january, client) -> None:  # type: ignore[no-untyped-def]
    refresh(JANUARY)
    label = january.city.urban_bureau.label

    response = client.get("/scorecards/?month=2026-01&format=csv")
    assert response["Content-Type"].startswith("text/csv")
    assert 'filename="scorecards-units-2026-01.csv"' in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert len(rows) == 1 + 3
    urban = next(row for row in rows if row[0] == label)
    assert urban[1:] == ["5", "3", "66.7", "66.7", "96.7", "78.7", "75.0", "16.7", "90.0"]

    response = client.get("/scorecards/ranking/?month=2026-01&format=xlsx")
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = list(sheet.iter_rows(values_only=True))
    assert len(values) == 1 + 2
    assert values[2][1] == january.city.street_a.label and values[2][0] == 2
    assert values[2][8] == pytest.approx(0.59)

    for url in ("/scorecards/unit/U-URBAN/?month=2026-01", "/scorecards/categories/?month=2026-01"):
        sheet = load_workbook(io.BytesIO(client.get(url + "&format=xlsx").content)).active
        assert sheet.max_row > 1


def test_the_list_page_never_reads_the_case_table(january, client) -> None:  # type: ignore[no-untyped-def]
    refresh(JANUARY)
    for url in ("/scorecards/?month=2026-01", "/scorecards/ranking/", "/scorecards/categories/?area=T0101"):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        assert len(queries) <= 6, [q["sql"] for q in queries]
        assert not any("appeals_appeal" in q["sql"] for q in queries), url


def test_the_default_month_is_the_latest_complete_one(january, client) -> None:  # type: ignore[no-untyped-def]
    refresh(JANUARY, FEBRUARY, FEBRUARY.replace(month=3))
    response = client.get("/scorecards/")
    assert response.context["month"] == FEBRUARY
    assert client.get("/scorecards/?month=2031-07").context["month"] == FEBRUARY


def test_an_empty_site_says_so(db, client) -> None:  # type: ignore[no-untyped-def]
    for url in ("/scorecards/", "/scorecards/ranking/", "/scorecards/categories/"):
        response = client.get(url)
        assert response.status_code == 200 and response.context["month"] is None


def test_the_periodic_job_refreshes_this_month_and_the_last(january) -> None:  # type: ignore[no-untyped-def]
    from massline.core.periodic import registered_jobs
    from massline.evaluation.tasks import scorecards_refresh_recent

    job = registered_jobs()["evaluation.scorecards_refresh"]
    assert job.every.total_seconds() == 15 * 60
    with use_clock(FixedClock(MARCH_CLOCK)):
        scorecards_refresh_recent.enqueue()
    assert sorted(ScorecardFill.objects.values_list("month", flat=True)) == [FEBRUARY, FEBRUARY.replace(month=3)]
    assert ScorecardFill.objects.get(month=FEBRUARY).appeals == 1


def test_the_command_refreshes_one_month_or_all(january) -> None:  # type: ignore[no-untyped-def]
    out = io.StringIO()
    with use_clock(FixedClock(MARCH_CLOCK)):
        call_command("scorecards", "refresh", "--month", "2026-01", stdout=out)
        assert "2026-01: " in out.getvalue() and "from 7 appeals" in out.getvalue()
        call_command("scorecards", "refresh", "--all", stdout=out)
    assert sorted(ScorecardFill.objects.values_list("month", flat=True)) == [
        JANUARY,
        FEBRUARY,
        FEBRUARY.replace(month=3),
    ]
