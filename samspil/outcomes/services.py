"""Writes for outcomes: schedule questionnaires, answer them (also through a family's
personal link), set targets, and request evaluator exports. Atomic, validated, audited."""

from __future__ import annotations

import datetime
import hashlib
import secrets

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from samspil.core.models import AuditEvent, User
from samspil.core.services import audit_record
from samspil.engagements.models import Engagement
from samspil.households.models import MemberRole, Person
from samspil.outcomes import instruments
from samspil.outcomes.models import (
    AnswerLink,
    Export,
    FigureSnapshot,
    Instrument,
    Programme,
    Questionnaire,
    Target,
)
from samspil.outcomes.schedule import SCHEDULE, point_date

Action = AuditEvent.Action
LINK_DAYS = 14


def current_instruments() -> dict[str, Instrument]:
    return {i.code: i for i in Instrument.objects.filter(is_current=True)}


def questionnaires_schedule(*, organisation_id: int, today: datetime.date | None = None) -> int:
    """Create the questionnaires whose measurement point's date is known (schedule.py), for
    every started engagement of the organisation; existing ones are left alone. Returns the
    number created. Safe to run again (the management command runs it daily)."""
    by_code = current_instruments()
    engagements = (Engagement.objects.filter(organisation_id=organisation_id,
                                             started_on__isnull=False,
                                             type__in=list(SCHEDULE))
                   .order_by().values_list("id", "type", "household_id", "parent_id",
                                           "started_on", "ended_on"))
    engagements = list(engagements)
    members: dict[int, list[tuple[int, str]]] = {}
    for pk, household_id, role in (Person.objects.filter(
            household_id__in={e[2] for e in engagements}).order_by()
            .values_list("id", "household_id", "role")):
        members.setdefault(household_id, []).append((pk, role))
    existing = set(Questionnaire.objects.filter(engagement__organisation_id=organisation_id)
                   .values_list("engagement_id", "person_id", "instrument__code", "point"))
    new = []
    for pk, type_, household_id, parent_id, started_on, ended_on in engagements:
        for point, codes in SCHEDULE[type_].items():
            due = point_date(point, started_on=started_on, ended_on=ended_on)
            if due is None:
                continue
            for code in codes:
                instrument = by_code[code]
                if instrument.subject == MemberRole.CHILD:
                    subjects = [p for p, role in members.get(household_id, [])
                                if role == MemberRole.CHILD]
                elif parent_id:
                    subjects = [parent_id]
                else:
                    subjects = [p for p, role in members.get(household_id, [])
                                if role == MemberRole.PARENT]
                for person_id in subjects:
                    if (pk, person_id, code, point) not in existing:
                        new.append(Questionnaire(engagement_id=pk, person_id=person_id,
                                                 instrument=instrument, point=point, due_on=due))
    Questionnaire.objects.bulk_create(new, batch_size=2000, ignore_conflicts=True)
    return len(new)


def _translated_error(error: instruments.AnswerError) -> ValidationError:
    return ValidationError({error.item: _(error.message)})


@transaction.atomic
def questionnaire_answer(*, actor: User | None, questionnaire: Questionnaire, answers: dict,
                         by_family: bool = False) -> Questionnaire:
    """Save the answers once. A second answer, or an answer that does not fit the instrument,
    is refused and nothing is saved."""
    locked = Questionnaire.objects.select_for_update().select_related("instrument").get(
        pk=questionnaire.pk)
    if locked.answered_at is not None:
        raise ValidationError(_("This questionnaire has already been answered."))
    try:
        clean = instruments.validate_answers(locked.instrument.items, answers)
    except instruments.AnswerError as error:
        raise _translated_error(error) from None
    locked.answers = clean
    locked.score = instruments.score(locked.instrument.code, clean)
    locked.answered_at = timezone.now()
    locked.answered_on = timezone.localdate(locked.answered_at)
    locked.answered_by = actor if actor and actor.is_authenticated else None
    locked.by_family = by_family
    locked.full_clean()
    locked.save(update_fields=["answers", "score", "answered_at", "answered_on", "answered_by",
                               "by_family"])
    household_id = locked.engagement.household_id
    audit_record(actor=actor, action=Action.CREATE, object_type="outcomes.questionnaire",
                 object_id=locked.pk, household_id=household_id,
                 object_label=locked.instrument.name,
                 summary="answered through the family's link" if by_family else "")
    return locked


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def answer_link_create(*, actor: User, questionnaire: Questionnaire,
                       days: int = LINK_DAYS) -> str:
    """A new personal link for the family; returns the token, which is shown once and stored
    only as a hash. Earlier unused links for the questionnaire stop working."""
    if questionnaire.answered_at is not None:
        raise ValidationError(_("This questionnaire has already been answered."))
    now = timezone.now()
    AnswerLink.objects.filter(questionnaire=questionnaire, used_at__isnull=True).update(
        expires_at=now)
    token = secrets.token_urlsafe(24)
    AnswerLink.objects.create(questionnaire=questionnaire, token_hash=_hash(token),
                              created_by=actor, expires_at=now + datetime.timedelta(days=days))
    audit_record(actor=actor, action=Action.CREATE, object_type="outcomes.questionnaire",
                 object_id=questionnaire.pk, household_id=questionnaire.engagement.household_id,
                 object_label=questionnaire.instrument.name, summary="personal link made")
    return token


class LinkRefused(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def answer_link_get(*, token: str) -> AnswerLink:
    """The link if it may still be used; LinkRefused with the reason otherwise."""
    link = (AnswerLink.objects.select_related("questionnaire__instrument",
                                              "questionnaire__engagement")
            .filter(token_hash=_hash(token)).first())
    if link is None:
        raise LinkRefused(_("This link is not valid. Ask your contact person for a new one."))
    if link.used_at is not None or link.questionnaire.answered_at is not None:
        raise LinkRefused(_("This link has already been used. Thank you for your answers."))
    if link.expires_at <= timezone.now():
        raise LinkRefused(_("This link has expired. Ask your contact person for a new one."))
    return link


@transaction.atomic
def answer_link_answer(*, token: str, answers: dict) -> Questionnaire:
    link = answer_link_get(token=token)
    link = AnswerLink.objects.select_for_update().get(pk=link.pk)
    if link.used_at is not None:
        raise LinkRefused(_("This link has already been used. Thank you for your answers."))
    questionnaire = questionnaire_answer(actor=None, questionnaire=link.questionnaire,
                                         answers=answers, by_family=True)
    link.used_at = timezone.now()
    link.save(update_fields=["used_at"])
    return questionnaire


@transaction.atomic
def target_set(*, actor: User, programme: Programme, kpi: str, value, baseline=None) -> Target:
    """Set (or change) a programme's target for one figure."""
    target = Target.objects.filter(programme=programme, kpi=kpi).first() or Target(
        programme=programme, kpi=kpi)
    target.value, target.baseline = value, baseline
    target.full_clean()
    target.save()
    audit_record(actor=actor, action=Action.CHANGE, object_type="outcomes.target",
                 object_id=target.pk, object_label=str(target.get_kpi_display()),
                 fields=["value", "baseline"])
    return target


@transaction.atomic
def programme_update(*, actor: User, programme: Programme, values: dict) -> Programme:
    for name, value in values.items():
        setattr(programme, name, value)
    programme.full_clean()
    programme.save(update_fields=list(values))
    audit_record(actor=actor, action=Action.CHANGE, object_type="outcomes.programme",
                 object_id=programme.pk, object_label=programme.name, fields=list(values))
    return programme


@transaction.atomic
def export_request(*, actor: User, programme: Programme) -> Export:
    export = Export.objects.create(programme=programme, requested_by=actor)
    audit_record(actor=actor, action=Action.EXPORT, object_type="outcomes.export",
                 object_id=export.pk, object_label=programme.name,
                 summary="pseudonymised dataset requested", purpose="evaluation")
    return export


# --- stored figures (docs/outcomes.md, "How fast") -------------------------------------------

def figures_refresh(*, programme: Programme, on: datetime.date | None = None) -> FigureSnapshot:
    """Compute the programme's raw figures now and store them. A change made while they are
    computed marks them stale again (the flags are cleared first, the data saved last)."""
    import time

    from samspil.outcomes import figures

    on = on or timezone.localdate()
    FigureSnapshot.objects.filter(programme=programme).update(stale=False, refresh_queued=False)
    started = time.monotonic()
    raw = figures.raw_figures(programme, on)
    snapshot, _created = FigureSnapshot.objects.update_or_create(programme=programme, defaults={
        "on": on, "computed_at": timezone.now(), "seconds": round(time.monotonic() - started, 3),
        "settings_key": figures.settings_key(programme), "data": raw})
    return snapshot


def figures_refresh_request(*, programme_id: int, force: bool = False) -> bool:
    """Queue a background refresh of the stored figures (outcomes.tasks.refresh_figures),
    unless one is queued already (force: queue one anyway). True when one was queued."""
    from samspil.outcomes import tasks

    queued = FigureSnapshot.objects.filter(programme_id=programme_id)
    if not force:
        queued = queued.filter(refresh_queued=False)
    if not queued.update(refresh_queued=True) and not force:
        return False
    tasks.refresh_figures.enqueue(programme_id=programme_id)
    return True


def figures_mark_stale(*, organisation_id: int) -> None:
    """Data of the organisation changed: its programmes' stored figures are stale; queue one
    refresh each (called after the change is committed, outcomes.signals)."""
    snapshots = FigureSnapshot.objects.filter(programme__organisation_id=organisation_id)
    waiting = list(snapshots.filter(refresh_queued=False).values_list("programme_id", flat=True))
    snapshots.update(stale=True)
    for programme_id in waiting:
        figures_refresh_request(programme_id=programme_id)


def figures_current(*, programme: Programme, on: datetime.date) -> FigureSnapshot:
    """The stored figures to show on the day. None stored yet, or stored under other programme
    settings: computed now (once). Stale or of an earlier day: shown as they are, with a
    refresh queued."""
    from samspil.outcomes import figures

    snapshot = FigureSnapshot.objects.filter(programme=programme).first()
    if snapshot is None or snapshot.settings_key != figures.settings_key(programme):
        return figures_refresh(programme=programme, on=on)
    if (snapshot.stale or snapshot.on != on) and not snapshot.refresh_queued:
        figures_refresh_request(programme_id=programme.pk)
    return snapshot
