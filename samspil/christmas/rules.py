"""A round's rules applied to one application: eligibility with reasons, priority points.

Pure functions of the round and the applicant's answers, so the public form, the services and
the tests share one version of each rule.
"""

from __future__ import annotations

import datetime

from django.utils.translation import gettext_lazy as _

from samspil.christmas.models import IncomeCategory, Round

ADULT_AGE = 18

REASONS = {
    "no_children": _("No children under 18 living at home."),
    "income": _("The income situation is not among those the round helps."),
    "municipality": _("The address is outside the municipalities the round covers."),
}


def children_under_18(birth_years: list[int], *, year: int) -> list[int]:
    """Birth years of children who are under 18 at some time in the round's year."""
    return [y for y in birth_years if 0 <= year - y < ADULT_AGE]


def round_municipality_codes(round: Round) -> set[str]:
    codes = {m.code for m in round.municipalities.all()}
    if not codes:
        codes = set(round.organisation.branches.values_list("municipality_id", flat=True))
    return codes


def ineligible_reasons(
    round: Round, *, birth_years: list[int], income: str, municipality_code: str,
    area: set[str] | None = None,
) -> list[str]:
    """The codes of every rule the application does not meet (empty: eligible)."""
    reasons = []
    if round.require_children and not children_under_18(birth_years, year=round.year):
        reasons.append("no_children")
    if round.income_categories and income not in round.income_categories:
        reasons.append("income")
    area = round_municipality_codes(round) if area is None else area
    if municipality_code not in area:
        reasons.append("municipality")
    return reasons


def reason_texts(codes: list[str]) -> list[str]:
    return [str(REASONS.get(code, code)) for code in codes]


def priority_points(
    round: Round, *, single_provider: bool, children: int, aid_last_year: bool
) -> int:
    points = round.weight_per_child * children
    if single_provider:
        points += round.weight_single_provider
    if not aid_last_year:
        points += round.weight_no_aid_last_year
    return min(points, 32767)


def income_label(value: str) -> str:
    try:
        return str(IncomeCategory(value).label)
    except ValueError:
        return value


def age_on(birth: datetime.date, day: datetime.date) -> int:
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))
