"""Input for partners, referrals and the plan: format and choices here; the rules that need
the database (consent at the moment of sending, owners in the plan, allowed moves) live in
services.py, and the views show their messages on these forms. Nothing is saved on an error."""

from __future__ import annotations

import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from samspil.core.contact import phone_from_input
from samspil.core.models import Municipality, Organisation
from samspil.households.forms import DateInput
from samspil.households.models import Household, LifeArea, MemberRole
from samspil.partners.models import (
    HELP_IN,
    HELP_OUT,
    MENTOR_HELP,
    ActionStatus,
    Direction,
    Partner,
    PlanGoal,
    ReferralStatus,
    SharedField,
)
from samspil.partners.selectors import Owner


def _today() -> datetime.date:
    return timezone.localdate()


def _not_future(value: datetime.date | None) -> datetime.date | None:
    if value and value > _today():
        raise ValidationError(_("The date cannot be in the future."))
    return value


class PartnerForm(forms.ModelForm):
    class Meta:
        model = Partner
        fields = ["kind", "name", "municipality", "linked_organisation", "address", "email",
                  "phone", "note", "active"]
        widgets = {"note": forms.Textarea(attrs={"rows": 3})}
        help_texts = {
            "municipality": gettext_lazy("For a job centre or family department: required."),
            "linked_organisation": gettext_lazy(
                "If the municipality uses Samspil itself: its caseworkers then see the "
                "households that consented to sharing with the municipality."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["municipality"].queryset = Municipality.objects.all()
        self.fields["linked_organisation"].queryset = Organisation.objects.filter(
            kind=Organisation.Kind.MUNICIPALITY)
        self.fields["linked_organisation"].empty_label = _("Not linked")

    def clean_phone(self) -> str:
        return phone_from_input(self.cleaned_data.get("phone", ""))

    def values(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class ContactForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Name"), max_length=200)
    title = forms.CharField(label=gettext_lazy("Job title"), max_length=200, required=False)
    email = forms.EmailField(label=gettext_lazy("E-mail"), required=False)
    phone = forms.CharField(label=gettext_lazy("Phone"), max_length=30, required=False)

    def clean_phone(self) -> str:
        return phone_from_input(self.cleaned_data.get("phone", ""))


class AgreementForm(forms.Form):
    title = forms.CharField(label=gettext_lazy("Title"), max_length=200)
    starts_on = forms.DateField(label=gettext_lazy("Starts on"), widget=DateInput())
    ends_on = forms.DateField(label=gettext_lazy("Ends on"), widget=DateInput(), required=False)
    note = forms.CharField(label=gettext_lazy("Note"), max_length=1000, required=False)

    def clean(self):
        data = super().clean()
        if data.get("starts_on") and data.get("ends_on") and data["ends_on"] < data["starts_on"]:
            self.add_error("ends_on", _("The agreement cannot end before it starts."))
        return data


class ReferralForm(forms.Form):
    partner = forms.ModelChoiceField(label=gettext_lazy("Partner"), queryset=Partner.objects.none())
    help_kind = forms.ChoiceField(label=gettext_lazy("Help wanted"), widget=forms.RadioSelect)
    parent = forms.ModelChoiceField(
        label=gettext_lazy("Parent"), queryset=None, required=False,
        help_text=gettext_lazy("For a job or workplace mentor: the parent the mentor works "
                               "with."),
    )
    sent_on = forms.DateField(label=gettext_lazy("Sent on"), widget=DateInput())
    message = forms.CharField(label=gettext_lazy("Short message"), max_length=1000,
                              required=False, widget=forms.Textarea(attrs={"rows": 3}))
    shared_fields = forms.MultipleChoiceField(
        label=gettext_lazy("What is shared with the partner"), choices=SharedField.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text=gettext_lazy("Exactly these, nothing else. They are recorded with the "
                               "referral."),
    )
    consent = forms.BooleanField(
        label=gettext_lazy("The family has agreed to this exchange with the partner"),
    )
    consent_given_by = forms.CharField(label=gettext_lazy("Consent given by"), max_length=200)
    consent_given_on = forms.DateField(label=gettext_lazy("Consent given on"),
                                       widget=DateInput())

    def __init__(self, *args, household: Household, direction: str,
                 partners: QuerySet[Partner], **kwargs):
        super().__init__(*args, **kwargs)
        self.household, self.direction = household, direction
        self.fields["partner"].queryset = partners
        self.fields["partner"].empty_label = _("Choose a partner")
        kinds = HELP_IN if direction == Direction.IN else HELP_OUT
        self.fields["help_kind"].choices = [(k.value, k.label) for k in kinds]
        self.fields["parent"].queryset = household.members.filter(role=MemberRole.PARENT)
        self.fields["parent"].empty_label = _("The whole family")
        self.fields["sent_on"].initial = _today
        self.fields["consent_given_on"].initial = _today
        self.fields["consent"].error_messages["required"] = _(
            "Without the family's consent the referral cannot be sent.")
        if direction == Direction.IN:
            self.fields["sent_on"].label = _("Referred on")
            self.fields["shared_fields"].label = _("What the partner shared with us")

    def clean_sent_on(self):
        return _not_future(self.cleaned_data["sent_on"])

    def clean_consent_given_on(self):
        return _not_future(self.cleaned_data["consent_given_on"])

    def clean(self):
        data = super().clean()
        if data.get("help_kind") in MENTOR_HELP and not data.get("parent"):
            self.add_error("parent", _("Choose the parent the mentor will work with."))
        return data

    def values(self) -> dict:
        data = dict(self.cleaned_data)
        data.pop("consent")
        return data


MOVES = {  # the move's name in the form -> the status it goes to
    "receive": ReferralStatus.RECEIVED,
    "accept": ReferralStatus.ACCEPTED,
    "decline": ReferralStatus.DECLINED,
    "complete": ReferralStatus.COMPLETED,
}


class ReferralMoveForm(forms.Form):
    move = forms.ChoiceField(choices=[(k, k) for k in MOVES], widget=forms.HiddenInput)
    on = forms.DateField(label=gettext_lazy("Date"), widget=DateInput())
    reason = forms.CharField(label=gettext_lazy("Reason for declining"), max_length=500,
                             required=False)
    outcome = forms.CharField(label=gettext_lazy("Outcome"), max_length=500, required=False,
                              help_text=gettext_lazy(
                                  "In plain words what came of it, never an authority "
                                  "decision."))
    note = forms.CharField(label=gettext_lazy("Note"), max_length=500, required=False)

    def __init__(self, *args, move: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["on"].initial = _today
        if move:
            self.fields["move"].initial = move
            if move != "decline":
                del self.fields["reason"]
            if move != "complete":
                del self.fields["outcome"]

    def clean_on(self):
        return _not_future(self.cleaned_data["on"])

    @property
    def to_status(self) -> str:
        return MOVES[self.cleaned_data["move"]]


class ReferralFilterForm(forms.Form):
    direction = forms.ChoiceField(label=gettext_lazy("Direction"), required=False)
    status = forms.ChoiceField(label=gettext_lazy("Status"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["direction"].choices = [("", _("Both directions"))] + Direction.choices
        self.fields["status"].choices = [("", _("All statuses"))] + ReferralStatus.choices

    def filters(self) -> dict:
        data = self.cleaned_data if self.is_valid() else {}
        return {"direction": data.get("direction", ""), "status": data.get("status", "")}


# --- the plan --------------------------------------------------------------------------------

class PlanGoalForm(forms.Form):
    area = forms.ChoiceField(label=gettext_lazy("Life area"), choices=LifeArea.choices)
    text = forms.CharField(label=gettext_lazy("Goal"), max_length=300)


class PlanActionForm(forms.Form):
    goal = forms.ModelChoiceField(label=gettext_lazy("Goal"), queryset=PlanGoal.objects.none())
    text = forms.CharField(label=gettext_lazy("Action"), max_length=300)
    owner = forms.ChoiceField(label=gettext_lazy("Owner"))
    due_on = forms.DateField(label=gettext_lazy("Due"), widget=DateInput())

    def __init__(self, *args, goals: QuerySet[PlanGoal], owners: list[Owner], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["goal"].queryset = goals
        self.fields["goal"].empty_label = _("Choose a goal")
        self.fields["owner"].choices = [("", _("Choose an owner"))] + [
            (o.key, o.label) for o in owners]


class ActionStatusForm(forms.Form):
    status = forms.ChoiceField(label=gettext_lazy("Status"), choices=ActionStatus.choices)


class PlanReviewForm(forms.Form):
    held_on = forms.DateField(label=gettext_lazy("Held on"), widget=DateInput())
    participants = forms.CharField(label=gettext_lazy("Participants"), max_length=300)
    record = forms.CharField(label=gettext_lazy("Short record"), max_length=1000,
                             widget=forms.Textarea(attrs={"rows": 3}))
    next_review_on = forms.DateField(label=gettext_lazy("Next review"), widget=DateInput(),
                                     required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["held_on"].initial = _today

    def clean_held_on(self):
        return _not_future(self.cleaned_data["held_on"])

    def clean(self):
        data = super().clean()
        if data.get("held_on") and data.get("next_review_on") and \
                data["next_review_on"] <= data["held_on"]:
            self.add_error("next_review_on", _("The next review must be after this one."))
        return data
