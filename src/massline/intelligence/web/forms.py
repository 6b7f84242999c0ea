"""What a supervisor fills in to act on a hot issue."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from massline.accounts.permissions import scope_for
from massline.accounts.roles import Role
from massline.core.widgets import UnitWithAreaField
from massline.org.models import Unit


def units_within_reach(user: Any) -> Any:
    """Active units in the supervisor's area (every unit for a platform administrator)."""
    from django.db.models import Q

    scope = scope_for(user, Role.SUPERVISOR, Role.ADMINISTRATOR)
    units = Unit.objects.filter(is_active=True).select_related("area").order_by("path")
    if scope.everything:
        return units
    condition = Q()
    for path in scope.area_paths:
        condition |= Q(area__path__startswith=path)
    return units.filter(condition) if condition else Unit.objects.none()


class TakeUpForm(forms.Form):
    title = forms.CharField(
        label=_("Title of the task"),
        max_length=200,
        help_text=_("Shown on the public page of proactive work; personal details are masked."),
    )
    lead_unit = UnitWithAreaField(label=_("Lead unit"), queryset=Unit.objects.none())
    due_date = forms.DateField(
        label=_("Deadline"),
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("The day by which the unit reports what it has done."),
    )
    programme = forms.BooleanField(
        label=_("Make it this month's “one problem a month” programme"),
        required=False,
    )
    note = forms.CharField(
        label=_("Instructions to the unit"), required=False, widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
    )

    def __init__(self, *args: Any, user: Any = None, issue: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["lead_unit"].queryset = units_within_reach(user)  # type: ignore[attr-defined]
        if issue is not None:
            from ..services.hot import public_title

            self.fields["title"].initial = public_title(issue)


class DismissForm(forms.Form):
    reason = forms.CharField(label=_("Why is it dismissed?"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000)
