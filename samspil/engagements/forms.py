"""Input for engagements: format and choices here; the rules that need the engagement (dates in
order, allowed moves, meetings only while matched or active) live in services.py, and the views
show their messages on these forms. Nothing is saved on an error."""

from __future__ import annotations

import datetime
import re

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from samspil.core.models import Branch
from samspil.engagements.models import (
    EndReason,
    Engagement,
    EngagementState,
    EngagementType,
    Focus,
    Goal,
    Meeting,
)
from samspil.engagements.reports import Period, add_months, month_start
from samspil.engagements.services import MAX_MEETING_MINUTES
from samspil.households.forms import DateInput
from samspil.households.models import Household, LifeArea, MemberRole
from samspil.volunteers.models import Volunteer

State = EngagementState
MENTOR_TYPES = (EngagementType.JOB_MENTOR, EngagementType.WORKPLACE_MENTOR)
QUICK_MINUTES = (30, 60, 90, 120)
LONGEST_PERIOD_MONTHS = 36


def _today() -> datetime.date:
    return timezone.localdate()


def today_input() -> DateInput:
    """A date input that a phone's date picker keeps to today or earlier."""
    return DateInput(attrs={"max": _today().isoformat()})


# --- the coordinator's list ------------------------------------------------------------------

class EngagementFilterForm(forms.Form):
    state = forms.ChoiceField(label=gettext_lazy("State"), required=False)
    type = forms.ChoiceField(label=gettext_lazy("Type"), required=False)
    branch = forms.ModelChoiceField(label=gettext_lazy("Branch"), queryset=Branch.objects.none(),
                                    required=False)
    household = forms.IntegerField(required=False, widget=forms.HiddenInput, min_value=1)

    def __init__(self, *args, branches: QuerySet[Branch], with_state: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["state"].choices = [("", _("All states"))] + State.choices
        if not with_state:
            del self.fields["state"]
        self.fields["type"].choices = [("", _("All types"))] + EngagementType.choices
        self.fields["branch"].queryset = branches
        self.fields["branch"].empty_label = _("All branches")

    def filters(self) -> dict:
        """The selector's keyword arguments; an invalid filter is simply not applied."""
        data = self.cleaned_data if self.is_valid() else {}
        filters = {"type": data.get("type", ""), "branch": data.get("branch")}
        if "state" in self.fields:
            filters.update(state=data.get("state", ""), household=data.get("household"))
        return filters


# --- referral --------------------------------------------------------------------------------

class ReferralForm(forms.Form):
    type = forms.ChoiceField(label=gettext_lazy("Type"), choices=EngagementType.choices,
                             widget=forms.RadioSelect)
    parent = forms.ModelChoiceField(
        label=gettext_lazy("Parent"), queryset=None, required=False,
        help_text=gettext_lazy("For a job or workplace mentor: the parent the mentor works "
                               "with."),
    )
    focus = forms.ChoiceField(
        label=gettext_lazy("Focus"), required=False, widget=forms.RadioSelect,
        help_text=gettext_lazy("For mentors. Task-focused: applications, homework, preparing "
                               "an internship. Life-focused: sparring on everything around "
                               "work and education."),
    )
    company = forms.CharField(label=gettext_lazy("Company"), max_length=200, required=False,
                              help_text=gettext_lazy("For a workplace mentor: where the parent "
                                                     "starts work or training."))
    job_centre = forms.CharField(label=gettext_lazy("Job centre"), max_length=200,
                                 required=False,
                                 help_text=gettext_lazy("For a workplace mentor, if the job "
                                                        "centre takes part (optional)."))
    referred_on = forms.DateField(label=gettext_lazy("Referred on"))
    note = forms.CharField(label=gettext_lazy("Note"), required=False, max_length=2000,
                           widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, household: Household, **kwargs):
        super().__init__(*args, **kwargs)
        self.household = household
        self.fields["parent"].queryset = household.members.filter(role=MemberRole.PARENT)
        self.fields["parent"].empty_label = _("Choose a parent")
        self.fields["focus"].choices = [("", _("Not decided yet"))] + Focus.choices
        self.fields["referred_on"].initial = _today
        self.fields["referred_on"].widget = today_input()

    def clean(self):
        data = super().clean()
        type_ = data.get("type")
        if type_ == EngagementType.FAMILY_FRIEND:
            data.update(parent=None, focus="", company="", job_centre="")
        elif type_ in MENTOR_TYPES and not data.get("parent"):
            self.add_error("parent", _("Choose the parent the mentor will work with."))
        if type_ == EngagementType.WORKPLACE_MENTOR and not data.get("company"):
            self.add_error("company", _("Enter the company where the parent starts."))
        if type_ == EngagementType.JOB_MENTOR:
            data.update(company="", job_centre="")
        return data

    def values(self) -> dict:
        return dict(self.cleaned_data)


# --- moves between states --------------------------------------------------------------------

class MoveForm(forms.Form):
    """A dated move of the engagement to `to_state`; the service checks that it is allowed."""

    to_state: str = ""
    on = forms.DateField(label=gettext_lazy("Date"))

    def __init__(self, *args, engagement: Engagement, **kwargs):
        kwargs.setdefault("prefix", self.prefix_name)
        super().__init__(*args, **kwargs)
        self.engagement = engagement
        self.fields["on"].initial = _today
        self.fields["on"].widget = today_input()

    prefix_name = ""


class WaitForm(MoveForm):
    prefix_name = "wait"
    to_state = State.WAITING
    note = forms.CharField(label=gettext_lazy("Note"), required=False, max_length=500)


class MatchForm(MoveForm):
    prefix_name = "match"
    to_state = State.MATCHED
    volunteer = forms.ModelChoiceField(label=gettext_lazy("Volunteer"),
                                       queryset=Volunteer.objects.none())

    field_order = ["volunteer", "on"]

    def __init__(self, *args, volunteers: list[Volunteer], **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["volunteer"]
        # Any volunteer of the branch is accepted here, so that the service can say why a
        # volunteer who became ineligible meanwhile cannot be matched. The drop-down offers
        # only those who passed the hard rules when the page was drawn.
        field.queryset = Volunteer.objects.filter(
            organisation_id=self.engagement.organisation_id, branch_id=self.engagement.branch_id
        )
        field.choices = [("", _("Choose a volunteer"))] + [(v.pk, v.full_name) for v in volunteers]
        self.volunteer_count = len(volunteers)


class StartForm(MoveForm):
    prefix_name = "start"
    to_state = State.ACTIVE


class EndForm(MoveForm):
    prefix_name = "end"
    to_state = State.ENDED
    end_reason = forms.ChoiceField(label=gettext_lazy("Why does it end?"),
                                   choices=EndReason.choices, widget=forms.RadioSelect)
    note = forms.CharField(label=gettext_lazy("Note"), required=False, max_length=500)

    field_order = ["end_reason", "on", "note"]


MOVE_FORMS: dict[str, type[MoveForm]] = {
    "wait": WaitForm, "match": MatchForm, "start": StartForm, "end": EndForm,
}


# --- goals -----------------------------------------------------------------------------------

class GoalForm(forms.ModelForm):
    class Meta:
        model = Goal
        fields = ["area", "text"]
        help_texts = {"text": gettext_lazy("One small, concrete step, e.g. \"Log in to "
                                           "e-Boks on her own\".")}

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("prefix", "goal")
        super().__init__(*args, **kwargs)


class GoalStatusForm(forms.Form):
    status = forms.ChoiceField(label=gettext_lazy("Status"), choices=Goal.Status.choices)
    reached_on = forms.DateField(
        label=gettext_lazy("Reached on"), required=False,
        help_text=gettext_lazy("When reached; today if left empty."),
    )

    def __init__(self, *args, goal: Goal, **kwargs):
        kwargs.setdefault("prefix", f"goal-{goal.pk}")
        kwargs.setdefault("initial", {"status": goal.status, "reached_on": goal.reached_on})
        super().__init__(*args, **kwargs)
        self.goal = goal
        self.fields["reached_on"].widget = today_input()


# --- meetings --------------------------------------------------------------------------------

class MeetingForm(forms.Form):
    """The volunteer's phone form: the date is today unless changed, one tap for the length,
    one for the kind, optional areas and a short note, one submit."""

    date = forms.DateField(label=gettext_lazy("Date"))
    minutes = forms.IntegerField(
        label=gettext_lazy("Minutes"), min_value=1, max_value=MAX_MEETING_MINUTES,
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "step": "5",
                                        "class": "minutes-input"}),
        error_messages={"required": gettext_lazy("Enter how many minutes the meeting took.")},
    )
    kind = forms.ChoiceField(label=gettext_lazy("Kind of meeting"), choices=Meeting.Kind.choices,
                             widget=forms.RadioSelect,
                             error_messages={"required": gettext_lazy("Choose the kind of "
                                                                      "meeting.")})
    areas = forms.MultipleChoiceField(
        label=gettext_lazy("Life areas you talked about or worked on"), required=False,
        choices=LifeArea.choices, widget=forms.CheckboxSelectMultiple,
    )
    note = forms.CharField(
        label=gettext_lazy("Short note"), required=False, max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=gettext_lazy("Optional. Only what the coordinator needs to know; no "
                               "diagnoses or CPR numbers."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["date"].initial = _today
        self.fields["date"].widget = today_input()

    quick_minutes = QUICK_MINUTES


# --- figures ---------------------------------------------------------------------------------

_MONTH = re.compile(r"^(\d{4})-(\d{2})$")


class MonthField(forms.CharField):
    """A calendar month typed as YYYY-MM (the value of <input type="month">)."""

    widget = forms.TextInput(attrs={"type": "month", "placeholder": "YYYY-MM"})

    def to_python(self, value):
        value = super().to_python(value).strip()
        if not value:
            return None
        found = _MONTH.match(value)
        if not found or not 1 <= int(found.group(2)) <= 12 or int(found.group(1)) < 2000:
            raise ValidationError(_("Enter a month as year and month, e.g. 2026-01."))
        return datetime.date(int(found.group(1)), int(found.group(2)), 1)

    def prepare_value(self, value):
        if isinstance(value, datetime.date):
            return f"{value:%Y-%m}"
        return value


class FiguresForm(forms.Form):
    """The period and scope of a figures page. Empty months: the last twelve."""

    first = MonthField(label=gettext_lazy("From month"), required=False)
    last = MonthField(label=gettext_lazy("To month"), required=False)
    branch = forms.ModelChoiceField(label=gettext_lazy("Branch"), queryset=Branch.objects.none(),
                                    required=False)
    type = forms.ChoiceField(label=gettext_lazy("Type"), required=False)

    def __init__(self, *args, branches: QuerySet[Branch], with_type: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["branch"].queryset = branches
        self.fields["branch"].empty_label = _("All branches")
        if with_type:
            self.fields["type"].choices = [("", _("All types"))] + EngagementType.choices
        else:
            del self.fields["type"]

    def clean(self):
        data = super().clean()
        if "first" in self.errors or "last" in self.errors:
            return data
        this_month = month_start(_today())
        first, last = data.get("first"), data.get("last")
        if first and not last:
            last = min(add_months(first, 11), max(first, this_month))
        elif last and not first:
            first = add_months(last, -11)
        elif not first:
            first, last = add_months(this_month, -11), this_month
        if last < first:
            self.add_error("last", _("The last month cannot be before the first."))
        elif add_months(first, LONGEST_PERIOD_MONTHS - 1) < last:
            self.add_error("last", _("Choose at most %(count)s months.")
                           % {"count": LONGEST_PERIOD_MONTHS})
        else:
            data["period"] = Period(first, last)
        return data

    def period(self) -> Period:
        if self.is_valid():
            return self.cleaned_data["period"]
        return Period.last_twelve_months(_today())
