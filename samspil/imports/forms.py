"""The upload and the column mapping."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from samspil.imports.columns import FIELDS
from samspil.imports.models import Kind

MAX_UPLOAD = 20 * 1024 * 1024


class UploadForm(forms.Form):
    kind = forms.ChoiceField(label=_("What is in the file"), choices=Kind.choices)
    branch = forms.ModelChoiceField(label=_("Branch"), queryset=None)
    file = forms.FileField(label=_("File (XLSX or CSV)"),
                           widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv"}))

    def __init__(self, *args, branches, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["branch"].queryset = branches
        only = list(branches[:2])
        if len(only) == 1:
            self.fields["branch"].initial = only[0].pk

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD:
            raise forms.ValidationError(_("The file is larger than 20 MB."))
        if not upload.name.lower().endswith((".xlsx", ".csv")):
            raise forms.ValidationError(_("Upload an XLSX or CSV file."))
        return upload


class MappingForm(forms.Form):
    """One choice per field: which column of the file holds it."""

    def __init__(self, *args, job, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [("", _("(not in the file)"))] + [(h, h) for h in job.headers if h]
        for column in FIELDS[job.kind]:
            self.fields[column.name] = forms.ChoiceField(
                label=column.label, choices=choices, required=column.required,
                initial=job.columns.get(column.name, ""))

    def mapping(self) -> dict[str, str]:
        return {name: value for name, value in self.cleaned_data.items() if value}
