"""Staff forms of the appeal loop."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from massline.core.widgets import FastSelectMultiple, UnitWithAreaField
from massline.org.models import Unit

from ..choices import AppealKind, EmergencyService, LegalChannel, Outcome, Satisfaction, SpecialRoute
from ..models import ConsultationView


def _targets(user: object) -> object:
    """The units the signed-in dispatcher may choose from (none without a user)."""
    from ..selectors import dispatch_targets

    return dispatch_targets(user=user) if user is not None else Unit.objects.none()


class DispatchForm(forms.Form):
    unit = UnitWithAreaField(label=_("Lead unit"), queryset=Unit.objects.none())
    reason = forms.CharField(
        label=_("Note or reason"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Required when settling a returned appeal: why this unit is responsible."),
    )

    def __init__(self, *args, user=None, **kwargs):  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = _targets(user)  # type: ignore[attr-defined]


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


class NoteForm(forms.Form):
    text = forms.CharField(
        label=_("Internal note"),
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Seen by staff on this case only, never by the public."),
    )


class ContactForm(forms.Form):
    summary = forms.CharField(
        label=_("How was the citizen contacted, and what was agreed?"), widget=forms.Textarea(attrs={"rows": 2})
    )


class CoReportForm(forms.Form):
    text = forms.CharField(label=_("Your unit's report to the lead unit"), widget=forms.Textarea(attrs={"rows": 3}))


class ExtensionForm(forms.Form):
    days = forms.IntegerField(label=_("More days needed"), min_value=1, max_value=60)
    reason = forms.CharField(
        label=_("Why more time is needed"),
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("The citizen is told this reason if the extension is approved."),
    )


class ExtensionDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"), choices=[("approve", _("Approve the extension")), ("deny", _("Deny it"))]
    )
    reason = forms.CharField(
        label=_("Reason"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Required when denying."),
    )


class SuperviseForm(forms.Form):
    instruction = forms.CharField(label=_("What must the unit do?"), widget=forms.Textarea(attrs={"rows": 3}))
    working_days = forms.IntegerField(label=_("Answer within (working days)"), min_value=1, max_value=60)


class SupervisionAnswerForm(forms.Form):
    response = forms.CharField(label=_("Answer to the supervision order"), widget=forms.Textarea(attrs={"rows": 3}))


class SupervisionCloseForm(forms.Form):
    reason = forms.CharField(
        label=_("Closing remark"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Required when the unit has not answered."),
    )


class SpecialRouteForm(forms.Form):
    route = forms.ChoiceField(label=_("Route"), choices=SpecialRoute.choices)
    emergency = forms.ChoiceField(
        label=_("Emergency service"), choices=[("", "—"), *EmergencyService.choices], required=False
    )
    legal_channel = forms.ChoiceField(
        label=_("Legal channel"), choices=[("", "—"), *LegalChannel.choices], required=False
    )
    linked_to = forms.CharField(label=_("Tracking code of the earlier appeal"), required=False, max_length=20)
    message = forms.CharField(
        label=_("Message to the citizen"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Required when the matter is outside any remit; otherwise the standard instruction is shown."),
    )


class BulkDispatchForm(forms.Form):
    unit = UnitWithAreaField(label=_("Send the selected appeals to"), queryset=Unit.objects.none())
    codes = forms.CharField(widget=forms.MultipleHiddenInput, required=False)

    def __init__(self, *args, user=None, **kwargs):  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = _targets(user)  # type: ignore[attr-defined]


class QueueFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    kind = forms.ChoiceField(label=_("Type"), required=False, choices=[("", _("all types")), *AppealKind.choices])


class ConsultForm(forms.Form):
    units = forms.ModelMultipleChoiceField(
        label=_("Units to consult"), queryset=Unit.objects.none(), widget=FastSelectMultiple(attrs={"size": 6})
    )
    question = forms.CharField(
        label=_("Question to the units"),
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("For example: is the pipe under the pavement yours or the water company's?"),
    )

    def __init__(self, *args, user=None, **kwargs):  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.fields["units"].queryset = _targets(user)  # type: ignore[attr-defined]


class ConsultAnswerForm(forms.Form):
    view = forms.ChoiceField(label=_("Your unit's view"), choices=ConsultationView.choices)
    answer = forms.CharField(label=_("Reasons"), widget=forms.Textarea(attrs={"rows": 2}))


class MergeForm(forms.Form):
    into = forms.ChoiceField(label=_("The appeal about the same matter"), widget=forms.RadioSelect)
    note = forms.CharField(label=_("Internal note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, duplicates: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.duplicates = duplicates
        self.fields["into"].choices = [  # type: ignore[attr-defined]
            (match.appeal.tracking_code, f"{match.appeal.tracking_code} · {match.appeal.title} "
             f"({match.appeal.get_state_display()}, {round(match.score * 100)}%)")
            for match in duplicates
        ]  # fmt: skip
