"""Staff forms of the appeal loop."""

from django import forms
from django.utils.translation import gettext_lazy as _

from massline.org.models import Unit

from ..choices import Outcome, Satisfaction


class UnitChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Unit) -> str:
        return f"{obj.label} ({obj.area.label})"


class DispatchForm(forms.Form):
    unit = UnitChoiceField(label=_("Lead unit"), queryset=Unit.objects.none())
    reason = forms.CharField(
        label=_("Note or reason"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Required when settling a returned appeal: why this unit is responsible."),
    )

    def __init__(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = Unit.objects.filter(is_active=True).select_related("area").order_by("path")  # type: ignore[attr-defined]


class ObjectForm(forms.Form):
    reason = forms.CharField(label=_("Why is your unit not responsible?"), widget=forms.Textarea(attrs={"rows": 3}))


class ReplyForm(forms.Form):
    outcome = forms.ChoiceField(label=_("Outcome"), choices=Outcome.choices)
    text = forms.CharField(
        label=_("Answer to the citizen"),
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("What was done, on what basis, and when. The citizen and the public read it."),
    )


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"), choices=[("reopen", _("Send back for handling")), ("close", _("Close the appeal"))]
    )
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}))


class CallbackForm(forms.Form):
    satisfaction = forms.ChoiceField(label=_("Satisfaction stated on the call"), choices=Satisfaction.choices)
    solved = forms.TypedChoiceField(
        label=_("Solved, in the citizen's words?"),
        choices=[("yes", _("Yes")), ("no", _("No"))],
        coerce=lambda value: value == "yes",
    )
