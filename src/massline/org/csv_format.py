"""The CSV formats of the organisation, shared by the import (``services.csv_import``) and the export
(``selectors.csv_export``), so that what is exported can be imported back unchanged.

Every file is UTF-8 (with or without the byte-order mark Excel writes) with a header row. Required columns
must appear in the header; optional columns may be left out, and then the import leaves those fields as
they are (or at their defaults for new rows)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

CsvKind = Literal["areas", "units", "categories", "rules", "posts"]

CO_UNIT_SEPARATOR = ";"


@dataclass(frozen=True)
class CsvFormat:
    kind: CsvKind
    columns: tuple[str, ...]  # in the order the export writes them
    required: frozenset[str]  # columns the header must have
    required_values: frozenset[str]  # columns that may not be blank in any row

    @property
    def optional(self) -> tuple[str, ...]:
        return tuple(column for column in self.columns if column not in self.required)


FORMATS: dict[str, CsvFormat] = {
    "areas": CsvFormat(
        kind="areas",
        columns=(
            "code",
            "parent_code",
            "name_zh",
            "name_en",
            "kind",
            "population",
            "households",
            "latitude",
            "longitude",
        ),
        required=frozenset({"code", "parent_code", "name_zh", "kind"}),
        required_values=frozenset({"code", "name_zh", "kind"}),
    ),
    "units": CsvFormat(
        kind="units",
        columns=("code", "parent_code", "name_zh", "name_en", "kind", "area_code", "phone", "address"),
        required=frozenset({"code", "parent_code", "name_zh", "kind", "area_code"}),
        required_values=frozenset({"code", "name_zh", "kind", "area_code"}),
    ),
    "categories": CsvFormat(
        kind="categories",
        columns=("code", "parent_code", "name_zh", "name_en", "description"),
        required=frozenset({"code", "parent_code", "name_zh"}),
        required_values=frozenset({"code", "name_zh"}),
    ),
    "rules": CsvFormat(
        kind="rules",
        columns=("category_code", "area_code", "lead_unit_code", "co_unit_codes", "note"),
        required=frozenset({"category_code", "area_code", "lead_unit_code"}),
        required_values=frozenset({"category_code", "area_code", "lead_unit_code"}),
    ),
    "posts": CsvFormat(
        kind="posts",
        columns=("username", "unit_code", "title_zh", "title_en", "is_head"),
        required=frozenset({"username", "unit_code", "title_zh"}),
        required_values=frozenset({"username", "unit_code", "title_zh"}),
    ),
}

KINDS: tuple[str, ...] = tuple(FORMATS)
TREE_KINDS: tuple[str, ...] = ("areas", "units", "categories")


# A text cell that begins like a spreadsheet formula is exported with a leading apostrophe, so Excel shows it
# as text instead of running it; the import removes that apostrophe again.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
FORMULA_ESCAPED = frozenset("'" + start for start in FORMULA_STARTS)
