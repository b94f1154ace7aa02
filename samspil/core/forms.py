from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class AuditSearchForm(forms.Form):
    text = forms.CharField(label=_("Words"), max_length=100, required=False)
    household = forms.IntegerField(label=_("Household number"), min_value=1, max_value=2**62,
                                   required=False)
    since = forms.DateField(label=_("From"), required=False,
                            widget=forms.DateInput(attrs={"type": "date"}))
    until = forms.DateField(label=_("To"), required=False,
                            widget=forms.DateInput(attrs={"type": "date"}))
