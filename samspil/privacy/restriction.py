"""Restriction of processing, enforced where every write passes: the model's save and delete.

A household under restriction (privacy.models.Restriction) may be read, exported and erased,
never changed: saving or deleting any row that belongs to it (its members, consents, needs,
engagements and their meetings, sign-ups, referrals, plans, questionnaires, Christmas-aid
applications) raises HouseholdRestricted, a ValidationError, so services' callers show it on
the form; RestrictionMiddleware turns one that no view caught into a message on the page
instead of a 500. Writes with QuerySet.update() do not pass through save and are not caught.
"""

from __future__ import annotations

import contextlib
import contextvars
from collections import deque

from django.apps import apps
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.signals import pre_delete, pre_save
from django.shortcuts import redirect
from django.utils.translation import gettext_lazy as _

APPS = ("households", "engagements", "activities", "partners", "outcomes", "christmas")
MESSAGE = _("This household's data are restricted from processing (GDPR article 18). Nothing "
            "was changed. An organisation administrator can lift the restriction on the "
            "household's privacy page.")

_bypass = contextvars.ContextVar("privacy_restriction_bypass", default=False)
# model -> list of field names leading to the household ([] for Household itself)
_paths: dict[type[models.Model], list[str]] = {}


class HouseholdRestricted(ValidationError):
    def __init__(self):
        super().__init__(MESSAGE, code="restricted")


@contextlib.contextmanager
def bypass():
    """For the privacy services themselves (erasure changes a restricted household)."""
    token = _bypass.set(True)
    try:
        yield
    finally:
        _bypass.reset(token)


def _path_to_household(model) -> list[str] | None:
    household = apps.get_model("households", "Household")
    if model is household:
        return []
    queue = deque([(model, [])])
    seen = {model}
    while queue:
        current, path = queue.popleft()
        if len(path) >= 3:
            continue
        for field in current._meta.get_fields():
            if not (field.is_relation and field.many_to_one and field.concrete):
                continue
            target = field.related_model
            if target is household:
                return [*path, field.name]
            if target._meta.app_label in APPS and target not in seen:
                seen.add(target)
                queue.append((target, [*path, field.name]))
    return None


def household_id_of(instance) -> int | None:
    path = _paths.get(type(instance))
    if path is None:
        return None
    if not path:
        return instance.pk
    first = instance._meta.get_field(path[0])
    value = getattr(instance, first.attname)
    if value is None or len(path) == 1:
        return value
    lookup = "__".join(path[1:]) + "_id"
    return first.related_model.objects.filter(pk=value).values_list(lookup, flat=True).first()


def is_restricted(household_id: int | None) -> bool:
    if household_id is None:
        return False
    from samspil.privacy.models import Restriction

    return Restriction.objects.filter(household_id=household_id).exists()


def restricted_instance(instance) -> bool:
    """Whether the row belongs to a restricted household: one query, whatever the path."""
    from samspil.privacy.models import Restriction

    path = _paths.get(type(instance))
    if path is None:
        return False
    if not path:
        return instance.pk is not None and Restriction.objects.filter(
            household_id=instance.pk).exists()
    first = instance._meta.get_field(path[0])
    value = getattr(instance, first.attname)
    if value is None:
        return False
    if len(path) == 1:
        return Restriction.objects.filter(household_id=value).exists()
    lookup = "__".join(path[1:]) + "__restriction__isnull"
    return first.related_model._base_manager.filter(pk=value, **{lookup: False}).exists()


def _guard(sender, instance, **kwargs):
    if _bypass.get() or kwargs.get("raw"):
        return
    if restricted_instance(instance):
        raise HouseholdRestricted()


def connect() -> None:
    for label in APPS:
        for model in apps.get_app_config(label).get_models():
            path = _path_to_household(model)
            if path is not None:
                _paths[model] = path
                pre_save.connect(_guard, sender=model, dispatch_uid=f"restrict-save-{model}")
                pre_delete.connect(_guard, sender=model, dispatch_uid=f"restrict-del-{model}")


class RestrictionMiddleware:
    """A write refused because of a restriction, that no view caught: a message, not a 500."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, HouseholdRestricted):
            return None
        messages.error(request, MESSAGE)
        return redirect(request.get_full_path())
