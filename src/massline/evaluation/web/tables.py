"""The tables of the scorecard pages, defined once and used both for the page and for its CSV and XLSX
downloads, so that a download holds exactly what the page shows."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from typing import Any

from django.http import HttpResponse
from django.utils.functional import Promise

TEXT, COUNT, RATE, HOURS = "text", "count", "rate", "hours"
NO_DATA = "—"


@dataclass(frozen=True)
class Column:
    label: str | Promise
    kind: str = TEXT
    sort: str = ""  # the selector's sort name, when the page can sort by this column

    @property
    def numeric(self) -> bool:
        return self.kind != TEXT


@dataclass(frozen=True)
class Cell:
    value: Any
    kind: str = TEXT
    link: str = ""

    @property
    def text(self) -> str:
        if self.value is None:
            return NO_DATA
        if self.kind == RATE:
            return f"{self.value * 100:.1f}%"
        if self.kind == HOURS:
            return f"{self.value / 3600:.1f}"
        return str(self.value)

    @property
    def numeric(self) -> bool:
        return self.kind != TEXT


@dataclass
class Table:
    columns: list[Column]
    rows: list[list[Cell]] = field(default_factory=list)

    def add(self, *cells: Cell) -> None:
        self.rows.append(list(cells))


def text(value: Any, link: str = "") -> Cell:
    return Cell(value if value not in ("", None) else None, TEXT, link)


def count(value: int) -> Cell:
    return Cell(value, COUNT)


def rate(value: float | None) -> Cell:
    return Cell(value, RATE)


def hours(seconds: float | None) -> Cell:
    return Cell(seconds, HOURS)


def _csv_value(cell: Cell) -> Any:
    if cell.value is None:
        return ""
    if cell.kind == RATE:
        return f"{cell.value * 100:.1f}"
    if cell.kind == HOURS:
        return f"{cell.value / 3600:.1f}"
    return cell.value


def _header(column: Column) -> str:
    label = str(column.label)
    if column.kind == RATE:
        return f"{label} (%)"
    return label


def csv_response(table: Table, *, filename: str) -> HttpResponse:
    """UTF-8 with a byte-order mark, so spreadsheet programs read Chinese names correctly; rates in percent
    with one decimal, handling times in hours, as on the page; no figure is an empty cell."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([_header(column) for column in table.columns])
    for row in table.rows:
        writer.writerow([_csv_value(cell) for cell in row])
    response = HttpResponse("\ufeff" + buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
    return response


def xlsx_response(table: Table, *, filename: str, sheet: str) -> HttpResponse:
    """One worksheet; rates are numbers formatted as percentages, handling times hours, counts integers."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook(write_only=False)
    worksheet = workbook.active
    assert worksheet is not None
    worksheet.title = sheet[:31]
    worksheet.append([str(column.label) for column in table.columns])
    for header in worksheet[1]:
        header.font = Font(bold=True)
    for row in table.rows:
        values: list[Any] = []
        for cell in row:
            if cell.value is None:
                values.append(None)
            elif cell.kind == HOURS:
                values.append(round(cell.value / 3600, 1))
            else:
                values.append(cell.value)
        worksheet.append(values)
    for index, column in enumerate(table.columns, start=1):
        if column.kind == RATE:
            for (cell,) in worksheet.iter_rows(min_row=2, min_col=index, max_col=index):
                cell.number_format = "0.0%"
    worksheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = HttpResponse(
        buffer.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}.xlsx"'
    return response


EXPORT_FORMATS = ("csv", "xlsx")


def export_response(request: Any, table: Table, *, filename: str, sheet: str) -> HttpResponse | None:
    """The download the request asks for (``?format=csv`` or ``xlsx``), or None for the HTML page."""
    wanted = request.GET.get("format", "")
    if wanted == "csv":
        return csv_response(table, filename=filename)
    if wanted == "xlsx":
        return xlsx_response(table, filename=filename, sheet=sheet)
    return None
