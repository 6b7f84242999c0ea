"""Citizens' forms: submit an appeal, find it again, rate the answer."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext as _gettext
from django.utils.translation import gettext_lazy as _

from massline.core.errors import ValidationFailed
from massline.core.widgets import ValuesChoiceField, WithParentField
from massline.org.models import Area, AreaLevel, Category

from ..attachments import attachments_check, max_bytes, max_files
from ..choices import AppealKind, Satisfaction
from ..services.intake import MAX_DESCRIPTION

# The administrative picker, from the top of the tree down (Area.level).
PLACE_LEVELS: tuple[tuple[str, int], ...] = (
    ("province", AreaLevel.PROVINCE),
    ("city", AreaLevel.CITY),
    ("district", AreaLevel.DISTRICT),
    ("street", AreaLevel.STREET),
    ("community", AreaLevel.COMMUNITY),
)
ACCEPTED_TYPES = "image/jpeg,image/png,application/pdf"


class PlaceForm(forms.Form):
    """Province → city → district → street → community: each list holds the places inside the one chosen
    above it, so a choice can never contradict the level above. A level with a single place is chosen at once.
    ``area`` in the data or the initial values (for example ``?area=<id>`` in a link) presets the whole chain."""

    province = ValuesChoiceField(label=_("Province"), queryset=Area.objects.none(), required=False)
    city = ValuesChoiceField(label=_("City"), queryset=Area.objects.none(), required=False)
    district = ValuesChoiceField(label=_("District or county"), queryset=Area.objects.none(), required=False)
    street = ValuesChoiceField(label=_("Street or township"), queryset=Area.objects.none(), required=False)
    community = ValuesChoiceField(label=_("Community or village"), queryset=Area.objects.none(), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._resolve_places()

    def _raw(self, name: str) -> str:
        source: Any = self.data if self.is_bound else self.initial
        value = source.get(self.add_prefix(name) if self.is_bound else name)
        return str(getattr(value, "pk", value) or "")

    def _preset(self) -> dict[str, str]:
        """The chain of an ``area`` given directly, when no level was chosen."""
        if any(self._raw(name) for name, _level in PLACE_LEVELS):
            return {}
        raw = self._raw("area")
        area = Area.objects.filter(pk=raw, is_active=True).first() if raw.isdigit() else None
        if area is None:
            return {}
        codes = [code for code in area.path.split("/") if code]
        chain = Area.objects.filter(code__in=codes).only("pk", "level")
        return {name: str(node.pk) for node in chain for name, level in PLACE_LEVELS if node.level == level}

    def _resolve_places(self) -> None:
        preset = self._preset()
        chosen: dict[str, str] = {}
        parent: Area | None = None
        for name, level in PLACE_LEVELS:
            field = self.fields[name]
            queryset: QuerySet[Area]
            if name == "province":
                queryset = Area.objects.filter(level=level, is_active=True)
            elif parent is not None:
                queryset = Area.objects.filter(parent=parent, is_active=True)
            else:
                queryset = Area.objects.none()
            field.queryset = queryset.order_by("code")  # type: ignore[attr-defined]
            field.disabled = parent is None and name != "province"
            raw = preset.get(name) or self._raw(name)
            current = None
            if not field.disabled:
                current = queryset.filter(pk=raw).first() if raw.isdigit() else None
                if current is None and not raw:
                    only = list(queryset[:2])
                    current = only[0] if len(only) == 1 else None
            chosen[name] = str(current.pk) if current is not None else ""
            parent = current
        self.place_values = chosen
        if self.is_bound:
            data = self.data.copy()  # type: ignore[attr-defined]  # a QueryDict, or a dict in tests
            for name, value in chosen.items():
                data[self.add_prefix(name)] = value
            self.data = data
        else:
            for name, value in chosen.items():
                self.initial[name] = value

    def chosen_area(self) -> Area | None:
        """The most precise place chosen."""
        for name, _level in reversed(PLACE_LEVELS):
            area = self.cleaned_data.get(name)
            if area is not None:
                return area  # type: ignore[no-any-return]
        return None


class MultipleFileInput(forms.FileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files from one input; each is checked by ``attachments_check`` in the form."""

    widget = MultipleFileInput

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        files = data if isinstance(data, list | tuple) else [data]
        return [upload for upload in files if upload]


class AppealForm(PlaceForm):
    kind = forms.ChoiceField(label=_("What kind of request is it?"), choices=AppealKind.choices)
    title = forms.CharField(
        label=_("Title"), max_length=200, help_text=_("One line, for example “Pothole at the corner of Heping Road”.")
    )
    description = forms.CharField(
        label=_("What happened?"),
        max_length=MAX_DESCRIPTION,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Where, since when, and what you would like done."),
    )
    category = WithParentField(label=_("Topic"), queryset=Category.objects.none(), required=False)
    location_text = forms.CharField(label=_("Address or place"), max_length=300, required=False)
    latitude = forms.DecimalField(
        label=_("Latitude"),
        required=False,
        min_value=-90,
        max_value=90,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
    )
    longitude = forms.DecimalField(
        label=_("Longitude"),
        required=False,
        min_value=-180,
        max_value=180,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
    )
    attachments = MultipleFileField(
        label=_("Photos or documents"),
        required=False,
        widget=MultipleFileInput(attrs={"accept": ACCEPTED_TYPES}),
    )
    name = forms.CharField(label=_("Your name"), max_length=100, required=False)
    phone = forms.CharField(label=_("Phone"), max_length=30, required=False)
    email = forms.EmailField(label=_("E-mail"), required=False)
    contact_confidential = forms.BooleanField(
        label=_("Keep my contact details confidential"),
        required=False,
        help_text=_("The office handling your request will not see them; only the hotline centre can call you back."),
    )
    anonymous = forms.BooleanField(
        label=_("Submit anonymously"),
        required=False,
        help_text=_("We keep no contact details. You can still follow your request with its tracking code."),
    )
    publish_consent = forms.BooleanField(
        label=_("May be shown on the public case wall (personal details hidden)"),
        required=False,
        help_text=_(
            "Names, phone numbers and exact addresses are masked; the place is shown no finer than the street."
        ),
    )
    passphrase = forms.CharField(
        label=_("Passphrase (optional)"),
        min_length=8,
        max_length=100,
        required=False,
        widget=forms.PasswordInput(render_value=True),
        help_text=_("You need it to rate the answer. Leave it empty and we will make one for you."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = (  # type: ignore[attr-defined]
            Category.objects.filter(depth=1, is_active=True).select_related("parent").order_by("path")
        )
        self.fields["attachments"].help_text = _(
            "Up to %(count)d files, JPEG, PNG or PDF, at most %(mb)d MB each. Location data is removed from photos."
        ) % {"count": max_files(), "mb": max_bytes() // (1024 * 1024)}
        self.checked_files: list[Any] = []

    def clean_latitude(self) -> Any:
        value = self.cleaned_data.get("latitude")
        return None if value is None else round(value, 6)  # a phone's position has more digits than kept

    def clean_longitude(self) -> Any:
        value = self.cleaned_data.get("longitude")
        return None if value is None else round(value, 6)

    def clean_attachments(self) -> list[Any]:
        uploads = self.cleaned_data.get("attachments") or []
        try:
            self.checked_files = attachments_check(uploads)
        except ValidationFailed as error:
            raise forms.ValidationError(str(error.message), code=error.code) from None
        return uploads  # type: ignore[no-any-return]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("anonymous") and not (data.get("phone") or data.get("email")):
            self.add_error(
                "phone", _("Give a phone number or an e-mail address so we can reach you, or submit anonymously.")
            )
        if (data.get("latitude") is None) != (data.get("longitude") is None) and not (
            self.has_error("latitude") or self.has_error("longitude")
        ):
            self.add_error("latitude", _("A map point needs both latitude and longitude."))
        data["area"] = self.chosen_area()
        return data

    def full_clean(self) -> None:
        super().full_clean()
        # Browsers cannot send a file back: whenever the form is shown again, the files have to be chosen again.
        if self.is_bound and self.errors and self.files.getlist(self.add_prefix("attachments")):
            self.checked_files = []
            self.add_error(
                "attachments", _gettext("Choose your files again: files are not kept when the form is shown again.")
            )


class TrackForm(forms.Form):
    code = forms.CharField(label=_("Tracking code"), max_length=20, help_text=_("For example 2611-7K3Q-9PXA."))

    def clean_code(self) -> str:
        return str(self.cleaned_data["code"]).strip().upper()


class RatingForm(forms.Form):
    satisfaction = forms.ChoiceField(
        label=_("How satisfied are you with the answer?"), choices=Satisfaction.choices, widget=forms.RadioSelect
    )
    solved = forms.TypedChoiceField(
        label=_("Was the problem solved?"),
        choices=[("yes", _("Yes")), ("no", _("No"))],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
    )
    passphrase = forms.CharField(label=_("Passphrase"), max_length=100, widget=forms.PasswordInput)
