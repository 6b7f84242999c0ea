"""Importing the organisation from CSV: the area tree, the units, the category catalogue, the responsibility
matrix and the staff posts (formats in ``org.csv_format``).

The rule: the whole file is validated before anything is written, and every problem is reported with its line
(the header is line 1) and its column. By default a file with any error imports nothing, so a half-applied
organisation never exists. With ``partial=True`` the valid rows are imported; a row whose parent row is
invalid is skipped as invalid too. Parents are written before their children whatever the row order. Every
change goes through the services of ``tree.py``, so each one is on the audit ledger in the same transaction.

The management command ``massline org import`` and the admin "Import CSV" page both call
``org_csv_import``; neither has validation of its own."""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import IO, Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import models, transaction
from django.utils.translation import gettext as _

from massline.core.errors import ValidationFailed

from ..csv_format import CO_UNIT_SEPARATOR, FORMATS, FORMULA_ESCAPED, CsvFormat
from ..models import AREA_KIND_LEVEL, Area, AreaKind, Category, Post, ResponsibilityRule, TreeNode, Unit, UnitKind
from .tree import area_create, category_create, node_move, node_update, post_create, post_update, rule_set, unit_create

IMPORT_REASON = "csv import"

CREATED, UPDATED, UNCHANGED = "created", "updated", "unchanged"

# Where a field named by a service's ValidationFailed is found in the file.
_FIELD_COLUMN = {"parent": "parent_code", "area": "area_code", "lead_unit": "lead_unit_code", "user": "username"}


@dataclass(frozen=True, order=True)
class CsvError:
    """One problem in the file: its line (the header is line 1), the column (blank for the whole row or
    file) and a message in the active language."""

    line: int
    column: str
    message: str

    def __str__(self) -> str:
        return _("line %(line)d, column %(column)s: %(message)s") % {
            "line": self.line,
            "column": self.column or "-",
            "message": self.message,
        }


@dataclass
class CsvImportResult:
    kind: str
    partial: bool = False
    dry_run: bool = False
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[CsvError] = field(default_factory=list)
    written: bool = False  # the changes were committed (never for a dry run)

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def error_lines(self) -> list[int]:
        return sorted({error.line for error in self.errors})

    @property
    def changed(self) -> int:
        return self.created + self.updated


@dataclass(eq=False)
class _Row:
    line: int
    cells: dict[str, str]
    values: dict[str, Any] = field(default_factory=dict)  # column -> parsed value, for the cells that parsed
    fields: dict[str, Any] = field(default_factory=dict)  # model field -> value to write
    errors: list[CsvError] = field(default_factory=list)

    def error(self, column: str, message: str) -> None:
        self.errors.append(CsvError(self.line, column, message))

    @property
    def code(self) -> str | None:
        return self.values.get("code")

    @property
    def parent_code(self) -> str | None:
        return self.values.get("parent_code") or None


class _CellError(Exception):
    pass


class _Abort(Exception):
    """A write failed in an all-or-nothing import: roll everything back."""


# --- reading --------------------------------------------------------------------------------------------------


def _decode(source: bytes | str | IO[Any]) -> str:
    data = source.read() if hasattr(source, "read") else source
    if isinstance(data, bytes | bytearray | memoryview):
        return bytes(data).decode("utf-8-sig")
    return str(data).removeprefix("\ufeff")


def _read(fmt: CsvFormat, text: str, errors: list[CsvError]) -> list[_Row] | None:
    """The data rows of the file, or None when the header (or the CSV itself) is unusable."""
    reader = csv.reader(io.StringIO(text, newline=""))
    header: list[str] | None = None
    header_line = 1
    rows: list[_Row] = []
    try:
        while True:
            start = reader.line_num + 1
            try:
                cells = next(reader)
            except StopIteration:
                break
            if header is None:
                header_line = start
                header = _header(fmt, cells, start, errors)
                if errors:
                    return None
                continue
            if not any(cell.strip() for cell in cells):
                continue
            row = _Row(
                line=start, cells={name: (cells[i].strip() if i < len(cells) else "") for i, name in enumerate(header)}
            )
            if any(cell.strip() for cell in cells[len(header) :]):
                row.error("", _("This row has more cells than the header has columns."))
            for name, cell in row.cells.items():
                if "\x00" in cell:
                    row.error(name, _("This cell contains a NUL character, which cannot be stored."))
                elif cell[:2] in FORMULA_ESCAPED:
                    row.cells[name] = cell[1:]  # written by our export to keep spreadsheets from running it
            rows.append(row)
    except csv.Error as exc:
        errors.append(
            CsvError(reader.line_num or header_line, "", _("The file is not valid CSV: %(error)s") % {"error": exc})
        )
        return None
    if header is None:
        errors.append(CsvError(1, "", _("The file is empty: a header row is required.")))
        return None
    return rows


def _header(fmt: CsvFormat, cells: list[str], line: int, errors: list[CsvError]) -> list[str]:
    names = [cell.replace("\ufeff", "").strip().lower() for cell in cells]
    while names and not names[-1]:
        names.pop()
    seen: set[str] = set()
    for position, name in enumerate(names, start=1):
        if not name:
            errors.append(CsvError(line, "", _("Column %(position)d has no name.") % {"position": position}))
        elif name in seen:
            errors.append(CsvError(line, name, _("The column appears more than once.")))
        elif name not in fmt.columns:
            errors.append(
                CsvError(
                    line,
                    name,
                    _("Unknown column. The columns of this file are: %(columns)s.")
                    % {"columns": ", ".join(fmt.columns)},
                )
            )
        seen.add(name)
    for name in fmt.columns:
        if name in fmt.required and name not in seen:
            errors.append(CsvError(line, name, _("Missing required column.")))
    return names


# --- cells ----------------------------------------------------------------------------------------------------


def _text(max_length: int | None) -> Callable[[str], str]:
    def parse(value: str) -> str:
        if max_length is not None and len(value) > max_length:
            raise _CellError(_("At most %(max)d characters are allowed.") % {"max": max_length})
        return value

    return parse


def _code(value: str) -> str:
    if "/" in value:
        raise _CellError(_("A code must not contain “/”."))
    if len(value) > 40:
        raise _CellError(_("A code has at most 40 characters."))
    return value


def _code_list(value: str) -> list[str]:
    codes = [part.strip() for part in value.split(CO_UNIT_SEPARATOR) if part.strip()]
    return list(dict.fromkeys(_code(code) for code in codes))


def _count(value: str) -> int | None:
    if not value:
        return None
    try:
        number = int(value)
    except ValueError:
        raise _CellError(_("Not a whole number: %(value)s.") % {"value": value}) from None
    if not 0 <= number <= 2_147_483_647:
        raise _CellError(_("The number must be zero or more: %(value)s.") % {"value": value})
    return number


def _coordinate(limit: int) -> Callable[[str], Decimal | None]:
    def parse(value: str) -> Decimal | None:
        if not value:
            return None
        try:
            number = Decimal(value)
        except InvalidOperation:
            raise _CellError(_("Not a number: %(value)s.") % {"value": value}) from None
        if not number.is_finite() or abs(number) > limit:
            raise _CellError(_("The number must be between -%(limit)d and %(limit)d.") % {"limit": limit})
        if -number.as_tuple().exponent > 6:  # type: ignore[operator]
            raise _CellError(_("At most six decimal places are allowed: %(value)s.") % {"value": value})
        return number

    return parse


_TRUE = {"1", "true", "yes", "y", "是", "t"}
_FALSE = {"", "0", "false", "no", "n", "否", "f"}


def _flag(value: str) -> bool:
    lowered = value.lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    raise _CellError(_("Expected true or false: %(value)s.") % {"value": value})


def _choice(choices: Iterable[str]) -> Callable[[str], str]:
    allowed = list(choices)

    def parse(value: str) -> str:
        lowered = value.lower()
        if lowered not in allowed:
            raise _CellError(
                _("Unknown kind: %(value)s. Expected one of: %(choices)s.")
                % {"value": value, "choices": ", ".join(allowed)}
            )
        return lowered

    return parse


_COMMON_PARSERS: dict[str, Callable[[str], Any]] = {
    "code": _code,
    "parent_code": _code,
    "area_code": _code,
    "unit_code": _code,
    "category_code": _code,
    "lead_unit_code": _code,
    "co_unit_codes": _code_list,
    "name_zh": _text(200),
    "name_en": _text(200),
    "population": _count,
    "households": _count,
    "latitude": _coordinate(90),
    "longitude": _coordinate(180),
    "phone": _text(40),
    "address": _text(300),
    "description": _text(None),
    "note": _text(300),
    "username": _text(150),
    "title_zh": _text(100),
    "title_en": _text(100),
    "is_head": _flag,
}
_KIND_PARSERS: dict[str, Callable[[str], Any]] = {
    "areas": _choice(AreaKind.values),
    "units": _choice(UnitKind.values),
}


def _parse_cells(fmt: CsvFormat, rows: list[_Row]) -> None:
    for row in rows:
        for column, raw in row.cells.items():
            if column in fmt.required_values and not raw:
                row.error(column, _("A value is required."))
                continue
            parser = _KIND_PARSERS[fmt.kind] if column == "kind" else _COMMON_PARSERS[column]
            try:
                row.values[column] = parser(raw)
            except _CellError as exc:
                row.error(column, str(exc))


def _mark_duplicates(rows: list[_Row], key: Callable[[_Row], Any], column: str) -> dict[Any, _Row]:
    """The first row of each key; later rows with the same key are errors."""
    first: dict[Any, _Row] = {}
    for row in rows:
        value = key(row)
        if value is None:
            continue
        if value in first:
            row.error(
                column,
                _("This appears already on line %(line)d.") % {"line": first[value].line},
            )
        else:
            first[value] = row
    return first


def _missing(kind_label: str, code: str) -> str:
    return _("Unknown %(kind)s code: %(code)s.") % {"kind": kind_label, "code": code}


# --- trees ----------------------------------------------------------------------------------------------------

_TREE_MODELS: dict[str, type[TreeNode]] = {"areas": Area, "units": Unit, "categories": Category}
_TREE_CREATE: dict[str, Callable[..., Any]] = {
    "areas": area_create,
    "units": unit_create,
    "categories": category_create,
}


@dataclass
class _Tree:
    """The tree as it is in the database: each code's parent code, and an area's kind."""

    parent: dict[str, str | None]
    kind: dict[str, str]
    children: dict[str, list[str]]

    @classmethod
    def load(cls, model: type[TreeNode]) -> _Tree:
        parent: dict[str, str | None] = {}
        kind: dict[str, str] = {}
        children: dict[str, list[str]] = defaultdict(list)
        has_kind = model is Area
        columns = ["code", "parent__code", *(["kind"] if has_kind else [])]
        for values in model._default_manager.values_list(*columns):
            parent[values[0]] = values[1]
            if values[1] is not None:
                children[values[1]].append(values[0])
            if has_kind:
                kind[values[0]] = values[2]
        return cls(parent=parent, kind=kind, children=children)


def _final_depths(parent: dict[str, str | None]) -> dict[str, int | None]:
    """Each node's depth once the file is applied; None inside (or under) a cycle or an unknown parent."""
    depth: dict[str, int | None] = {}
    for start in parent:
        chain: list[str] = []
        on_chain: set[str] = set()
        code: str | None = start
        base: int | None
        while True:
            if code is None:
                base = -1
                break
            if code in depth:
                base = depth[code]
                break
            if code in on_chain or code not in parent:
                base = None
                break
            chain.append(code)
            on_chain.add(code)
            code = parent[code]
        for offset, item in enumerate(reversed(chain), start=1):
            depth[item] = None if base is None else base + offset
    return depth


def _check_tree(kind: str, tree: _Tree, rows: list[_Row]) -> dict[_Row, list[CsvError]]:
    """The errors of the tree the file would make: unknown parents, cycles, areas not below their parent's
    level, categories deeper than three levels. Checks the final state, rows and database together."""
    found: dict[_Row, list[CsvError]] = defaultdict(list)
    by_code = {row.code: row for row in rows if row.code}
    parent = dict(tree.parent)
    parent.update({code: row.parent_code for code, row in by_code.items()})

    for row in by_code.values():
        if row.parent_code and row.parent_code not in parent:
            found[row].append(
                CsvError(
                    row.line,
                    "parent_code",
                    _("Unknown parent code %(code)s: it is neither in the database nor earlier or later in this file.")
                    % {"code": row.parent_code},
                )
            )

    for row in by_code.values():
        path: list[str] = []
        code: str | None = row.code
        while code is not None and code in parent and code not in path:
            path.append(code)
            code = parent[code]
        if code is not None and code == row.code:
            cycle = " → ".join([*path, row.code])
            found[row].append(
                CsvError(row.line, "parent_code", _("The parent codes form a cycle: %(cycle)s.") % {"cycle": cycle})
            )

    if kind == "categories":
        depths = _final_depths(parent)
        for code, depth in depths.items():
            if depth is None or depth < Category.MAX_LEVEL:
                continue
            if code in by_code:
                found[by_code[code]].append(
                    CsvError(
                        by_code[code].line,
                        "parent_code",
                        _("The category catalogue has at most three levels; this category would be on level %(level)d.")
                        % {"level": depth + 1},
                    )
                )
                continue
            mover = _nearest_moved(code, parent, tree, by_code)
            if mover is not None:
                found[mover].append(
                    CsvError(
                        mover.line,
                        "parent_code",
                        _(
                            "This move would put the category %(code)s on level %(level)d; the catalogue has at most three levels."
                        )
                        % {"code": code, "level": depth + 1},
                    )
                )

    if kind == "areas":
        kinds = dict(tree.kind)
        kinds.update({code: row.values["kind"] for code, row in by_code.items() if "kind" in row.values})
        for code, row in by_code.items():
            own = row.values.get("kind")
            if own is None:
                continue
            level = AREA_KIND_LEVEL[AreaKind(own)]
            parent_code = parent.get(code)
            if parent_code in kinds and AREA_KIND_LEVEL[AreaKind(kinds[parent_code])] >= level:
                found[row].append(
                    CsvError(
                        row.line,
                        "kind",
                        _("A %(kind)s cannot be placed under a %(parent_kind)s (%(parent)s).")
                        % {
                            "kind": AreaKind(own).label,
                            "parent_kind": AreaKind(kinds[parent_code]).label,
                            "parent": parent_code,
                        },
                    )
                )
            for child in tree.children.get(code, []):
                if child in by_code:
                    continue  # checked on its own row
                if AREA_KIND_LEVEL[AreaKind(kinds[child])] <= level:
                    found[row].append(
                        CsvError(
                            row.line,
                            "kind",
                            _("The area %(child)s (a %(child_kind)s) would no longer be below this %(kind)s.")
                            % {"child": child, "child_kind": AreaKind(kinds[child]).label, "kind": AreaKind(own).label},
                        )
                    )
    return found


def _nearest_moved(code: str, parent: dict[str, str | None], tree: _Tree, by_code: dict[str, _Row]) -> _Row | None:
    """The closest ancestor of a database node whose row in the file gives it a new parent."""
    current = parent.get(code)
    seen: set[str] = set()
    while current is not None and current not in seen:
        seen.add(current)
        row = by_code.get(current)
        if row is not None and tree.parent.get(current, "\0") != row.parent_code:
            return row
        current = parent.get(current)
    return None


def _validate_tree(fmt: CsvFormat, rows: list[_Row], *, partial: bool) -> list[_Row]:
    """Attach every error to its row; return the rows to write, parents before children."""
    model = _TREE_MODELS[fmt.kind]
    _mark_duplicates(rows, lambda row: row.code, "code")
    if fmt.kind == "units":
        codes = {row.values["area_code"] for row in rows if row.values.get("area_code")}
        areas = Area.objects.in_bulk(codes, field_name="code")
        for row in rows:
            area_code = row.values.get("area_code")
            if area_code and area_code not in areas:
                row.error("area_code", _missing(_("area"), area_code))
            elif area_code:
                row.values["area"] = areas[area_code]
    tree = _Tree.load(model)

    if not partial:
        # Check the tree with every row whose code and parent code are readable, so one run reports all.
        present = [row for row in rows if _structural(row)]
        for row, errors in _check_tree(fmt.kind, tree, present).items():
            row.errors.extend(errors)
        return _ordered([row for row in rows if not row.errors], tree)

    first = {row.code: row for row in reversed(rows) if row.code}
    while True:
        changed = True
        while changed:  # a row under an invalid row is invalid too
            changed = False
            for row in rows:
                parent_row = first.get(row.parent_code or "")
                if not row.errors and parent_row is not None and parent_row is not row and parent_row.errors:
                    row.error(
                        "parent_code",
                        _("The parent %(code)s on line %(line)d has errors, so this row is not imported.")
                        % {"code": parent_row.code, "line": parent_row.line},
                    )
                    changed = True
        valid = [row for row in rows if not row.errors]
        found = _check_tree(fmt.kind, tree, valid)
        if not found:
            return _ordered(valid, tree)
        for row, errors in found.items():
            row.errors.extend(errors)


def _structural(row: _Row) -> bool:
    """The row's code and parent code are readable and the code is not a duplicate."""
    return bool(row.code) and not any(error.column in {"code", "parent_code"} for error in row.errors)


def _ordered(rows: list[_Row], tree: _Tree) -> list[_Row]:
    parent = dict(tree.parent)
    parent.update({row.code: row.parent_code for row in rows if row.code})
    depths = _final_depths(parent)
    return sorted(rows, key=lambda row: (depths.get(row.code or "") or 0, row.line))


def _tree_fields(fmt: CsvFormat, row: _Row) -> dict[str, Any]:
    fields: dict[str, Any] = {}
    for column in fmt.columns:
        if column in {"code", "parent_code"} or column not in row.values:
            continue
        if column == "area_code":
            fields["area"] = row.values["area"]
        else:
            fields[column] = row.values[column]
    return fields


def _differs(node: models.Model, name: str, value: Any) -> bool:
    current = getattr(node, name)
    if isinstance(value, models.Model):
        return getattr(node, f"{name}_id") != value.pk
    if name == "name_en" or isinstance(current, str):
        return (current or "") != (value or "")
    return bool(current != value)


def _write_tree_row(fmt: CsvFormat, row: _Row, actor: Any) -> str:
    model = _TREE_MODELS[fmt.kind]
    fields = _tree_fields(fmt, row)
    node: Any = model._default_manager.filter(code=row.code).first()
    parent = model._default_manager.get(code=row.parent_code) if row.parent_code else None
    if node is None:
        _TREE_CREATE[fmt.kind](actor=actor, code=row.code, parent=parent, **fields)
        return CREATED
    changes = {name: value for name, value in fields.items() if _differs(node, name, value)}
    moved = node.parent_id != (parent.pk if parent is not None else None)
    if not changes and not moved:
        return UNCHANGED
    # An area changing both kind and parent: going up a level, move first (the new parent is above the old
    # kind); going down, change the kind first (the old parent is above the new kind).
    move_first = (
        moved
        and isinstance(node, Area)
        and "kind" in changes
        and (AREA_KIND_LEVEL[AreaKind(changes["kind"])] < node.level)
    )
    if move_first:
        node = node_move(actor=actor, node=node, new_parent=parent, reason=IMPORT_REASON)
    if changes:
        node = node_update(actor=actor, node=node, reason=IMPORT_REASON, **changes)
    if moved and not move_first:
        node_move(actor=actor, node=node, new_parent=parent, reason=IMPORT_REASON)
    return UPDATED


# --- the responsibility matrix ----------------------------------------------------------------------------------


def _validate_rules(fmt: CsvFormat, rows: list[_Row], *, partial: bool) -> list[_Row]:
    _mark_duplicates(
        rows,
        lambda row: (
            (row.values.get("category_code"), row.values.get("area_code"))
            if row.values.get("category_code") and row.values.get("area_code")
            else None
        ),
        "area_code",
    )
    categories = Category.objects.in_bulk({row.values.get("category_code") for row in rows} - {None}, field_name="code")
    areas = Area.objects.in_bulk({row.values.get("area_code") for row in rows} - {None}, field_name="code")
    unit_codes = {row.values.get("lead_unit_code") for row in rows} | {
        code for row in rows for code in row.values.get("co_unit_codes", [])
    }
    units = Unit.objects.in_bulk(unit_codes - {None}, field_name="code")
    for row in rows:
        for column, found, label in (
            ("category_code", categories, _("category")),
            ("area_code", areas, _("area")),
            ("lead_unit_code", units, _("unit")),
        ):
            code = row.values.get(column)
            if code and code not in found:
                row.error(column, _missing(label, code))
        for code in row.values.get("co_unit_codes", []):
            if code not in units:
                row.error("co_unit_codes", _missing(_("unit"), code))
        if not row.errors:
            row.fields = {
                "category": categories[row.values["category_code"]],
                "area": areas[row.values["area_code"]],
                "lead_unit": units[row.values["lead_unit_code"]],
            }
            if "co_unit_codes" in row.values:
                row.fields["co_units"] = [units[code] for code in row.values["co_unit_codes"]]
            if "note" in row.values:
                row.fields["note"] = row.values["note"]
    return [row for row in rows if not row.errors]


def _write_rule_row(fmt: CsvFormat, row: _Row, actor: Any) -> str:
    fields = dict(row.fields)
    lead_unit: Unit = fields["lead_unit"]
    rule = (
        ResponsibilityRule.objects.filter(category=fields["category"], area=fields["area"])
        .prefetch_related("co_units")
        .first()
    )
    if rule is not None:
        fields.setdefault("co_units", list(rule.co_units.all()))
        fields.setdefault("note", rule.note)
    co_units = [unit for unit in fields.get("co_units", []) if unit.pk != lead_unit.pk]
    note = fields.get("note", "")
    if rule is not None and (
        rule.lead_unit_id == lead_unit.pk
        and rule.note == note
        and {unit.pk for unit in rule.co_units.all()} == {unit.pk for unit in co_units}
    ):
        return UNCHANGED
    rule_set(
        actor=actor,
        category=fields["category"],
        area=fields["area"],
        lead_unit=lead_unit,
        co_units=co_units,
        note=note,
    )
    return CREATED if rule is None else UPDATED


# --- staff posts ----------------------------------------------------------------------------------------------


def _validate_posts(fmt: CsvFormat, rows: list[_Row], *, partial: bool) -> list[_Row]:
    _mark_duplicates(
        rows,
        lambda row: (
            (row.values.get("username"), row.values.get("unit_code"))
            if row.values.get("username") and row.values.get("unit_code")
            else None
        ),
        "unit_code",
    )
    user_model = get_user_model()
    usernames = {row.values.get("username") for row in rows} - {None}
    users = {
        user.get_username(): user
        for user in user_model.objects.filter(**{f"{user_model.USERNAME_FIELD}__in": usernames})
    }
    units = Unit.objects.in_bulk({row.values.get("unit_code") for row in rows} - {None}, field_name="code")
    for row in rows:
        username: str = row.values.get("username", "")
        if username and username not in users:
            row.error("username", _("Unknown username: %(username)s.") % {"username": username})
        unit_code: str = row.values.get("unit_code", "")
        if unit_code and unit_code not in units:
            row.error("unit_code", _missing(_("unit"), unit_code))
        if not row.errors:
            row.fields = {"user": users[username], "unit": units[unit_code], "title_zh": row.values["title_zh"]}
            for column in ("title_en", "is_head"):
                if column in row.values:
                    row.fields[column] = row.values[column]
    return [row for row in rows if not row.errors]


def _write_post_row(fmt: CsvFormat, row: _Row, actor: Any) -> str:
    fields = dict(row.fields)
    post = Post.objects.filter(user=fields["user"], unit=fields["unit"], ended_on__isnull=True).order_by("id").first()
    if post is None:
        post_create(actor=actor, **fields)
        return CREATED
    changes: dict[str, Any] = {
        name: fields[name]
        for name in ("title_zh", "title_en", "is_head")
        if name in fields and getattr(post, name) != fields[name]
    }
    if not changes:
        return UNCHANGED
    post_update(actor=actor, post=post, reason=IMPORT_REASON, **changes)
    return UPDATED


# --- the use case ---------------------------------------------------------------------------------------------

_Validator = Callable[..., list[_Row]]
_Writer = Callable[[CsvFormat, _Row, Any], str]
_IMPORTERS: dict[str, tuple[_Validator, _Writer]] = {
    "areas": (_validate_tree, _write_tree_row),
    "units": (_validate_tree, _write_tree_row),
    "categories": (_validate_tree, _write_tree_row),
    "rules": (_validate_rules, _write_rule_row),
    "posts": (_validate_posts, _write_post_row),
}


def org_csv_import(
    *, actor: Any, kind: str, source: bytes | str | IO[Any], partial: bool = False, dry_run: bool = False
) -> CsvImportResult:
    """Import a CSV file of ``kind`` (areas, units, categories, rules or posts).

    All or nothing by default: any error and nothing is written. ``partial=True`` writes the valid rows (and
    skips the rows under an invalid one). ``dry_run=True`` runs the whole import and rolls it back, so the
    counts say what would change. Existing codes are updated (a new parent through ``node_move``), new codes
    created, each change audited with the reason "csv import"."""
    fmt = FORMATS.get(kind)
    if fmt is None:
        raise ValidationFailed(_("Unknown kind of file: %(kind)s.") % {"kind": kind}, field="kind")
    result = CsvImportResult(kind=kind, partial=partial, dry_run=dry_run)
    try:
        text = _decode(source)
    except UnicodeDecodeError as exc:
        line = exc.object[: exc.start].count(b"\n") + 1
        result.errors.append(CsvError(line, "", _("The file is not UTF-8 text. Save it as “CSV UTF-8”.")))
        return result
    rows = _read(fmt, text, result.errors)
    if rows is None:
        return result
    result.rows = len(rows)
    _parse_cells(fmt, rows)
    validate, write = _IMPORTERS[kind]
    with transaction.atomic():
        to_write = validate(fmt, rows, partial=partial)
        result.errors = sorted(error for row in rows for error in row.errors)
        if result.errors and not partial:
            return result
        try:
            _write_rows(fmt, to_write, write, actor=actor, partial=partial, result=result)
        except _Abort:
            transaction.set_rollback(True)
            result.created = result.updated = result.unchanged = 0
        else:
            if dry_run:
                transaction.set_rollback(True)
            else:
                result.written = True
    result.errors.sort()
    return result


def _write_rows(
    fmt: CsvFormat, rows: list[_Row], write: _Writer, *, actor: Any, partial: bool, result: CsvImportResult
) -> None:
    failed: dict[str, _Row] = {}
    for row in rows:
        failed_parent = failed.get(row.parent_code or "")
        if failed_parent is not None:
            error = CsvError(
                row.line,
                "parent_code",
                _("The parent %(code)s on line %(line)d has errors, so this row is not imported.")
                % {"code": failed_parent.code, "line": failed_parent.line},
            )
            result.errors.append(error)
            if row.code:
                failed[row.code] = row
            continue
        try:
            with transaction.atomic():
                outcome = write(fmt, row, actor)
        except (ValidationFailed, DjangoValidationError) as exc:
            result.errors.extend(_errors_from(exc, row))
            if not partial:
                raise _Abort from exc
            if row.code:
                failed[row.code] = row
            continue
        if outcome == CREATED:
            result.created += 1
        elif outcome == UPDATED:
            result.updated += 1
        else:
            result.unchanged += 1


def _errors_from(exc: ValidationFailed | DjangoValidationError, row: _Row) -> list[CsvError]:
    if isinstance(exc, ValidationFailed):
        column = _FIELD_COLUMN.get(exc.field or "", exc.field or "")
        return [CsvError(row.line, column, str(exc.message))]
    if hasattr(exc, "error_dict"):
        return [
            CsvError(row.line, _FIELD_COLUMN.get(name, name), str(message))
            for name, messages in exc.message_dict.items()
            for message in messages
        ]
    return [CsvError(row.line, "", str(message)) for message in exc.messages]
