"""Input for networks, activities, sign-ups and attendance: format and choices here; the rules
that need the activity (capacity, deadline, age limits, who belongs to the household) live in
services.py and reach these forms through core.service_errors. Nothing is saved on an error."""

from __future__ import annotations

import re

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from samspil.activities.models import Activity, ActivityKind, CapacityUnit, Network
from samspil.activities.services import PublicSignUpData, SessionData
from samspil.core.contact import phone_from_input
from samspil.core.models import Branch, Municipality
from samspil.core.public_forms import PublicForm
from samspil.households.forms import DateInput
from samspil.households.models import Household, Language, Person
from samspil.volunteers.forms import TimeInput
from samspil.volunteers.models import Volunteer

MAX_SESSIONS = 20
MAX_CHILDREN = 12
MAX_ADULTS = 6


class NetworkForm(forms.Form):
    branch = forms.ModelChoiceField(label=gettext_lazy("Branch"), queryset=Branch.objects.none())
    name = forms.CharField(label=gettext_lazy("Name"), max_length=200)
    municipality = forms.ModelChoiceField(label=gettext_lazy("Municipality"), required=False,
                                          queryset=Municipality.objects.all())
    description = forms.CharField(label=gettext_lazy("Description"), required=False,
                                  max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))
    started_on = forms.DateField(label=gettext_lazy("Started on"), widget=DateInput())
    ended_on = forms.DateField(label=gettext_lazy("Ended on"), required=False,
                               widget=DateInput())
    contact_volunteers = forms.ModelMultipleChoiceField(
        label=gettext_lazy("Contact volunteers"), required=False,
        queryset=Volunteer.objects.none(), widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, branches: QuerySet[Branch], volunteers: QuerySet[Volunteer],
                 **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["branch"].queryset = branches
        self.fields["contact_volunteers"].queryset = volunteers

    def clean(self):
        data = super().clean()
        if data.get("started_on") and data.get("ended_on") and \
                data["ended_on"] < data["started_on"]:
            self.add_error("ended_on", _("A network cannot end before it starts."))
        return data

    def values(self) -> dict:
        data = dict(self.cleaned_data)
        data.pop("contact_volunteers")
        return data


class MemberAddForm(forms.Form):
    household = forms.ModelChoiceField(label=gettext_lazy("Household"),
                                       queryset=Household.objects.none())
    joined_on = forms.DateField(label=gettext_lazy("Joined on"), widget=DateInput())

    def __init__(self, *args, households: QuerySet[Household], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["household"].queryset = households
        self.fields["household"].label_from_instance = lambda h: h.display_name or str(h)


class MemberLeaveForm(forms.Form):
    left_on = forms.DateField(label=gettext_lazy("Left on"), widget=DateInput())


class ActivityForm(forms.Form):
    title = forms.CharField(label=gettext_lazy("Title"), max_length=200)
    kind = forms.ModelChoiceField(label=gettext_lazy("Kind"), queryset=ActivityKind.objects.none())
    branch = forms.ModelChoiceField(label=gettext_lazy("Branch"), queryset=Branch.objects.none())
    network = forms.ModelChoiceField(label=gettext_lazy("Network"), required=False,
                                     queryset=Network.objects.none())
    description = forms.CharField(label=gettext_lazy("Description"), required=False,
                                  max_length=4000, widget=forms.Textarea(attrs={"rows": 3}))
    place = forms.CharField(label=gettext_lazy("Place"), required=False, max_length=200)
    capacity = forms.IntegerField(label=gettext_lazy("Places"), min_value=1, max_value=10000)
    capacity_unit = forms.ChoiceField(label=gettext_lazy("Places counted in"),
                                      choices=CapacityUnit.choices, widget=forms.RadioSelect)
    waiting_list = forms.BooleanField(label=gettext_lazy("Waiting list when full"),
                                      required=False, initial=True)
    min_age = forms.IntegerField(label=gettext_lazy("Children from age"), required=False,
                                 min_value=0, max_value=17)
    max_age = forms.IntegerField(label=gettext_lazy("Children up to age"), required=False,
                                 min_value=0, max_value=17)
    price = forms.DecimalField(label=gettext_lazy("Price (DKK)"), min_value=0, max_digits=8,
                               decimal_places=2, initial=0)
    signup_deadline = forms.DateField(
        label=gettext_lazy("Sign-up deadline"), required=False, widget=DateInput(),
        help_text=gettext_lazy("The last day to sign up. Empty: until the day of the first "
                               "session."))
    public_signup = forms.BooleanField(
        label=gettext_lazy("Open for sign-up through a public link"), required=False)
    volunteers = forms.ModelMultipleChoiceField(
        label=gettext_lazy("Volunteers in charge"), required=False,
        queryset=Volunteer.objects.none(), widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, branches, kinds, networks, volunteers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["branch"].queryset = branches
        self.fields["kind"].queryset = kinds
        self.fields["kind"].label_from_instance = lambda k: k.label
        self.fields["network"].queryset = networks
        self.fields["volunteers"].queryset = volunteers

    def clean(self):
        data = super().clean()
        low, high = data.get("min_age"), data.get("max_age")
        if low is not None and high is not None and high < low:
            self.add_error("max_age", _("The upper age limit cannot be below the lower one."))
        return data

    def values(self) -> dict:
        data = dict(self.cleaned_data)
        data.pop("volunteers")
        return data


class SessionForm(forms.Form):
    date = forms.DateField(label=gettext_lazy("Date"), widget=DateInput())
    start = forms.TimeField(label=gettext_lazy("From"), widget=TimeInput())
    end = forms.TimeField(label=gettext_lazy("To"), widget=TimeInput())

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["end"] <= data["start"]:
            self.add_error("end", _("A session must end after it starts."))
        return data

    def data_object(self) -> SessionData:
        return SessionData(**self.cleaned_data)


class BaseSessionFormSet(forms.BaseFormSet):
    def clean(self):
        if any(self.errors):
            return
        if not any(f.cleaned_data for f in self.forms):
            raise ValidationError(_("Add at least one session."))

    def sessions(self) -> list[SessionData]:
        return [f.data_object() for f in self.forms if f.cleaned_data]


SessionFormSet = forms.formset_factory(SessionForm, formset=BaseSessionFormSet, extra=3,
                                       max_num=MAX_SESSIONS, validate_max=True)


class KindForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Name"), max_length=100)
    code = forms.SlugField(
        label=gettext_lazy("Code"), max_length=50,
        help_text=gettext_lazy("Short and stable, letters, digits and underscores, e.g. "
                               "sewing_club. Reports use it."))


class SignUpForm(forms.Form):
    """A coordinator signs a registry household up: the household, then who comes."""

    household = forms.ModelChoiceField(label=gettext_lazy("Household"),
                                       queryset=Household.objects.none())
    persons = forms.ModelMultipleChoiceField(
        label=gettext_lazy("Who comes"), queryset=Person.objects.none(), required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=gettext_lazy("Empty: the whole household."))
    note = forms.CharField(label=gettext_lazy("Note"), required=False, max_length=500)

    def __init__(self, *args, households: QuerySet[Household], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["household"].queryset = households
        self.fields["household"].label_from_instance = lambda h: h.display_name or str(h)
        # Any member of a household the user may see; the service refuses members of another
        # household than the one chosen.
        self.fields["persons"].queryset = Person.objects.filter(household__in=households)
        self.fields["persons"].label_from_instance = lambda p: p.full_name

    def chosen(self) -> list[Person]:
        persons = list(self.cleaned_data["persons"])
        return persons or list(self.cleaned_data["household"].members.all())


class AttendanceForm(forms.Form):
    present = forms.TypedMultipleChoiceField(coerce=int, required=False,
                                             widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, participant_ids: list[int], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["present"].choices = [(i, i) for i in participant_ids]
        self.fields["present"].error_messages["invalid_choice"] = _(
            "Only people with a place can be marked present.")


class LinkHouseholdForm(forms.Form):
    household = forms.ModelChoiceField(label=gettext_lazy("Household in the registry"),
                                       queryset=Household.objects.none())

    def __init__(self, *args, households: QuerySet[Household], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["household"].queryset = households
        self.fields["household"].label_from_instance = lambda h: h.display_name or str(h)


class FiguresForm(forms.Form):
    year = forms.TypedChoiceField(label=gettext_lazy("Year"), coerce=int)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        this_year = timezone.localdate().year
        self.fields["year"].choices = [(y, y) for y in range(this_year, this_year - 6, -1)]
        self.fields["year"].initial = this_year

    def chosen_year(self) -> int:
        if self.is_bound and self.is_valid():
            return self.cleaned_data["year"]
        return timezone.localdate().year


# --- the public sign-up form -------------------------------------------------------------------

_AGES = re.compile(r"^[\d\s,;]*$")


class PublicSignUpForm(PublicForm):
    """What a family types on the public link: contact, how many adults, the children's ages."""

    contact_name = forms.CharField(label=gettext_lazy("Your name"), max_length=200,
                                   widget=forms.TextInput(attrs={"autocomplete": "name"}))
    phone = forms.CharField(label=gettext_lazy("Phone"), max_length=30, required=False,
                            widget=forms.TextInput(attrs={"autocomplete": "tel",
                                                          "inputmode": "tel"}))
    email = forms.EmailField(label=gettext_lazy("E-mail"), max_length=254, required=False,
                             widget=forms.EmailInput(attrs={"autocomplete": "email"}))
    adults = forms.IntegerField(label=gettext_lazy("Adults coming"), min_value=1,
                                max_value=MAX_ADULTS, initial=1)
    children_ages = forms.CharField(
        label=gettext_lazy("Children's ages"), required=False, max_length=60,
        help_text=gettext_lazy("The age of each child who comes, separated by commas, for "
                               "example 4, 9. Empty if no children come."))
    language = forms.ChoiceField(label=gettext_lazy("Preferred language"), required=False,
                                 choices=[("", "—")] + [(c, n) for c, n in Language.choices
                                                        if c != "other"])
    note = forms.CharField(label=gettext_lazy("Anything we should know? (optional)"),
                           required=False, max_length=500,
                           widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, activity: Activity, **kwargs):
        self.activity = activity
        super().__init__(*args, scope=f"activity-signup:{activity.pk}", **kwargs)

    def clean_contact_name(self) -> str:
        name = " ".join(self.cleaned_data["contact_name"].split())
        if not name:
            raise ValidationError(_("Write your name."))
        return name

    def clean_phone(self) -> str:
        return phone_from_input(self.cleaned_data.get("phone", ""))

    def clean_children_ages(self) -> tuple[int, ...]:
        raw = self.cleaned_data.get("children_ages", "")
        if not _AGES.match(raw):
            raise ValidationError(_("Write the ages as numbers separated by commas, for example "
                                    "4, 9."))
        ages = tuple(int(a) for a in re.split(r"[\s,;]+", raw) if a)
        if len(ages) > MAX_CHILDREN:
            raise ValidationError(_("At most %(n)s children per sign-up.") % {"n": MAX_CHILDREN})
        if any(a > 17 for a in ages):
            raise ValidationError(_("A child is 17 or younger; count older ones as adults."))
        return ages

    def clean(self):
        data = super().clean()
        if not self.errors and not data.get("phone") and not data.get("email"):
            raise ValidationError(_("Give a phone number or an e-mail address, so that we can "
                                    "reach you."))
        return data

    def data_object(self) -> PublicSignUpData:
        d = self.cleaned_data
        return PublicSignUpData(
            contact_name=d["contact_name"], phone=d["phone"], email=d["email"],
            adults=d["adults"], children_ages=d["children_ages"], language=d["language"],
            note=d["note"])
