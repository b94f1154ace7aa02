"""Everything Samspil holds on one household, found by following the relations to it.

Used by the access export (what is there) and the erasure (what to wipe): both see the same
rows, so nothing can be exported but forgotten at erasure, or the other way round.
"""

from __future__ import annotations

from collections import defaultdict

from django.contrib.admin.utils import NestedObjects
from django.db import router

from samspil.households.models import Household


def related_rows(household: Household) -> dict[type, list]:
    """model -> rows that belong to the household: everything deleting it would take along,
    plus its Christmas-aid applications (kept on deletion, SET_NULL) and what hangs on them."""
    using = router.db_for_write(Household)
    collector = NestedObjects(using=using)
    collector.collect([household])
    applications = list(household.christmas_applications.all())
    if applications:
        collector.collect(applications)
    rows: dict[type, list] = defaultdict(list)
    seen = set()
    for obj in _flatten(collector.nested()):
        key = (type(obj), obj.pk)
        if key not in seen:
            seen.add(key)
            rows[type(obj)].append(obj)
    return rows


def _flatten(items):
    for item in items:
        if isinstance(item, list):
            yield from _flatten(item)
        else:
            yield item
