"""Citizens' forms: submit an appeal, find it again, rate the answer."""

from django import forms
from django.utils.translation import gettext_lazy as _

from massline.org.models import Area, AreaLevel, Category

from ..choices import AppealKind, Satisfaction
from ..services.intake import MAX_DESCRIPTION


class AreaChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Area) -> str:
        parent = obj.parent.label if obj.parent_id and obj.parent else ""
        return f"{parent} · {obj.label}" if parent else obj.label


class CategoryChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Category) -> str:
        return f"{obj.parent.label} · {obj.label}" if obj.parent_id and obj.parent else obj.label


class AppealForm(forms.Form):
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
    area = AreaChoiceField(
        label=_("Street or township"),
        queryset=Area.objects.none(),
        required=False,
        help_text=_("If you know it: it helps us send your request to the right office at once."),
    )
    category = CategoryChoiceField(label=_("Topic"), queryset=Category.objects.none(), required=False)
    location_text = forms.CharField(label=_("Address or place"), max_length=300, required=False)
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
    passphrase = forms.CharField(
        label=_("Passphrase (optional)"),
        min_length=8,
        max_length=100,
        required=False,
        widget=forms.PasswordInput(render_value=True),
        help_text=_("You need it to rate the answer. Leave it empty and we will make one for you."),
    )

    def __init__(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = (  # type: ignore[attr-defined]
            Area.objects.filter(level=AreaLevel.STREET, is_active=True).select_related("parent").order_by("path")
        )
        self.fields["category"].queryset = (  # type: ignore[attr-defined]
            Category.objects.filter(depth=1, is_active=True).select_related("parent").order_by("path")
        )

    def clean(self):  # type: ignore[no-untyped-def]
        data = super().clean() or {}
        if not data.get("anonymous") and not (data.get("phone") or data.get("email")):
            self.add_error(
                "phone", _("Give a phone number or an e-mail address so we can reach you, or submit anonymously.")
            )
        return data


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
