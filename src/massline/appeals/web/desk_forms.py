"""Forms of the letters-and-visits reception desk and of the petitioner's review request."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from massline.core.widgets import ValuesChoiceField, WithParentField
from massline.org.models import Area, AreaLevel, Category

from ..choices import AppealKind, Channel, ReviewDecision
from ..services.intake import MAX_DESCRIPTION
from ..services.petition import MAX_REASON, MAX_REPRESENTATIVES, Representative

# "Name, phone" or "Name phone": a comma (either width), a semicolon or a tab; or a phone-like tail.
_SEPARATOR = re.compile(r"[,，;；\t]")
_PHONE_TAIL = re.compile(r"^(?P<name>.+?)\s+(?P<phone>\+?[\d][\d\s-]{4,})$")


def parse_representatives(text: str) -> list[Representative]:
    """One representative a line: a name, then optionally a phone number."""
    people = []
    for line in (text or "").splitlines():
        line = line.strip()
        if not line:
            continue
        parts = _SEPARATOR.split(line, maxsplit=1)
        if len(parts) == 2:
            people.append(Representative(parts[0].strip(), parts[1].strip()))
            continue
        match = _PHONE_TAIL.match(line)
        if match:
            people.append(Representative(match["name"].strip(), match["phone"].strip()))
        else:
            people.append(Representative(line))
    return people


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one field; each is checked by ``attachments_check`` in the view."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": "application/pdf,image/jpeg,image/png"}))
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> Any:
        single = super().clean
        if isinstance(data, (list, tuple)):
            return [single(item, initial) for item in data if item]
        return [single(data, initial)] if data else []


class DeskRegistrationForm(forms.Form):
    channel = forms.ChoiceField(
        label=_("How did the petition arrive?"),
        choices=[(Channel.LETTER, _("letter")), (Channel.VISIT, _("visit"))],
        widget=forms.RadioSelect,
        initial=Channel.LETTER,
    )
    kind = forms.ChoiceField(label=_("Type"), choices=AppealKind.choices, initial=AppealKind.COMPLAINT)
    name = forms.CharField(label=_("Petitioner's name"), max_length=100)
    address = forms.CharField(label=_("Petitioner's address"), max_length=300)
    phone = forms.CharField(label=_("Phone"), max_length=30, required=False)
    title = forms.CharField(
        label=_("The request"), max_length=200, help_text=_("What the petitioner asks for, in one line.")
    )
    description = forms.CharField(
        label=_("Facts and reasons"),
        max_length=MAX_DESCRIPTION,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("As written in the letter, or as said at the visit, recorded faithfully (Art. 19)."),
    )
    area = ValuesChoiceField(label=_("Street or township"), queryset=Area.objects.none(), required=False)
    category = WithParentField(label=_("Topic"), queryset=Category.objects.none(), required=False)
    location_text = forms.CharField(label=_("Place concerned"), max_length=300, required=False)
    contact_confidential = forms.BooleanField(
        label=_("The petitioner asks for confidentiality"),
        required=False,
        help_text=_("The handling organ will not see the petitioner's or the representatives' details."),
    )
    scans = MultipleFileField(
        label=_("Scanned pages of the letter"),
        required=False,
        help_text=_("PDF, JPEG or PNG. Required for a letter."),
    )
    visitor_count = forms.IntegerField(
        label=_("People in the visit"), min_value=1, max_value=100_000, required=False, help_text=_("For a visit.")
    )
    representatives = forms.CharField(
        label=_("Representatives of a group visit"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("At most 5 (Art. 20). One a line: the name, then a comma and the phone number."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = (  # type: ignore[attr-defined]
            Area.objects.filter(level=AreaLevel.STREET, is_active=True).select_related("parent").order_by("path")
        )
        self.fields["category"].queryset = (  # type: ignore[attr-defined]
            Category.objects.filter(depth=1, is_active=True).select_related("parent").order_by("path")
        )

    def clean_representatives(self) -> list[Representative]:
        people = parse_representatives(self.cleaned_data.get("representatives") or "")
        if len(people) > MAX_REPRESENTATIVES:
            raise forms.ValidationError(
                _("A group visit chooses at most %(max)d representatives (Art. 20); %(count)d were given."),
                params={"max": MAX_REPRESENTATIVES, "count": len(people)},
                code="too_many",
            )
        return people

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("channel") == Channel.LETTER and not data.get("scans") and "scans" not in self.errors:
            self.add_error("scans", _("Attach the scanned pages of the letter."))
        if (
            data.get("channel") == Channel.VISIT
            and not data.get("visitor_count")
            and "visitor_count" not in self.errors
        ):
            self.add_error("visitor_count", _("Write how many people came."))
        return data


class ReviewRequestForm(forms.Form):
    reason = forms.CharField(
        label=_("Why do you disagree with the answer?"),
        max_length=MAX_REASON,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    passphrase = forms.CharField(label=_("Passphrase"), max_length=100, widget=forms.PasswordInput)


class PassphraseForm(forms.Form):
    passphrase = forms.CharField(label=_("Passphrase"), max_length=100, widget=forms.PasswordInput)


class ReviewDecisionForm(forms.Form):
    decision = forms.ChoiceField(label=_("Decision"), choices=ReviewDecision.choices, widget=forms.RadioSelect)
    text = forms.CharField(
        label=_("Written decision, with its reasons"),
        max_length=MAX_REASON,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("Sent to the petitioner and shown, with personal data masked, on the tracking page."),
    )
