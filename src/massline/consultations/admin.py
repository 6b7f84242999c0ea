"""The administrator edits the kinds of matter (their steps and rules) as data. Matters, comments and votes
are changed only through the services, never here; the admin shows them read-only."""

from typing import Any

from django import forms
from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from massline.core.admin import AuditedAdminMixin

from .models import Matter, MatterKind, Step, default_rules


class MatterKindForm(forms.ModelForm):
    class Meta:
        model = MatterKind
        fields = ["code", "name_zh", "name_en", "description", "steps", "rules", "is_active"]

    def clean_steps(self) -> list[str]:
        steps = self.cleaned_data["steps"]
        if not isinstance(steps, list) or not steps or not all(isinstance(step, str) for step in steps):
            raise forms.ValidationError(_("The steps must be a list of step names."))
        unknown = sorted(set(steps) - set(Step.values))
        if unknown:
            raise forms.ValidationError(
                _("Unknown steps: %(names)s. Known: %(known)s.")
                % {"names": ", ".join(unknown), "known": ", ".join(Step.values)}
            )
        if len(set(steps)) != len(steps):
            raise forms.ValidationError(_("A step appears only once."))
        return steps

    def clean_rules(self) -> dict[str, Any]:
        rules = self.cleaned_data["rules"]
        if not isinstance(rules, dict):
            raise forms.ValidationError(_("The rules must be a JSON object."))
        unknown = sorted(set(rules) - set(default_rules()))
        if unknown:
            raise forms.ValidationError(_("Unknown rules: %(names)s.") % {"names": ", ".join(unknown)})
        return rules


@admin.register(MatterKind)
class MatterKindAdmin(AuditedAdminMixin):
    """A kind's procedure. Matters keep the copy they were opened with, so editing a kind changes only the
    matters opened after."""

    form = MatterKindForm
    list_display = ["code", "name_zh", "name_en", "is_active"]


@admin.register(Matter)
class MatterAdmin(admin.ModelAdmin):
    list_display = ["code", "title", "kind", "area", "step", "outcome"]
    list_filter = ["kind", "step", "outcome"]
    search_fields = ["code", "title"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
