"""The hotline operator's call screen, in the order a call goes: who is calling, what about, where, then the
answer when it can be given at once."""

from __future__ import annotations

from typing import Any

from django import forms
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from massline.core.widgets import WithParentField
from massline.org.models import Area, AreaLevel, Category

from ..choices import AppealKind
from ..services.console import MIN_ANSWER_CHARACTERS
from ..services.intake import MAX_DESCRIPTION

SUBMIT, ANSWER = "submit", "answer"


class CallForm(forms.Form):
    phone = forms.CharField(
        label=_("Caller's phone"),
        max_length=30,
        required=False,
        widget=forms.TextInput(attrs={"autofocus": True, "inputmode": "tel", "autocomplete": "off"}),
    )
    name = forms.CharField(label=_("Caller's name"), max_length=100, required=False)
    kind = forms.ChoiceField(label=_("Type"), choices=AppealKind.choices)
    title = forms.CharField(label=_("Title"), max_length=200)
    description = forms.CharField(
        label=_("What the caller says"), max_length=MAX_DESCRIPTION, widget=forms.Textarea(attrs={"rows": 5})
    )
    area = WithParentField(label=_("Street or community"), queryset=Area.objects.none(), required=False)
    category = WithParentField(label=_("Topic"), queryset=Category.objects.none(), required=False)
    location_text = forms.CharField(label=_("Address or place"), max_length=300, required=False)
    urgent = forms.BooleanField(label=_("Urgent"), required=False)
    contact_confidential = forms.BooleanField(label=_("Caller asks for confidentiality"), required=False)
    anonymous = forms.BooleanField(label=_("Caller wants to stay anonymous"), required=False)
    publish_consent = forms.BooleanField(
        label=_("May be shown on the public case wall (personal details hidden)"), required=False
    )
    answer = forms.CharField(
        label=_("Answer given on the spot (consultations)"),
        required=False,
        max_length=MAX_DESCRIPTION,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Fill in only when you answered the caller's question yourself: the case is then closed."),
    )
    call_key = forms.CharField(widget=forms.HiddenInput, max_length=60)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = (  # type: ignore[attr-defined]
            Area.objects.filter(level__in=[AreaLevel.STREET, AreaLevel.COMMUNITY], is_active=True)
            .select_related("parent")
            .order_by("path")
        )
        self.fields["category"].queryset = (  # type: ignore[attr-defined]
            Category.objects.filter(depth__gte=1, is_active=True).select_related("parent").order_by("path")
        )
        # The side panel follows the typing (htmx): earlier cases by number, similar cases and answers by text.
        self.fields["phone"].widget.attrs.update(
            {
                "hx-get": reverse("appeals:console_caller"),
                "hx-trigger": "keyup changed delay:300ms, change",
                "hx-target": "#caller-history",
                "hx-sync": "this:replace",
            }
        )
        hints = {
            "hx-get": reverse("appeals:console_hints"),
            "hx-include": "#id_title, #id_description, #id_area, #id_category",
            "hx-target": "#hints",
            "hx-sync": "#hints:replace",
        }
        for name, trigger in (
            ("title", "keyup changed delay:350ms"),
            ("description", "keyup changed delay:350ms"),
            ("area", "change"),
            ("category", "change"),
        ):
            self.fields[name].widget.attrs.update({**hints, "hx-trigger": trigger})

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        action = self.data.get("action", SUBMIT)
        data["action"] = ANSWER if action == ANSWER else SUBMIT
        if data["action"] == ANSWER:
            if data.get("kind") and data["kind"] != AppealKind.CONSULTATION:
                self.add_error("kind", _("Only a consultation can be answered on the spot."))
            if len((data.get("answer") or "").strip()) < MIN_ANSWER_CHARACTERS:
                self.add_error(
                    "answer",
                    _("Write the answer given to the caller (at least %(min)d characters).")
                    % {"min": MIN_ANSWER_CHARACTERS},
                )
        if not data.get("anonymous") and not (data.get("phone") or "").strip():
            self.add_error("phone", _("Note the caller's number, or mark the call anonymous."))
        return data


class HintForm(forms.Form):
    """What the side panel reads from the call screen while the operator types."""

    phone = forms.CharField(required=False, max_length=30)
    title = forms.CharField(required=False, max_length=200)
    description = forms.CharField(required=False, max_length=MAX_DESCRIPTION)
    area = forms.ModelChoiceField(queryset=Area.objects.filter(is_active=True), required=False)
    category = forms.ModelChoiceField(queryset=Category.objects.filter(is_active=True), required=False)
