"""The round report: the funnel from application to taking part in follow-up help."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from samspil.christmas.models import (
    Application,
    Delivery,
    FollowUpOffer,
    OfferResponse,
    Status,
)
from samspil.christmas.selectors import participation

STAGES = [
    ("applications", _("Applications")),
    ("eligible", pgettext_lazy("christmas aid", "Eligible")),
    ("granted", _("Granted")),
    ("delivered", _("Delivered")),
    ("offered", _("Offered follow-up")),
    ("accepted", _("Accepted follow-up")),
    ("took_part", _("Took part")),
]


@dataclass
class FunnelRow:
    label: str
    counts: dict[str, int]

    @property
    def stages(self) -> list[dict]:
        """Each stage with its count, its share of applications and of the stage before."""
        out, previous = [], None
        first = self.counts["applications"]
        for key, label in STAGES:
            value = self.counts[key]
            out.append({
                "key": key, "label": label, "count": value,
                "of_applications": _percent(value, first),
                "of_previous": _percent(value, previous) if previous is not None else None,
            })
            previous = value
        return out


def _percent(part: int, whole: int | None) -> float | None:
    if not whole:
        return None
    return round(100 * part / whole, 1)


def funnel(applications: QuerySet[Application]) -> list[FunnelRow]:
    """One row per branch (and one for applications without a branch) and a total, from one
    grouped query; ``applications`` is already scoped to the user.

    Each stage counts applications (households), not offers: "offered follow-up" is a
    household with at least one offer, "accepted" one that accepted (or took part in) at least
    one, "took part" one that took part in at least one, read from the attendance, network
    membership or engagement an offer points to (selectors.participation)."""
    offers = FollowUpOffer.objects.filter(application=OuterRef("pk")).annotate(
        participated=participation())
    rows = (
        applications.annotate(
            has_offer=Exists(offers),
            # Taking part in an offer is accepting it, whatever answer was recorded.
            has_accept=Exists(offers.filter(Q(response=OfferResponse.ACCEPTED)
                                            | Q(participated=True))),
            has_part=Exists(offers.filter(participated=True)),
        )
        .values("branch__name")
        .annotate(
            applications=Count("id"),
            eligible=Count("id", filter=Q(eligible=True)),
            granted=Count("id", filter=Q(status=Status.GRANTED)),
            delivered=Count("id", filter=Q(delivery__in=[Delivery.HANDED_OUT, Delivery.SENT])),
            offered=Count("id", filter=Q(has_offer=True)),
            accepted=Count("id", filter=Q(has_accept=True)),
            took_part=Count("id", filter=Q(has_part=True)),
        )
        .order_by("branch__name")
    )
    keys = [k for k, _label in STAGES]
    result, total = [], dict.fromkeys(keys, 0)
    for row in rows:
        counts = {k: row[k] for k in keys}
        for k in keys:
            total[k] += counts[k]
        result.append(FunnelRow(label=row["branch__name"] or str(_("No branch")), counts=counts))
    result.append(FunnelRow(label=str(_("All branches")), counts=total))
    return result
