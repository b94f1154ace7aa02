"""How a match's factors and an unmatched family's reason read to a coordinator.

Proposals store numbers and codes (MatchProposal.factors, .reason); the words are chosen here
when a page is shown, in the language of the person looking.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from samspil.engagements.matching.costs import MISSED_CHILD_AGE, MISSED_GENDER, SKILLS
from samspil.households.models import Language, NeedLevel
from samspil.volunteers.models import Skill


def skill_labels(mask: int) -> list[str]:
    return [str(Skill(value).label) for i, value in enumerate(SKILLS) if mask >> i & 1]


def reason_text(code: str, factors: dict | None = None) -> str:
    """Why an engagement stays unmatched in a plan."""
    factors = factors or {}
    if code == "taken":
        count = factors.get("allowed", 0)
        return ngettext(
            "The only volunteer the rules allow is taken by another match in this plan.",
            "All %(count)s volunteers the rules allow are taken by other matches in this plan.",
            count,
        ) % {"count": count}
    if code == "removed":
        return _("Taken out of the plan by a coordinator.")
    if code == "no_active":
        return _("There is no active volunteer to plan with.")
    if code == "no_role":
        return _("No active volunteer takes this role.")
    if code == "no_capacity":
        return _("Every active volunteer who takes this role is at full capacity.")
    if code == "no_certificate":
        return _("The household has a child under %(age)s, and no volunteer with a free place "
                 "in this role has a valid child-safety certificate.") % {
            "age": settings.CHILD_CERTIFICATE_AGE_LIMIT}
    if code == "preferences":
        return _("The volunteers who could take it have made gender or children's age a "
                 "must, and this family does not fit.")
    return code


@dataclass
class Factors:
    """One pair's factors (costs.factors) with the words to show them."""

    data: dict

    def __getattr__(self, name: str):
        # The stored numbers (distance, language, skills, availability, preferences, total):
        # attributes, not items, so that templates find the properties below.
        if name.startswith("_") or name == "data":
            raise AttributeError(name)
        try:
            return self.data[name]
        except KeyError:
            raise AttributeError(name) from None

    @property
    def km(self) -> float:
        return self.data.get("km", 0.0)

    @property
    def language_text(self) -> str:
        code = self.data.get("language_code")
        if not code:
            return "—"
        name = Language(code).label
        if self.data.get("spoken"):
            return _("Speaks %(language)s") % {"language": name}
        return _("Does not speak %(language)s") % {"language": name}

    @property
    def covered(self) -> list[str]:
        return skill_labels(self.data.get("covered", 0))

    @property
    def missing(self) -> list[str]:
        return skill_labels(self.data.get("missing", 0))

    @property
    def hours(self) -> float:
        return self.data.get("hours", 0.0)

    @property
    def missed_wishes(self) -> list[str]:
        missed = self.data.get("missed", 0)
        wishes = []
        if missed & MISSED_GENDER:
            wishes.append(_("prefers a parent of another gender"))
        if missed & MISSED_CHILD_AGE:
            wishes.append(_("prefers children of another age"))
        return wishes


def needs_list(levels, needed_mask: int) -> list[tuple[str, str, int]]:
    """(skill, level label, level) for each skill the family needs, the greatest need first."""
    rows = [(str(Skill(value).label), str(NeedLevel(int(levels[i])).label), int(levels[i]))
            for i, value in enumerate(SKILLS) if needed_mask >> i & 1]
    return sorted(rows, key=lambda r: -r[2])
