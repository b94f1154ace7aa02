"""The Christmas-aid section of the household page (`{% christmas_aid household %}`).

A tag rather than a change to the registry's view: the registry does not depend on this area, and
the section shows only what the user may see of Christmas aid (selectors.application_list_for).
"""

from __future__ import annotations

from django import template
from django.db.models import Prefetch

from samspil.christmas import selectors
from samspil.christmas.models import FollowUpOffer, Status

register = template.Library()


@register.inclusion_tag("christmas/_household_aid.html", takes_context=True)
def christmas_aid(context, household) -> dict:
    user = context["request"].user
    applications = list(
        selectors.application_list_for(user=user)
        .filter(household=household, status=Status.GRANTED)
        .select_related("round")
        .prefetch_related(Prefetch(
            "offers", queryset=FollowUpOffer.objects.select_related("activity", "network")
            .annotate(participated=selectors.participation())))
        .order_by("-round__year", "-id"))
    return {"applications": applications}
