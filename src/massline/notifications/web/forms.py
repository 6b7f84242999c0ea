from django import forms
from django.utils.translation import gettext_lazy as _

from ..models import Delivery


class PreferenceForm(forms.Form):
    routine = forms.ChoiceField(
        label=_("Routine notices by e-mail"),
        help_text=_("New cases, returned and reopened appeals, appeals waiting for dispatch or review."),
        choices=Delivery.choices,
        widget=forms.RadioSelect,
    )
    urgent = forms.ChoiceField(
        label=_("Urgent notices by e-mail"),
        help_text=_("Deadlines near, overdue appeals and supervision orders."),
        choices=Delivery.choices,
        widget=forms.RadioSelect,
    )
