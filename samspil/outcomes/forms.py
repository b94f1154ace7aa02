"""Forms for outcomes: a questionnaire built from its instrument's items, targets, exports."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from samspil.outcomes.models import Kpi, Programme


class QuestionnaireForm(forms.Form):
    """One field per item: radio buttons for a choice, a whole number otherwise. The service
    checks the answers again against the instrument (one rule, instruments.validate_answers)."""

    def __init__(self, *args, items: list[dict], **kwargs):
        super().__init__(*args, **kwargs)
        for item in items:
            if item["kind"] == "number":
                self.fields[item["code"]] = forms.IntegerField(
                    label=_(item["text"]), min_value=item["min"], max_value=item["max"],
                    error_messages={"required": _("Answer every question."),
                                    "invalid": _("Enter a whole number."),
                                    "min_value": _("The answer is out of range."),
                                    "max_value": _("The answer is out of range.")})
            else:
                self.fields[item["code"]] = forms.ChoiceField(
                    label=_(item["text"]), widget=forms.RadioSelect,
                    choices=[(str(v), _(label)) for v, label in item["choices"]],
                    error_messages={"required": _("Answer every question."),
                                    "invalid_choice": _("The answer is out of range.")})


class TargetForm(forms.Form):
    kpi = forms.ChoiceField(label=gettext_lazy("Figure"), choices=Kpi.choices)
    value = forms.DecimalField(label=gettext_lazy("Target"), max_digits=9, decimal_places=1,
                               help_text=gettext_lazy("A number of people, families or "
                                                      "networks; for a share, percent."))
    baseline = forms.DecimalField(label=gettext_lazy("Baseline"), max_digits=9,
                                  decimal_places=1, required=False,
                                  help_text=gettext_lazy("Where the figure started, if not "
                                                         "at zero."))


class ProgrammeForm(forms.ModelForm):
    class Meta:
        model = Programme
        fields = ["starts_on", "ends_on", "counts_christmas_aid"]
        widgets = {"starts_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
                   "ends_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}

    def clean(self):
        data = super().clean()
        if data.get("starts_on") and data.get("ends_on") and data["ends_on"] <= data["starts_on"]:
            self.add_error("ends_on", _("The programme must end after it starts."))
        return data


class ExportForm(forms.Form):
    programme = forms.ModelChoiceField(label=gettext_lazy("Programme"),
                                       queryset=Programme.objects.none())

    def __init__(self, *args, programmes, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["programme"].queryset = programmes
