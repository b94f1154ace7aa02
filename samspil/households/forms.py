"""Input validation for the registry. Messages are translated; nothing is saved on an error."""

from __future__ import annotations

import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from samspil.core.contact import phone_from_input, postcode_from_input
from samspil.core.models import Municipality, Postcode
from samspil.households import cpr
from samspil.households.models import (
    Consent,
    Household,
    LifeArea,
    MemberRole,
    NeedLevel,
    Person,
)
from samspil.households.services import MemberChanges, MemberData


def _today() -> datetime.date:
    return timezone.localdate()


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class HouseholdForm(forms.ModelForm):
    postcode = forms.CharField(
        label=gettext_lazy("Postcode"), max_length=4,
        widget=forms.TextInput(attrs={
            "inputmode": "numeric", "autocomplete": "postal-code",
            "hx-get": reverse_lazy("households:postcode_town"),
            "hx-trigger": "input changed delay:300ms",
            "hx-target": "#postcode-town",
        }),
    )
    municipality = forms.ModelChoiceField(
        queryset=Municipality.objects.all(), required=False,
        label=gettext_lazy("Municipality"),
        help_text=gettext_lazy("Leave empty to use the postcode's main municipality."),
    )

    class Meta:
        model = Household
        fields = [
            "branch", "address", "postcode", "municipality", "phone", "email",
            "preferred_language", "notes",
        ]
        widgets = {
            "address": forms.TextInput(attrs={"autocomplete": "street-address"}),
            "phone": forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
            "email": forms.EmailInput(attrs={"autocomplete": "email"}),
            "notes": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, branches, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["branch"].queryset = branches
        only = list(branches[:2])
        if len(only) == 1 and not self.instance.pk:
            self.fields["branch"].initial = only[0].pk
        if self.instance.pk:
            self.initial["postcode"] = self.instance.postcode_id

    def clean_postcode(self) -> Postcode:
        return postcode_from_input(self.cleaned_data["postcode"])

    def clean_phone(self) -> str:
        return phone_from_input(self.cleaned_data["phone"])

    def clean(self):
        data = super().clean()
        if data.get("postcode") and not data.get("municipality"):
            data["municipality"] = data["postcode"].municipality
        return data

    def values(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class MemberForm(forms.ModelForm):
    cpr = forms.CharField(
        label=gettext_lazy("CPR number (optional)"), required=False, max_length=11,
        widget=cpr.CprInput(attrs={"autocomplete": "off", "inputmode": "numeric"}),
        help_text=gettext_lazy("DDMMYY-XXXX. Only with consent. Never shown in full."),
    )
    cpr_consent = forms.BooleanField(
        label=gettext_lazy("Consent to store the CPR number has been given"), required=False,
    )
    remove_cpr = forms.BooleanField(label=gettext_lazy("Remove the CPR number"), required=False)

    class Meta:
        model = Person
        fields = [
            "role", "first_name", "last_name", "birth_date", "gender", "school_grade",
            "work_status",
        ]
        widgets = {"birth_date": DateInput()}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["first_name"].widget.attrs["autocomplete"] = "off"
        self.fields["last_name"].widget.attrs["autocomplete"] = "off"
        if not (self.instance.pk and self.instance.has_cpr):
            del self.fields["remove_cpr"]
        else:
            self.fields["cpr"].help_text = _(
                "Stored: %(masked)s. Leave empty to keep it."
            ) % {"masked": self.instance.cpr_masked}

    def clean_birth_date(self) -> datetime.date:
        value = self.cleaned_data["birth_date"]
        if value > _today():
            raise ValidationError(_("The birth date cannot be in the future."))
        if value.year < 1900:
            raise ValidationError(_("Enter a birth date after 1900."))
        return value

    def clean_cpr(self) -> str:
        raw = self.cleaned_data["cpr"].strip()
        return cpr.normalise(raw) if raw else ""

    def clean(self):
        data = super().clean()
        number = data.get("cpr")
        if number:
            if data.get("birth_date") and cpr.birth_date(number) != data["birth_date"]:
                self.add_error("cpr", _("The CPR number does not match the birth date."))
            if not data.get("cpr_consent"):
                self.add_error(
                    "cpr_consent",
                    _("A CPR number may only be stored when the person (or a parent, for a "
                      "child under 15) has consented."),
                )
        return data

    def member_data(self) -> MemberData:
        return MemberData(
            values={name: self.cleaned_data[name] for name in self.Meta.fields},
            cpr=self.cleaned_data.get("cpr") or None,
            remove_cpr=bool(self.cleaned_data.get("remove_cpr")),
        )


class BaseMemberFormSet(forms.BaseModelFormSet):
    def clean(self):
        super().clean()
        if any(self.errors):
            return
        alive = [f for f in self.forms if f.has_changed() or f.instance.pk]
        alive = [f for f in alive if not self._should_delete_form(f)]
        if not alive:
            raise ValidationError(_("A household needs at least one member."))
        parents = [f for f in alive if f.cleaned_data.get("role") == MemberRole.PARENT]
        if not parents:
            raise ValidationError(_("A household needs at least one parent or caregiver."))
        youngest_parent = max(parents, key=lambda f: f.cleaned_data["birth_date"])
        latest_parent_birth = youngest_parent.cleaned_data["birth_date"]
        for form in alive:
            if form.cleaned_data.get("role") != MemberRole.CHILD:
                continue
            if form.cleaned_data["birth_date"] <= latest_parent_birth:
                form.add_error(
                    "birth_date",
                    _("A child cannot be older than a parent in the same household "
                      "(%(name)s is born %(date)s).")
                    % {
                        "name": youngest_parent.cleaned_data["first_name"],
                        "date": latest_parent_birth.isoformat(),
                    },
                )

    def changes(self) -> MemberChanges:
        # The forms have written the new values onto their instances; compare with the stored.
        stored = Person.objects.in_bulk([f.instance.pk for f in self.forms if f.instance.pk])
        changes = MemberChanges()
        for form in self.forms:
            if self._should_delete_form(form):
                if form.instance.pk:
                    changes.deleted.append(stored[form.instance.pk])
                continue
            if form.instance.pk:
                changes.changed.append((stored[form.instance.pk], form.member_data()))
            elif form.has_changed():
                changes.created.append(form.member_data())
        return changes


def member_formset(*, data=None, queryset=None, extra: int = 1, prefix: str = "members"):
    formset_class = forms.modelformset_factory(
        Person, form=MemberForm, formset=BaseMemberFormSet, extra=extra,
        can_delete=queryset is not None,
    )
    return formset_class(
        data=data, queryset=queryset if queryset is not None else Person.objects.none(),
        prefix=prefix,
    )


class ConsentForm(forms.ModelForm):
    class Meta:
        model = Consent
        fields = ["purpose", "person", "given_by", "given_on", "note"]
        widgets = {"given_on": DateInput()}

    def __init__(self, *args, household: Household, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = household.members.all()
        self.fields["person"].empty_label = _("The whole household")
        self.fields["person"].required = False
        self.fields["given_by"].help_text = _(
            "Name of the person who gave the consent (a parent for a child under 15)."
        )
        self.fields["given_on"].initial = _today

    def clean_given_on(self) -> datetime.date:
        value = self.cleaned_data["given_on"]
        if value > _today():
            raise ValidationError(_("The date cannot be in the future."))
        return value


class ConsentWithdrawForm(forms.Form):
    withdrawn_on = forms.DateField(label=gettext_lazy("Withdrawn on"), widget=DateInput())

    def __init__(self, *args, consent: Consent, **kwargs):
        super().__init__(*args, **kwargs)
        self.consent = consent
        self.fields["withdrawn_on"].initial = _today

    def clean_withdrawn_on(self) -> datetime.date:
        value = self.cleaned_data["withdrawn_on"]
        if value > _today():
            raise ValidationError(_("The date cannot be in the future."))
        if value < self.consent.given_on:
            raise ValidationError(_("A consent cannot be withdrawn before it was given."))
        return value


class NeedsAssessmentForm(forms.Form):
    assessed_on = forms.DateField(label=gettext_lazy("Assessed on"), widget=DateInput())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assessed_on"].initial = _today
        level_choices = [("", _("Not assessed"))] + [(str(v), lbl) for v, lbl in NeedLevel.choices]
        for value, label in LifeArea.choices:
            self.fields[f"level_{value}"] = forms.TypedChoiceField(
                label=label, choices=level_choices, coerce=int, empty_value=None,
                required=False,
            )
            self.fields[f"text_{value}"] = forms.CharField(
                label=_("Description: %(area)s") % {"area": label}, max_length=500,
                required=False, widget=forms.TextInput(),
            )

    def area_rows(self):
        return [
            (self[f"level_{value}"], self[f"text_{value}"]) for value, _label in LifeArea.choices
        ]

    def clean_assessed_on(self) -> datetime.date:
        value = self.cleaned_data["assessed_on"]
        if value > _today():
            raise ValidationError(_("The date cannot be in the future."))
        return value

    def clean(self):
        data = super().clean()
        for value, _label in LifeArea.choices:
            if data.get(f"text_{value}") and data.get(f"level_{value}") is None:
                self.add_error(f"level_{value}", _("Choose a level for the area you describe."))
        if not any(data.get(f"level_{v}") is not None for v, _l in LifeArea.choices):
            raise ValidationError(_("Assess at least one life area."))
        return data

    def ratings(self) -> list[tuple[str, int, str]]:
        return [
            (value, self.cleaned_data[f"level_{value}"], self.cleaned_data[f"text_{value}"])
            for value, _label in LifeArea.choices
            if self.cleaned_data.get(f"level_{value}") is not None
        ]
