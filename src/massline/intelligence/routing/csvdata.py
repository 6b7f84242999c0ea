"""Reading and writing the CSV files of the ``massline routing`` commands. A file that cannot be read whole is
refused with the line (row) where it goes wrong; nothing is half-read."""

from __future__ import annotations

import csv
import io
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from .model import RouterError


@dataclass(frozen=True)
class Table:
    header: list[str]
    rows: list[list[str]]
    first_line: list[int]  # the file line on which each row starts (header is line 1)

    def column(self, name: str) -> list[str]:
        index = self.header.index(name)
        return [row[index] for row in self.rows]


def read_table(path: Path, *, required: Sequence[str]) -> Table:
    """The whole CSV file (UTF-8, with or without BOM; quoted fields may span lines). Raises ``RouterError``
    naming the row for undecodable bytes, a row with the wrong number of fields, or a missing column."""
    if not path.is_file():
        raise RouterError(f"{path}: no such file")
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        raise RouterError(f"{path}: line {line}: not UTF-8 text") from None
    csv.field_size_limit(min(sys.maxsize, 2**31 - 1))
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header = next(reader)
    except StopIteration:
        raise RouterError(f"{path}: the file is empty") from None
    except csv.Error as error:
        raise RouterError(f"{path}: line 1: {error}") from None
    header = [name.strip() for name in header]
    missing = [name for name in required if name not in header]
    if missing:
        raise RouterError(f"{path}: no column {', '.join(missing)} (the header has: {', '.join(header)})")
    rows: list[list[str]] = []
    first_line: list[int] = []
    while True:
        start = reader.line_num + 1
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as error:
            raise RouterError(f"{path}: row {len(rows) + 1} (line {start}): {error}") from None
        if not row:
            continue  # a blank line
        if len(row) != len(header):
            raise RouterError(
                f"{path}: row {len(rows) + 1} (line {start}): {len(row)} fields where the header has {len(header)}"
            )
        rows.append(row)
        first_line.append(start)
    if not rows:
        raise RouterError(f"{path}: no rows after the header")
    return Table(header, rows, first_line)


def labelled(table: Table, path: Path, *, text_column: str, label_column: str) -> tuple[list[str], list[str]]:
    """Texts and labels; a row without a label is refused by number."""
    texts, labels = table.column(text_column), [label.strip() for label in table.column(label_column)]
    for number, label in enumerate(labels, start=1):
        if not label:
            raise RouterError(f"{path}: row {number} (line {table.first_line[number - 1]}): empty {label_column!r}")
    return texts, labels


def write_table(path: Path, header: list[str], rows: list[list[str]]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
