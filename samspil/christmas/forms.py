"""Input for Christmas aid: the public application form and the coordinators' forms."""

from __future__ import annotations

import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from samspil.christmas.models import (
    Delivery,
    FollowUpKind,
    IncomeCategory,
    OfferResponse,
    Round,
)
from samspil.christmas.rules import age_on, children_under_18
from samspil.core.contact import phone_from_input, postcode_from_input
from samspil.core.models import Municipality, Postcode
from samspil.core.public_forms import PublicForm, light_copies
from samspil.households import cpr

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
MAX_CHILDREN = 15

# The postcodes (reference data from data/, loaded by a migration): code -> (town,
# municipality), read once per process so the public form's post does not ask the database.
_POSTCODES: dict[str, tuple[str, str]] = {}


def cached_postcode(raw: str) -> Postcode:
    """The Danish postcode typed (core.contact's rule), from the process's copy of the table;
    a code not in the copy is looked up in the database, so a postcode added later still
    works and an unknown one gets core.contact's message."""
    code = raw.strip()
    if not _POSTCODES:
        _POSTCODES.update((c, (town, municipality)) for c, town, municipality in
                          Postcode.objects.values_list("code", "town", "municipality_id"))
    known = _POSTCODES.get(code)
    if known is None:
        postcode = postcode_from_input(code)
        _POSTCODES[code] = (postcode.town, postcode.municipality_id)
        return postcode
    postcode = Postcode(code=code, town=known[0], municipality_id=known[1])
    postcode._state.adding, postcode._state.db = False, "default"
    return postcode


@light_copies
class ApplicationForm(PublicForm):
    """The public Christmas-aid application: phone first, no login."""

    first_name = forms.CharField(label=gettext_lazy("First name"), max_length=100,
                                 widget=forms.TextInput(attrs={"autocomplete": "given-name"}))
    last_name = forms.CharField(label=gettext_lazy("Last name"), max_length=100,
                                widget=forms.TextInput(attrs={"autocomplete": "family-name"}))
    birth_date = forms.DateField(label=gettext_lazy("Birth date"), widget=DATE)
    cpr = forms.CharField(
        label=gettext_lazy("CPR number (optional)"), required=False, max_length=11,
        help_text=gettext_lazy("DDMMYY-XXXX. You may leave it out; it helps us find an "
                               "earlier application of yours."),
        widget=cpr.CprInput(attrs={"autocomplete": "off", "inputmode": "numeric"}),
    )
    address = forms.CharField(label=gettext_lazy("Street and number"), max_length=200,
                              widget=forms.TextInput(attrs={"autocomplete": "address-line1"}))
    postcode = forms.CharField(label=gettext_lazy("Postcode"), max_length=4, widget=forms.TextInput(
        attrs={"autocomplete": "postal-code", "inputmode": "numeric"}))
    phone = forms.CharField(label=gettext_lazy("Phone"), max_length=30,
                            widget=forms.TextInput(attrs={"autocomplete": "tel", "type": "tel"}))
    email = forms.EmailField(label=gettext_lazy("E-mail (optional)"), required=False,
                             max_length=254)
    other_first_name = forms.CharField(label=gettext_lazy("Other adult's first name"),
                                       max_length=100, required=False)
    other_last_name = forms.CharField(label=gettext_lazy("Other adult's last name"),
                                      max_length=100, required=False)
    other_birth_date = forms.DateField(label=gettext_lazy("Other adult's birth date"),
                                       required=False, widget=DATE)
    children_birth_years = forms.CharField(
        label=gettext_lazy("Children's birth years"), max_length=100,
        help_text=gettext_lazy("The children living at home, separated by commas, "
                               "for example 2014, 2018."),
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
    )
    income = forms.ChoiceField(label=gettext_lazy("Income situation"),
                               choices=IncomeCategory.choices, widget=forms.RadioSelect)
    description = forms.CharField(
        label=gettext_lazy("Tell us briefly about your situation (optional)"), required=False,
        max_length=1000, widget=forms.Textarea(attrs={"rows": 4}),
    )
    consent = forms.BooleanField(
        label=gettext_lazy("I agree that the organisation processes the information in this "
                           "application to decide on Christmas aid."),
    )
    consent_followup = forms.BooleanField(
        label=gettext_lazy("The organisation may contact me about further help after "
                           "Christmas (optional)."), required=False,
    )

    def __init__(self, *args, round: Round, **kwargs):
        self.round = round
        super().__init__(*args, scope=f"christmas:{round.pk}", **kwargs)

    def clean_birth_date(self):
        value = self.cleaned_data["birth_date"]
        age = age_on(value, timezone.localdate())
        if value > timezone.localdate() or not 15 <= age <= 110:
            raise ValidationError(_("Enter your own birth date (you must be at least 15)."))
        return value

    def clean_other_birth_date(self):
        value = self.cleaned_data.get("other_birth_date")
        if value and (value > timezone.localdate()
                      or not 15 <= age_on(value, timezone.localdate()) <= 110):
            raise ValidationError(_("Enter the other adult's birth date."))
        return value

    def clean_cpr(self):
        value = self.cleaned_data["cpr"].strip()
        return cpr.normalise(value) if value else ""

    def clean_postcode(self):
        return cached_postcode(self.cleaned_data["postcode"])

    def clean_phone(self):
        return phone_from_input(self.cleaned_data["phone"])

    def clean_children_birth_years(self):
        raw = self.cleaned_data["children_birth_years"].replace(";", ",").replace(" ", ",")
        this_year = timezone.localdate().year
        years = []
        for part in filter(None, raw.split(",")):
            if not (part.isdigit() and len(part) == 4 and this_year - 30 <= int(part) <= this_year):
                raise ValidationError(
                    _("Write each child's birth year with four digits, for example 2014."))
            years.append(int(part))
        if len(years) > MAX_CHILDREN:
            raise ValidationError(_("At most %(n)s children.") % {"n": MAX_CHILDREN})
        if self.round.require_children and not children_under_18(years, year=self.round.year):
            raise ValidationError(
                _("Christmas aid in this round is for households with children under 18 living "
                  "at home."))
        return sorted(years)

    def clean(self):
        data = super().clean()
        other = [data.get("other_first_name"), data.get("other_last_name"),
                 data.get("other_birth_date")]
        if any(other) and not all(other):
            self.add_error("other_first_name", _(
                "For the other adult, give first name, last name and birth date, or leave all "
                "three empty."))
        number, birth = data.get("cpr"), data.get("birth_date")
        if number and birth and cpr.birth_date(number) != birth:
            self.add_error("cpr", _("The CPR number does not match your birth date."))
        return data

    def values(self) -> dict:
        d = self.cleaned_data
        return {
            "first_name": d["first_name"].strip(), "last_name": d["last_name"].strip(),
            "birth_date": d["birth_date"], "address": d["address"].strip(),
            "postcode": d["postcode"], "phone": d["phone"], "email": d["email"],
            "other_first_name": d["other_first_name"].strip(),
            "other_last_name": d["other_last_name"].strip(),
            "other_birth_date": d["other_birth_date"],
            "children_birth_years": d["children_birth_years"], "income": d["income"],
            "description": d["description"].strip(), "consent_followup": d["consent_followup"],
        }


class RoundForm(forms.ModelForm):
    income_categories = forms.MultipleChoiceField(
        label=gettext_lazy("Eligible income situations"), choices=IncomeCategory.choices,
        required=False, widget=forms.CheckboxSelectMultiple,
        help_text=gettext_lazy("None ticked: every income situation is eligible."),
    )
    followup_kinds = forms.MultipleChoiceField(
        label=gettext_lazy("Follow-up help offered"), choices=FollowUpKind.choices,
        required=False, widget=forms.CheckboxSelectMultiple,
    )
    municipalities = forms.ModelMultipleChoiceField(
        label=gettext_lazy("Municipalities covered"), queryset=Municipality.objects.all(),
        required=False, widget=forms.SelectMultiple(attrs={"size": 6}),
        help_text=gettext_lazy("None chosen: the municipalities of the organisation's branches."),
    )

    class Meta:
        model = Round
        fields = ["name", "year", "opens_at", "closes_at", "budget", "amount_per_household",
                  "amount_per_child", "require_children", "income_categories",
                  "municipalities", "weight_single_provider", "weight_per_child",
                  "weight_no_aid_last_year", "followup_kinds"]
        widgets = {
            "opens_at": forms.DateTimeInput(attrs={"type": "datetime-local"},
                                            format="%Y-%m-%dT%H:%M"),
            "closes_at": forms.DateTimeInput(attrs={"type": "datetime-local"},
                                             format="%Y-%m-%dT%H:%M"),
        }

    def clean_year(self):
        year = self.cleaned_data["year"]
        if not 2000 <= year <= 2100:
            raise ValidationError(_("Enter a year between 2000 and 2100."))
        return year

    def values(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.Meta.fields
                if name != "municipalities"}


class QueueFilterForm(forms.Form):
    q = forms.CharField(label=gettext_lazy("Search"), required=False, max_length=100)
    status = forms.ChoiceField(label=gettext_lazy("Status"), required=False, choices=[
        ("", gettext_lazy("All")), ("new", gettext_lazy("Not decided")),
        ("granted", gettext_lazy("Granted")), ("rejected", gettext_lazy("Rejected"))])
    eligible = forms.ChoiceField(label=gettext_lazy("Eligibility check"), required=False,
                                 choices=[("", gettext_lazy("All")),
                                          ("yes", pgettext_lazy("christmas aid", "Eligible")),
                                          ("no", gettext_lazy("Not eligible"))])
    branch = forms.ModelChoiceField(label=gettext_lazy("Branch"), required=False, queryset=None,
                                    empty_label=gettext_lazy("All branches"))
    duplicates = forms.BooleanField(label=gettext_lazy("Only likely duplicates"),
                                    required=False)

    def __init__(self, *args, branches, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["branch"].queryset = branches


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(label=gettext_lazy("Decision"), widget=forms.RadioSelect,
                                 choices=[("grant", gettext_lazy("Grant")),
                                          ("reject", gettext_lazy("Reject"))])
    reason = forms.CharField(label=gettext_lazy("Reason"), max_length=500, required=False,
                             widget=forms.TextInput)
    branch = forms.ModelChoiceField(label=gettext_lazy("Branch that follows the family"),
                                    required=False, queryset=None)

    def __init__(self, *args, branches, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["branch"].queryset = branches

    def clean(self):
        data = super().clean()
        if data.get("decision") == "reject" and not data.get("reason", "").strip():
            self.add_error("reason", _("Give the reason for the rejection."))
        return data


class DeliveryForm(forms.Form):
    delivery = forms.ChoiceField(label=gettext_lazy("Delivery"), widget=forms.RadioSelect,
                                 choices=[c for c in Delivery.choices if c[0]])


class OfferForm(forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("Kind of help"), choices=FollowUpKind.choices)
    offered_on = forms.DateField(label=gettext_lazy("Offered on"), widget=DATE)
    activity = forms.ModelChoiceField(
        label=gettext_lazy("Activity (optional)"), required=False, queryset=None,
        help_text=gettext_lazy("A camp, a network meeting, counselling…: whether the family "
                               "took part is then read from the attendance."))
    network = forms.ModelChoiceField(
        label=gettext_lazy("Family network (optional)"), required=False, queryset=None,
        help_text=gettext_lazy("Taking part is then being a member of the network."))
    engagement = forms.ModelChoiceField(
        label=gettext_lazy("Engagement (optional)"), required=False, queryset=None,
        help_text=gettext_lazy("A mentor or family friend: taking part is the engagement "
                               "having started."))
    note = forms.CharField(label=gettext_lazy("Note"), max_length=500, required=False)

    def __init__(self, *args, kinds, engagements, activities, networks, **kwargs):
        super().__init__(*args, **kwargs)
        if kinds:
            self.fields["kind"].choices = [c for c in FollowUpKind.choices if c[0] in kinds]
        self.fields["engagement"].queryset = engagements
        self.fields["engagement"].label_from_instance = lambda e: (
            f"{e.get_type_display()} · {e.get_state_display()}")
        self.fields["activity"].queryset = activities
        self.fields["activity"].label_from_instance = lambda a: (
            f"{a.title} · {a.kind.label}" + (f" · {a.first_date:%d.%m.%Y}"
                                             if getattr(a, "first_date", None) else ""))
        self.fields["network"].queryset = networks
        self.initial.setdefault("offered_on", timezone.localdate())


class OfferUpdateForm(forms.Form):
    response = forms.ChoiceField(label=gettext_lazy("Answer"), choices=OfferResponse.choices)
    took_part = forms.ChoiceField(label=gettext_lazy("Took part"), required=False, choices=[
        ("", gettext_lazy("Not known yet")), ("yes", gettext_lazy("Yes")),
        ("no", gettext_lazy("No"))])

    def took_part_value(self) -> bool | None:
        return {"yes": True, "no": False}.get(self.cleaned_data.get("took_part") or "")


class LinkageKeyForm(forms.Form):
    key = forms.CharField(
        label=gettext_lazy("Shared linkage key"), min_length=32, max_length=200,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "off"}),
        help_text=gettext_lazy("At least 32 characters, agreed with the other charities by a "
                               "safe channel. The same key must be used by all of them."),
    )


class OverlapImportForm(forms.Form):
    partner = forms.CharField(label=gettext_lazy("From which charity"), max_length=200)
    file = forms.FileField(label=gettext_lazy("Their encodings file (JSON)"))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > 200 * 1024 * 1024:
            raise ValidationError(_("The file is too large."))
        return upload


def parse_datetime_local(value: str) -> datetime.datetime | None:
    try:
        return timezone.make_aware(datetime.datetime.fromisoformat(value))
    except ValueError:
        return None
