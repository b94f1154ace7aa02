"""Labels for the lists of choice values a volunteer keeps in JSON (roles, skills, languages)."""

from django import template

from samspil.households.models import Language
from samspil.volunteers.models import Skill, VolunteerRole

register = template.Library()

CHOICES = {"role": VolunteerRole, "skill": Skill, "language": Language}


@register.filter
def labels(values, kind: str) -> str:
    """["homework", "danish"]|labels:"skill" -> "Homework help, Danish language"."""
    names = dict(CHOICES[kind].choices)
    return ", ".join(str(names.get(value, value)) for value in values or ())
