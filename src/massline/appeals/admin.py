from typing import Any

from django import forms
from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from massline.core.admin import AuditedAdminMixin

from .models import Appeal, AppealPolicy, ReplyTemplate, default_rules


class AppealPolicyForm(forms.ModelForm):
    class Meta:
        model = AppealPolicy
        fields = ["version", "name", "rules", "is_active"]

    def clean_rules(self) -> dict[str, Any]:
        rules = self.cleaned_data["rules"]
        if not isinstance(rules, dict):
            raise forms.ValidationError(_("The rules must be a JSON object."))
        unknown = sorted(set(rules) - set(default_rules()))
        if unknown:
            raise forms.ValidationError(_("Unknown rules: %(names)s.") % {"names": ", ".join(unknown)})
        by_kind = rules.get("handle_working_days", default_rules()["handle_working_days"])
        if not isinstance(by_kind, dict) or not isinstance(by_kind.get("default"), int):
            raise forms.ValidationError(_("handle_working_days needs a whole-number “default”."))
        return rules


@admin.register(AppealPolicy)
class AppealPolicyAdmin(AuditedAdminMixin):
    """The policy catalogue. A version that appeals already use is read-only: write a new version instead,
    so that older appeals keep the rules they were stamped with."""

    form = AppealPolicyForm
    list_display = ["version", "name", "is_active", "created_at"]
    list_filter = ["is_active"]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        if obj is not None and Appeal.objects.filter(policy=obj).exists():
            return ["version", "rules"]
        return []


@admin.register(ReplyTemplate)
class ReplyTemplateAdmin(AuditedAdminMixin):
    """Vetted starting texts for replies; a unit's own templates are offered to its handlers only."""

    list_display = ["name", "outcome", "unit", "is_active"]
    list_filter = ["is_active", "outcome"]
    search_fields = ["name", "text"]
    autocomplete_fields = ["unit"]
