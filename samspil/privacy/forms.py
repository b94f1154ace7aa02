from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class RestrictionForm(forms.Form):
    reason = forms.CharField(label=_("Reason for the restriction"), max_length=500,
                             widget=forms.Textarea(attrs={"rows": 3}))


class ErasureForm(forms.Form):
    confirm = forms.CharField(
        label=_("Type the household's number to confirm"), max_length=20,
        help_text=_("Erasure cannot be undone."))

    def __init__(self, *args, household_id: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.household_id = household_id

    def clean_confirm(self):
        value = self.cleaned_data["confirm"].strip()
        if value != str(self.household_id):
            raise forms.ValidationError(_("The number does not match this household."))
        return value


class BreakGlassForm(forms.Form):
    household = forms.IntegerField(label=_("Household number"), min_value=1,
                                   max_value=2**62)
    reason = forms.CharField(label=_("Why must you open this household?"), max_length=500,
                             widget=forms.Textarea(attrs={"rows": 3}))
