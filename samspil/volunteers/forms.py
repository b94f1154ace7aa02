"""Input validation for volunteers. Messages are translated; nothing is saved on an error.

The rules that span rows (overlapping slots, capacity against load, the certificate's dates)
are the services' functions, called here too so the message lands at the right field.
"""

from __future__ import annotations

import datetime

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from samspil.core.contact import phone_from_input, postcode_from_input
from samspil.core.models import Postcode
from samspil.households.forms import DateInput
from samspil.households.models import Language
from samspil.volunteers import services
from samspil.volunteers.models import (
    AvailabilitySlot,
    ChildCertificate,
    Skill,
    Volunteer,
    VolunteerRole,
)

MOST_TAGS = 20
LONGEST_TAG = 50
YOUNGEST_AGE = 15  # the age from which the child-certificate law counts a volunteer
Result = ChildCertificate.Result


def _today() -> datetime.date:
    return timezone.localdate()


def _not_in_future(value: datetime.date | None) -> datetime.date | None:
    if value and value > _today():
        raise ValidationError(_("The date cannot be in the future."))
    return value


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, **kwargs):
        super().__init__(format="%H:%M", **kwargs)


def checkboxes(choices, label, **kwargs) -> forms.MultipleChoiceField:
    return forms.MultipleChoiceField(
        choices=choices, label=label,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "choices"}), **kwargs
    )


class VolunteerForm(forms.ModelForm):
    postcode = forms.CharField(
        label=gettext_lazy("Postcode"), max_length=4,
        widget=forms.TextInput(attrs={
            "inputmode": "numeric", "autocomplete": "postal-code",
            "hx-get": reverse_lazy("households:postcode_town"),
            "hx-trigger": "input changed delay:300ms",
            "hx-target": "#postcode-town",
        }),
    )
    languages = checkboxes(Language.choices, gettext_lazy("Languages"), required=False)
    skills = checkboxes(Skill.choices, gettext_lazy("Skills"), required=False)
    tags = forms.CharField(
        label=gettext_lazy("Other skills"), required=False, max_length=500,
        help_text=gettext_lazy("Separated by commas, for example: sewing, football, Excel."),
    )
    roles = checkboxes(VolunteerRole.choices, gettext_lazy("Roles"))
    capacity = forms.IntegerField(
        label=gettext_lazy("Families or parents at most"), min_value=1, max_value=20,
        initial=1,
    )

    class Meta:
        model = Volunteer
        fields = [
            "branch", "user", "first_name", "last_name", "email", "phone", "gender",
            "birth_year", "postcode", "languages", "skills", "tags", "roles", "capacity",
            "preferred_gender", "preferred_gender_required", "preferred_child_age",
            "preferred_child_age_required", "status", "notes",
        ]
        widgets = {
            "first_name": forms.TextInput(attrs={"autocomplete": "off"}),
            "last_name": forms.TextInput(attrs={"autocomplete": "off"}),
            "phone": forms.TextInput(attrs={"type": "tel", "autocomplete": "off"}),
            "email": forms.EmailInput(attrs={"autocomplete": "off"}),
            "birth_year": forms.NumberInput(attrs={"inputmode": "numeric"}),
            "notes": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, branches, users, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["branch"].queryset = branches
        if not self.instance.pk:
            only = list(branches[:2])
            if len(only) == 1:
                self.fields["branch"].initial = only[0].pk
        self.fields["user"].queryset = users
        self.fields["user"].label = _("Login")
        self.fields["user"].empty_label = _("No login yet")
        self.fields["user"].help_text = _(
            "The volunteer's own login, if she has one. Only logins with the volunteer role "
            "that are not linked to another volunteer are shown."
        )
        self.fields["user"].label_from_instance = (
            lambda u: f"{u.get_full_name() or u.username} ({u.username})"
        )
        self.fields["notes"].help_text = _("For coordinators. Never a CPR number.")
        for name in ("preferred_gender", "preferred_child_age"):
            field = self.fields[name]
            field.choices = [("", _("No preference")), *field.choices[1:]]
        if self.instance.pk:
            self.initial["postcode"] = self.instance.postcode_id
            self.initial["tags"] = ", ".join(self.instance.tags)

    def clean_postcode(self) -> Postcode:
        return postcode_from_input(self.cleaned_data["postcode"])

    def clean_phone(self) -> str:
        return phone_from_input(self.cleaned_data["phone"])

    def clean_birth_year(self) -> int | None:
        year = self.cleaned_data["birth_year"]
        latest = _today().year - YOUNGEST_AGE
        if year is not None and not 1900 <= year <= latest:
            raise ValidationError(
                _("Enter a birth year between 1900 and %(latest)s.") % {"latest": latest}
            )
        return year

    def clean_tags(self) -> list[str]:
        tags = services.normalise_tags(self.cleaned_data["tags"].split(","))
        if len(tags) > MOST_TAGS:
            raise ValidationError(_("Enter at most %(n)s other skills.") % {"n": MOST_TAGS})
        if any(len(tag) > LONGEST_TAG for tag in tags):
            raise ValidationError(
                _("Each other skill can be at most %(n)s characters.") % {"n": LONGEST_TAG}
            )
        return tags

    def clean_notes(self) -> str:
        notes = self.cleaned_data["notes"]
        if services.has_cpr_like(notes):
            raise ValidationError(services.no_cpr_message())
        return notes

    def clean(self):
        data = super().clean()
        for preference, required in [("preferred_gender", "preferred_gender_required"),
                                     ("preferred_child_age", "preferred_child_age_required")]:
            if data.get(required) and not data.get(preference):
                self.add_error(required, _("Choose the preference first."))
        return data

    def values(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class SlotForm(forms.Form):
    # An empty first choice, so an untouched new row counts as unchanged and is left out.
    weekday = forms.TypedChoiceField(
        label=gettext_lazy("Weekday"), coerce=int,
        choices=[("", gettext_lazy("Choose a day")), *AvailabilitySlot.Weekday.choices],
    )
    start = forms.TimeField(label=gettext_lazy("From"), widget=TimeInput())
    end = forms.TimeField(label=gettext_lazy("To"), widget=TimeInput())

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end and end <= start:
            self.add_error("end", services.end_before_start_message())
        return data

    def slot(self) -> services.Slot:
        return services.Slot(self.cleaned_data["weekday"], self.cleaned_data["start"],
                             self.cleaned_data["end"])


class BaseSlotFormSet(forms.BaseFormSet):
    def kept_forms(self) -> list[SlotForm]:
        """The stored slots not removed, and the new rows that were filled in."""
        return [f for i, f in enumerate(self.forms)
                if (i < self.initial_form_count() or f.has_changed())
                and not self._should_delete_form(f)]

    def clean(self):
        super().clean()
        if any(self.errors):
            return
        kept = self.kept_forms()
        slots = [f.slot() for f in kept]
        for i, j in services.overlapping_slots(slots):
            kept[j].add_error("start", services.overlap_message(slots[j], slots[i]))

    def slots(self) -> list[services.Slot]:
        return [f.slot() for f in self.kept_forms()]


def slot_formset(*, data=None, slots=(), prefix: str = "slots") -> BaseSlotFormSet:
    """The volunteer's slots, or one empty row to start from when she has none."""
    initial = [{"weekday": s.weekday, "start": s.start, "end": s.end} for s in slots]
    formset_class = forms.formset_factory(
        SlotForm, formset=BaseSlotFormSet, extra=0 if initial else 1, can_delete=True,
        max_num=50, validate_max=True,
    )
    formset = formset_class(data=data, initial=initial, prefix=prefix)
    for form in formset.forms:
        form.fields["DELETE"].label = _("Remove")
    return formset


def _apply_certificate_rules(form: forms.Form, cert: ChildCertificate) -> None:
    errors = services.certificate_errors(cert, today=_today())
    for field, message in errors.items():
        if field in form.fields and field not in form.errors:
            form.add_error(field, message)
        elif field not in form.fields:
            form.add_error(None, message)


class CertificateForm(forms.ModelForm):
    """A new certificate: ordered (no answer yet), or already received and checked."""

    class Meta:
        model = ChildCertificate
        fields = ["requested_on", "consent_deadline", "received_on", "result", "valid_until",
                  "note"]
        widgets = {name: DateInput() for name in
                   ("requested_on", "consent_deadline", "received_on", "valid_until")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["requested_on"].initial = _today
        self.fields["consent_deadline"].help_text = _(
            "Leave empty for %(days)s days after the request."
        ) % {"days": services.CONSENT_DAYS}
        self.fields["received_on"].help_text = _("Leave empty while you await the answer.")
        self.fields["valid_until"].help_text = _(
            "Leave empty for %(months)s months after the check."
        ) % {"months": settings.CHILD_CERTIFICATE_VALID_MONTHS}
        self.fields["note"].help_text = _(
            "Facts only, never the certificate's content or a CPR number."
        )

    def clean(self):
        data = super().clean()
        if not self.errors:
            cert = ChildCertificate(**{name: data.get(name) for name in self.Meta.fields})
            cert.note = cert.note or ""
            _apply_certificate_rules(self, cert)
        return data


class CertificateAssessForm(forms.ModelForm):
    """The answer to a requested certificate."""

    class Meta:
        model = ChildCertificate
        fields = ["received_on", "result", "valid_until", "note"]
        widgets = {"received_on": DateInput(), "valid_until": DateInput()}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["received_on"].required = True
        self.fields["received_on"].initial = _today
        self.fields["result"].choices = [
            (value, label) for value, label in Result.choices if value != Result.PENDING
        ]
        self.fields["result"].initial = Result.CLEAR
        self.fields["valid_until"].help_text = _(
            "Leave empty for %(months)s months after the check."
        ) % {"months": settings.CHILD_CERTIFICATE_VALID_MONTHS}
        self.fields["note"].help_text = _(
            "Facts only, never the certificate's content or a CPR number."
        )

    def clean(self):
        data = super().clean()
        if not self.errors:
            cert = ChildCertificate(
                requested_on=self.instance.requested_on,
                consent_deadline=self.instance.consent_deadline,
                **{name: data.get(name) for name in self.Meta.fields},
            )
            cert.note = cert.note or ""
            _apply_certificate_rules(self, cert)
        return data


class ScreeningForm(forms.Form):
    confidentiality_signed_on = forms.DateField(
        label=gettext_lazy("Confidentiality declaration signed"), required=False,
        widget=DateInput(),
    )
    training_completed_on = forms.DateField(
        label=gettext_lazy("Introduction training completed"), required=False,
        widget=DateInput(),
        help_text=gettext_lazy("Leave empty while it has not happened."),
    )

    def clean_confidentiality_signed_on(self):
        return _not_in_future(self.cleaned_data["confidentiality_signed_on"])

    def clean_training_completed_on(self):
        return _not_in_future(self.cleaned_data["training_completed_on"])
