"""Input for matching: which scope to plan, which volunteer to match or propose."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from samspil.core.models import Branch, Role, User
from samspil.core.selectors import branch_list_for
from samspil.volunteers.models import Volunteer

WHOLE_ORGANISATION = "all"


class PlanForm(forms.Form):
    scope = forms.ChoiceField(label=gettext_lazy("Branch"))

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.branches = {str(b.pk): b for b in branch_list_for(user=user)}
        choices = [(pk, str(b)) for pk, b in self.branches.items()]
        if user.role == Role.ORG_ADMIN:
            choices.insert(0, (WHOLE_ORGANISATION, _("The whole organisation")))
        self.fields["scope"].choices = choices

    def branch(self) -> Branch | None:
        scope = self.cleaned_data["scope"]
        return None if scope == WHOLE_ORGANISATION else self.branches[scope]


class VolunteerChoiceForm(forms.Form):
    """The volunteer chosen with a button (name="volunteer", value=her id)."""

    volunteer = forms.IntegerField(min_value=1, max_value=10**18)

    def __init__(self, *args, organisation_id: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.organisation_id = organisation_id

    def clean_volunteer(self) -> Volunteer:
        volunteer = Volunteer.objects.filter(
            organisation_id=self.organisation_id, pk=self.cleaned_data["volunteer"]
        ).first()
        if volunteer is None:
            raise forms.ValidationError(_("Choose a volunteer of the organisation."))
        return volunteer
