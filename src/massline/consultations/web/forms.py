"""Forms of consultations: the public's (co-sign, comment, speak, object, vote) and the staff's steps."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from massline.core.widgets import FastSelect
from massline.org.models import Area, Unit

from ..models import AnswerKind, Choice, Grade, MatterKind, ObjectionOutcome, ProposerKind, Satisfaction, Stance

DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ResidentForm(forms.Form):
    """Who you are, as on the register. The identity number is checked and forgotten."""

    name = forms.CharField(label=_("Your name"), max_length=100, widget=forms.TextInput(attrs={"autocomplete": "name"}))
    id_number = forms.CharField(
        label=_("Identity card number"),
        max_length=30,
        help_text=_("Checked against the village's register and never stored."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "text"}),
    )


class SignForm(ResidentForm):
    prefix = "sign"


class SatisfactionForm(ResidentForm):
    prefix = "satisfaction"
    choice = forms.ChoiceField(
        label=_("How satisfied are you with the result?"), choices=Satisfaction.choices, widget=forms.RadioSelect
    )


class CommentForm(forms.Form):
    prefix = "comment"
    stance = forms.ChoiceField(label=_("Your view"), choices=Stance.choices, widget=forms.RadioSelect)
    text = forms.CharField(label=_("Your comment"), max_length=4000, widget=forms.Textarea(attrs={"rows": 4}))
    author_name = forms.CharField(
        label=_("Name to show (optional)"),
        max_length=60,
        required=False,
        help_text=_("Leave empty to comment anonymously."),
    )
    idempotency_key = forms.CharField(widget=forms.HiddenInput, required=False)


class SpeakerForm(forms.Form):
    prefix = "speaker"
    name = forms.CharField(label=_("Your name"), max_length=60)
    stance = forms.ChoiceField(label=_("Your view"), choices=Stance.choices, widget=forms.RadioSelect)
    summary = forms.CharField(
        label=_("What you want to say"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )


class ObjectionForm(forms.Form):
    prefix = "objection"
    name = forms.CharField(label=_("Your name"), max_length=60)
    phone = forms.CharField(label=_("Phone, for the answer (never published)"), max_length=30, required=False)
    text = forms.CharField(label=_("Your objection"), max_length=4000, widget=forms.Textarea(attrs={"rows": 4}))


# --- staff ---------------------------------------------------------------------------------------------------


class MatterCreateForm(forms.Form):
    kind = forms.ModelChoiceField(label=_("Kind of matter"), queryset=MatterKind.objects.filter(is_active=True))
    owner_unit = forms.ModelChoiceField(label=_("Owner unit"), queryset=Unit.objects.none(), widget=FastSelect)
    area = forms.ModelChoiceField(label=_("Area affected"), queryset=Area.objects.none(), widget=FastSelect)
    proposer_kind = forms.ChoiceField(label=_("Proposed by"), choices=ProposerKind.choices)
    title = forms.CharField(label=_("Title"), max_length=200)
    summary = forms.CharField(label=_("What is proposed"), widget=forms.Textarea(attrs={"rows": 5}))
    affected = forms.CharField(label=_("Who is affected"), max_length=300, required=False)
    budget = forms.DecimalField(label=_("Budget (yuan)"), max_digits=14, decimal_places=2, required=False, min_value=0)

    def __init__(self, *args: Any, units: Any = None, areas: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner_unit"].queryset = units if units is not None else Unit.objects.none()  # type: ignore[attr-defined]
        self.fields["area"].queryset = areas if areas is not None else Area.objects.none()  # type: ignore[attr-defined]


class EmptyForm(forms.Form):
    """A step that needs nothing but the button."""


class NoteForm(forms.Form):
    note = forms.CharField(label=_("Public note (optional)"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class WithdrawForm(forms.Form):
    reason = forms.CharField(label=_("Why is the matter withdrawn?"), widget=forms.Textarea(attrs={"rows": 2}))


class PickForm(forms.Form):
    """A step on one of several things (a comment, a hearing, an objection…), chosen from a list."""

    pick = ""

    def __init__(self, *args: Any, choices: Any = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.pick:
            self.fields[self.pick].choices = choices  # type: ignore[attr-defined]


def pick_field(label: Any, *, required: bool = True) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(label=label, choices=(), coerce=int, required=required, empty_value=None)


class AnswerForm(PickForm):
    pick = "comment"
    comment = pick_field(_("Comment"))
    answer_kind = forms.ChoiceField(label=_("Answer"), choices=AnswerKind.choices)
    answer_text = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))


class StatementForm(forms.Form):
    text = forms.CharField(label=_("Statement for the opinion map"), max_length=280)


class FeedbackForm(forms.Form):
    changes = forms.CharField(label=_("What changed because of the comments"), widget=forms.Textarea(attrs={"rows": 4}))


class HearingForm(forms.Form):
    scheduled_for = forms.DateTimeField(label=_("Date and time"), widget=DATETIME)
    place = forms.CharField(label=_("Place"), max_length=200)
    seats = forms.IntegerField(label=_("Speaking places"), min_value=2, max_value=50, initial=6)


class HearingRecordForm(PickForm):
    pick = "hearing"
    hearing = pick_field(_("Hearing"))
    minutes = forms.CharField(label=_("Minutes"), widget=forms.Textarea(attrs={"rows": 4}))
    dissent = forms.CharField(label=_("Dissenting views"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class HearingPickForm(PickForm):
    pick = "hearing"
    hearing = pick_field(_("Hearing"))


class RiskItemForm(PickForm):
    pick = "item"
    item = pick_field(_("Re-score a risk already on the register (or leave empty to add one)"), required=False)
    description = forms.CharField(label=_("Risk"), max_length=300)
    likelihood = forms.IntegerField(label=_("Likelihood (1–5)"), min_value=1, max_value=5)
    impact = forms.IntegerField(label=_("Impact (1–5)"), min_value=1, max_value=5)
    mitigation = forms.CharField(label=_("Mitigation"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class RiskSurveyForm(forms.Form):
    surveyed = forms.IntegerField(label=_("Stakeholders surveyed"), min_value=1)
    support = forms.IntegerField(label=_("In support"), min_value=0)
    oppose = forms.IntegerField(label=_("Opposed"), min_value=0)
    summary = forms.CharField(label=_("What they said"), widget=forms.Textarea(attrs={"rows": 3}))


class RiskSignForm(forms.Form):
    grade = forms.ChoiceField(label=_("Grade"), choices=Grade.choices)
    conclusion = forms.CharField(label=_("Conclusion"), widget=forms.Textarea(attrs={"rows": 3}))


class LegalReviewForm(forms.Form):
    opinion = forms.CharField(label=_("Legality review opinion"), widget=forms.Textarea(attrs={"rows": 3}))


class MeetingForm(forms.Form):
    scheduled_for = forms.DateTimeField(label=_("Date and time"), widget=DATETIME)
    place = forms.CharField(label=_("Place"), max_length=200)
    members_total = forms.IntegerField(label=_("Members (collective meetings only)"), min_value=1, required=False)


class AttendanceForm(PickForm):
    pick = "residents"
    residents = forms.TypedMultipleChoiceField(
        label=_("Present"), choices=(), coerce=int, widget=forms.CheckboxSelectMultiple, required=False
    )


class QuorumForm(forms.Form):
    members_present = forms.IntegerField(
        label=_("Members present (collective meetings only)"), min_value=0, required=False
    )


class SpeechForm(forms.Form):
    speaker = forms.CharField(label=_("Speaker"), max_length=60)
    summary = forms.CharField(label=_("What was said"), widget=forms.Textarea(attrs={"rows": 2}))
    is_head = forms.BooleanField(label=_("The head of the meeting (speaks last)"), required=False)


class BallotForm(PickForm):
    pick = "resident"
    resident = pick_field(_("Voter"))
    choice = forms.ChoiceField(label=_("Vote"), choices=Choice.choices, widget=forms.RadioSelect)
    reason = forms.CharField(label=_("Reason (for a vote against)"), max_length=300, required=False)


class MeetingCloseForm(forms.Form):
    dissent = forms.CharField(label=_("Dissenting views"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    votes_for = forms.IntegerField(label=_("For (collective meetings only)"), min_value=0, required=False)
    votes_against = forms.IntegerField(label=_("Against (collective meetings only)"), min_value=0, required=False)
    votes_abstain = forms.IntegerField(label=_("Abstaining (collective meetings only)"), min_value=0, required=False)


class PublicityForm(forms.Form):
    text = forms.CharField(label=_("What is published"), widget=forms.Textarea(attrs={"rows": 4}))


class ObjectionAnswerForm(PickForm):
    pick = "objection"
    objection = pick_field(_("Objection"))
    outcome = forms.ChoiceField(label=_("Outcome"), choices=[c for c in ObjectionOutcome.choices if c[0]])
    answer = forms.CharField(label=_("Answer"), widget=forms.Textarea(attrs={"rows": 2}))


class MilestoneForm(forms.Form):
    title = forms.CharField(label=_("Milestone"), max_length=200)
    due_on = forms.DateField(label=_("Due on"), widget=DATE)


class MilestoneDoneForm(PickForm):
    pick = "milestone"
    milestone = pick_field(_("Milestone"))
    note = forms.CharField(label=_("Note"), max_length=300, required=False)


class SpendingForm(forms.Form):
    item = forms.CharField(label=_("Item"), max_length=200)
    amount = forms.DecimalField(label=_("Amount (yuan)"), max_digits=14, decimal_places=2, min_value=0)
    spent_on = forms.DateField(label=_("Date"), widget=DATE)


class DocumentForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    file = forms.FileField(label=_("File"))
    is_photo = forms.BooleanField(label=_("A progress photo"), required=False)
