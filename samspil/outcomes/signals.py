"""Stored figures go stale when the data they are computed from change: engagements,
households (branch, municipality), members, questionnaires, Christmas-aid decisions and
activity attendance. After the change is committed the organisation's snapshots are marked
stale and one background refresh each is queued (services.figures_mark_stale)."""

from __future__ import annotations

from django.apps import apps
from django.db import transaction
from django.db.models.signals import post_delete, post_save


def _organisation_of(sender, instance) -> int | None:
    label = sender._meta.label
    if label in ("engagements.Engagement", "households.Household", "activities.Network"):
        return getattr(instance, "organisation_id", None)
    if label == "households.Person":
        from samspil.households.models import Household

        return (Household.objects.filter(pk=instance.household_id)
                .values_list("organisation_id", flat=True).first())
    if label == "outcomes.Questionnaire":
        from samspil.engagements.models import Engagement

        return (Engagement.objects.filter(pk=instance.engagement_id)
                .values_list("organisation_id", flat=True).first())
    if label == "activities.Attendance":
        from samspil.activities.models import Session

        return (Session.objects.filter(pk=instance.session_id)
                .values_list("activity__organisation_id", flat=True).first())
    if label == "christmas.Application":
        from samspil.christmas.models import Round

        return (Round.objects.filter(pk=instance.round_id)
                .values_list("organisation_id", flat=True).first())
    return None


def _changed(sender, instance, **kwargs):
    if (kwargs.get("created") and sender._meta.label == "christmas.Application"
            and getattr(instance, "household_id", None) is None):
        # A new public application counts for no KPI until it is granted (a later save), so
        # the public form's post does no work for the stored figures.
        return

    def later():
        from samspil.outcomes import services

        organisation_id = _organisation_of(sender, instance)
        if organisation_id is not None:
            services.figures_mark_stale(organisation_id=organisation_id)

    transaction.on_commit(later)


WATCHED = ["engagements.Engagement", "households.Household", "households.Person",
           "outcomes.Questionnaire", "christmas.Application", "activities.Attendance",
           "activities.Network"]


def connect() -> None:
    for label in WATCHED:
        app_label, name = label.split(".")
        if not apps.is_installed(f"samspil.{app_label}"):
            continue
        model = apps.get_model(app_label, name)
        uid = f"outcomes-stale-{label}"
        post_save.connect(_changed, sender=model, weak=False, dispatch_uid=uid + "-save")
        post_delete.connect(_changed, sender=model, weak=False, dispatch_uid=uid + "-delete")
