"""Widgets and choice fields that render fast. Django renders every <option> of a select through its own
template; a list of the city's ~500 units then costs tens of milliseconds per page. ``FastSelect`` writes the
same HTML in one pass in Python, with the same escaping. A ``ModelChoiceField`` also makes a model instance
for every option; ``ValuesChoiceField`` reads only the columns its labels need (``.values()``) and renders
with ``FastSelect``, while validation still goes through the queryset as Django's does."""

from __future__ import annotations

from typing import Any

from django import forms
from django.forms.models import ModelChoiceIterator
from django.forms.utils import flatatt
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe

from massline.core.models import bilingual


class FastSelect(forms.Select):
    def render(self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None) -> SafeString:
        final = self.build_attrs(self.attrs, {**(attrs or {}), "name": name})
        chosen = {str(v) for v in (value if isinstance(value, list | tuple) else [value]) if v not in (None, "")}
        parts: list[str] = [format_html("<select{}>", flatatt(final))]
        for option_value, label in self.choices:
            key = "" if option_value is None else str(option_value)
            selected = " selected" if key in chosen else ""
            parts.append(
                f'<option value="{conditional_escape(key)}"{selected}>{conditional_escape(str(label))}</option>'
            )
        parts.append("</select>")
        return mark_safe("".join(parts))  # noqa: S308 - every value and label is escaped above


class FastSelectMultiple(FastSelect):
    allow_multiple_selected = True

    def build_attrs(self, base_attrs: dict[str, Any], extra_attrs: dict[str, Any] | None = None) -> dict[str, Any]:
        return {**super().build_attrs(base_attrs, extra_attrs), "multiple": True}

    def value_from_datadict(self, data: Any, files: Any, name: str) -> Any:
        getter = getattr(data, "getlist", None)
        return getter(name) if getter is not None else data.get(name)


class _ValuesChoiceIterator(ModelChoiceIterator):
    def __iter__(self) -> Any:
        field: ValuesChoiceField = self.field  # type: ignore[assignment]
        if field.empty_label is not None:
            yield ("", field.empty_label)
        for row in self.queryset.values("pk", *field.label_fields):
            yield (row["pk"], field.label_from_values(row))


class ValuesChoiceField(forms.ModelChoiceField):
    """A model choice whose options are built from ``label_fields`` read with ``.values()``; by default the
    bilingual name (``name_zh``/``name_en``). Subclasses name more fields (``parent__name_zh``, …) and say how
    a row becomes a label in ``label_from_values``."""

    iterator = _ValuesChoiceIterator
    widget = FastSelect
    label_fields: tuple[str, ...] = ("name_zh", "name_en")

    def label_from_values(self, row: dict[str, Any]) -> str:
        return bilingual(row["name_zh"], row["name_en"])


class UnitWithAreaField(ValuesChoiceField):
    """A unit, with its area in brackets: 城管局 (江岸区)."""

    label_fields = ("name_zh", "name_en", "area__name_zh", "area__name_en")

    def label_from_values(self, row: dict[str, Any]) -> str:
        unit = bilingual(row["name_zh"], row["name_en"])
        return f"{unit} ({bilingual(row['area__name_zh'], row['area__name_en'])})"


class WithParentField(ValuesChoiceField):
    """An area or a topic after its parent: 环境 · 噪音 (the name alone at the top)."""

    label_fields = ("name_zh", "name_en", "parent__name_zh", "parent__name_en")

    def label_from_values(self, row: dict[str, Any]) -> str:
        name = bilingual(row["name_zh"], row["name_en"])
        if row["parent__name_zh"] is None:
            return name
        return f"{bilingual(row['parent__name_zh'], row['parent__name_en'])} · {name}"
