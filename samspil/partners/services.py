"""Writes for partners, referrals and the shared plan. Each function is one transaction with
its audit rows; every referral move goes through referral_transition."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from samspil.core.models import AuditEvent, User
from samspil.core.services import audit_record
from samspil.engagements import services as engagement_services
from samspil.households.models import Household, MemberRole, Person
from samspil.partners.models import (
    ENGAGEMENT_HELP,
    HELP_IN,
    HELP_OUT,
    MENTOR_HELP,
    REFERRAL_TRANSITIONS,
    ActionStatus,
    Agreement,
    ContactPerson,
    Direction,
    FamilyPlan,
    OwnerKind,
    Partner,
    PlanAction,
    PlanChange,
    PlanGoal,
    PlanReview,
    Referral,
    ReferralChange,
    ReferralStatus,
    SharedField,
)
from samspil.partners.selectors import active_municipality_consent, plan_people

Action = AuditEvent.Action
Status = ReferralStatus

PARTNER_FIELDS = ("kind", "name", "municipality", "linked_organisation", "address", "email",
                  "phone", "note", "active")


def _today() -> datetime.date:
    return timezone.localdate()


def _not_future(name: str, value: datetime.date | None) -> None:
    if value and value > _today():
        raise ValidationError({name: _("The date cannot be in the future.")})


# --- partners --------------------------------------------------------------------------------

def _check_partner_values(organisation_id: int, values: dict) -> None:
    kind = values.get("kind")
    linked = values.get("linked_organisation")
    municipality = values.get("municipality")
    municipality_id = municipality.pk if municipality else values.get("municipality_id")
    if kind in ("job_centre", "family_department") and not municipality_id:
        raise ValidationError({"municipality": _(
            "Choose the municipality of the job centre or family department.")})
    if linked is not None:
        if kind not in ("job_centre", "family_department"):
            raise ValidationError({"linked_organisation": _(
                "Only a job centre or a family department can be linked to a municipality's "
                "organisation.")})
        if linked.kind != "municipality" or linked.municipality_id != municipality_id:
            raise ValidationError({"linked_organisation": _(
                "Choose the organisation of the same municipality.")})
        if linked.pk == organisation_id:
            raise ValidationError({"linked_organisation": _(
                "A municipality's own departments need no link: its caseworkers already "
                "belong to it.")})


@transaction.atomic
def partner_create(*, actor: User, values: dict) -> Partner:
    _check_partner_values(actor.organisation_id, values)
    partner = Partner(organisation_id=actor.organisation_id, **values)
    partner.full_clean()
    partner.save()
    audit_record(actor=actor, action=Action.CREATE, object_type="partners.partner",
                 object_id=partner.pk, object_label=partner.name)
    return partner


@transaction.atomic
def partner_update(*, actor: User, partner: Partner, values: dict) -> Partner:
    _check_partner_values(partner.organisation_id, values)
    changed = [n for n in PARTNER_FIELDS if n in values and getattr(partner, n) != values[n]]
    if not changed:
        return partner
    for name in changed:
        setattr(partner, name, values[name])
    partner.full_clean()
    partner.save(update_fields=changed)
    audit_record(actor=actor, action=Action.CHANGE, object_type="partners.partner",
                 object_id=partner.pk, object_label=partner.name, fields=changed)
    return partner


@transaction.atomic
def contact_add(*, actor: User, partner: Partner, name: str, title: str = "", email: str = "",
                phone: str = "") -> ContactPerson:
    contact = ContactPerson(partner=partner, name=name.strip(), title=title.strip(),
                            email=email, phone=phone)
    contact.full_clean()
    contact.save()
    audit_record(actor=actor, action=Action.CREATE, object_type="partners.contactperson",
                 object_id=contact.pk, object_label=partner.name)
    return contact


@transaction.atomic
def agreement_add(*, actor: User, partner: Partner, title: str, starts_on: datetime.date,
                  ends_on: datetime.date | None = None, note: str = "") -> Agreement:
    if ends_on and ends_on < starts_on:
        raise ValidationError({"ends_on": _("The agreement cannot end before it starts.")})
    agreement = Agreement(partner=partner, title=title.strip(), starts_on=starts_on,
                          ends_on=ends_on, note=note.strip())
    agreement.full_clean()
    agreement.save()
    audit_record(actor=actor, action=Action.CREATE, object_type="partners.agreement",
                 object_id=agreement.pk, object_label=partner.name)
    return agreement


# --- referrals -------------------------------------------------------------------------------

def _audit_referral(actor: User, referral: Referral, action: str, fields=()) -> None:
    audit_record(
        actor=actor, action=action, object_type="partners.referral", object_id=referral.pk,
        household_id=referral.household_id, object_label=referral.partner.name,
        fields=list(fields), purpose=str(referral.get_direction_display())[:100],
    )


@transaction.atomic
def referral_create(
    *, actor: User, household: Household, partner: Partner, direction: str, help_kind: str,
    consent_given_by: str, consent_given_on: datetime.date, shared_fields: list[str],
    sent_on: datetime.date | None = None, parent: Person | None = None,
    contact: ContactPerson | None = None, message: str = "",
) -> Referral:
    """Register a referral in (from a partner, status received) or send one out (to a
    partner, status sent). The family's consent to the exchange is checked now: without it,
    nothing is saved."""
    sent_on = sent_on or _today()
    if partner.organisation_id != household.organisation_id:
        raise ValidationError({"partner": ValidationError(
            _("Choose one of your organisation's partners."), code="foreign_partner")})
    if not partner.active:
        raise ValidationError({"partner": _("This partner is no longer active.")})
    if contact is not None and contact.partner_id != partner.pk:
        raise ValidationError({"contact": _("Choose a contact person of this partner.")})
    allowed = HELP_IN if direction == Direction.IN else HELP_OUT
    if help_kind not in allowed:
        raise ValidationError({"help_kind": _("Choose what help the referral is for.")})
    if help_kind in MENTOR_HELP and (
            parent is None or parent.household_id != household.pk
            or parent.role != MemberRole.PARENT):
        raise ValidationError({"parent": _("Choose the parent the mentor will work with.")})
    if parent is not None and parent.household_id != household.pk:
        raise ValidationError({"parent": _("Choose a parent of this household.")})
    _not_future("sent_on", sent_on)
    if not consent_given_by.strip():
        raise ValidationError({"consent_given_by": ValidationError(_(
            "Write who in the family agreed to the exchange."), code="no_consent")})
    if consent_given_on > sent_on:
        raise ValidationError({"consent_given_on": ValidationError(_(
            "The family's consent must be given before the referral is sent."),
            code="no_consent")})
    unknown = set(shared_fields) - set(SharedField.values)
    if unknown or not shared_fields:
        raise ValidationError({"shared_fields": _("Choose exactly what is shared.")})
    municipality_consent = None
    if partner.is_municipal:
        # Checked here, at the moment of sending, inside the transaction that saves it.
        municipality_consent = active_municipality_consent(household.pk).first()
        if municipality_consent is None:
            raise ValidationError(_(
                "The family has not given (or has withdrawn) consent to share with the "
                "municipality. Record the consent on the household's consent page first."),
                code="no_consent")
    status = Status.RECEIVED if direction == Direction.IN else Status.SENT
    referral = Referral(
        organisation_id=household.organisation_id, branch_id=household.branch_id,
        household=household, parent=parent, partner=partner, contact=contact,
        direction=direction, help_kind=help_kind, status=status,
        consent_given_by=consent_given_by.strip(), consent_given_on=consent_given_on,
        municipality_consent=municipality_consent,
        shared_fields=[f for f in SharedField.values if f in shared_fields],
        message=message.strip(), sent_on=sent_on,
        received_on=sent_on if direction == Direction.IN else None, created_by=actor,
    )
    referral.full_clean()
    referral.save()
    ReferralChange.objects.create(referral=referral, from_status="", to_status=status,
                                  on=sent_on, by=actor)
    _audit_referral(actor, referral, Action.CREATE, referral.shared_fields)
    return referral


@transaction.atomic
def referral_transition(
    *, actor: User, referral: Referral, to_status: str, on: datetime.date | None = None,
    reason: str = "", outcome: str = "", note: str = "",
) -> Referral:
    """Move a referral, if REFERRAL_TRANSITIONS allows it; dated, with a history row, audited.

    Accepting a referral in for a family friend or a mentor starts the engagement through
    engagements.services.engagement_refer (its rules apply), in the same transaction.
    """
    referral = Referral.objects.select_for_update().select_related("partner").get(
        pk=referral.pk)
    on = on or _today()
    current = referral.status
    if to_status not in REFERRAL_TRANSITIONS[current]:
        raise ValidationError(
            _("A referral cannot go from %(from)s to %(to)s.")
            % {"from": Status(current).label, "to": Status(to_status).label},
            code="illegal_transition",
        )
    _not_future("on", on)
    last = referral.history.order_by("-on").values_list("on", flat=True).first()
    last = max(filter(None, [last, referral.sent_on]))
    if on < last:
        raise ValidationError({"on": _(
            "The date cannot be before the referral's previous step (%(date)s)."
        ) % {"date": date_format(last, "SHORT_DATE_FORMAT")}})
    changed = ["status"]
    if to_status == Status.RECEIVED:
        referral.received_on = on
        changed.append("received_on")
    elif to_status == Status.DECLINED:
        if not reason.strip():
            raise ValidationError({"reason": _("Write why the referral is declined.")})
        referral.decided_on, referral.decline_reason = on, reason.strip()
        changed += ["decided_on", "decline_reason"]
    elif to_status == Status.ACCEPTED:
        referral.decided_on = on
        changed.append("decided_on")
        if referral.direction == Direction.IN and referral.help_kind in ENGAGEMENT_HELP:
            household = referral.household
            job_centre = referral.partner.name if referral.partner.kind == "job_centre" else ""
            referral.engagement = engagement_services.engagement_refer(
                actor=actor, household=household, type=referral.help_kind,
                parent=referral.parent, referred_on=referral.sent_on,
                job_centre=job_centre if referral.help_kind != "family_friend" else "",
                note=_("From the referral of %(partner)s.") % {"partner": referral.partner},
            )
            changed.append("engagement")
    elif to_status == Status.COMPLETED:
        if not outcome.strip():
            raise ValidationError({"outcome": _("Write the outcome of the referral.")})
        referral.completed_on, referral.outcome = on, outcome.strip()
        changed += ["completed_on", "outcome"]
    referral.status = to_status
    referral.full_clean()
    referral.save(update_fields=changed)
    ReferralChange.objects.create(referral=referral, from_status=current, to_status=to_status,
                                  on=on, by=actor, note=note.strip()[:500])
    _audit_referral(actor, referral, Action.CHANGE, changed)
    return referral


# --- the shared family plan ------------------------------------------------------------------

def _plan(actor: User, household: Household) -> FamilyPlan:
    plan = FamilyPlan.objects.select_for_update().filter(household=household).first()
    if plan is None:
        plan = FamilyPlan.objects.create(household=household,
                                         organisation_id=household.organisation_id,
                                         created_by=actor)
        audit_record(actor=actor, action=Action.CREATE, object_type="partners.familyplan",
                     object_id=plan.pk, household_id=household.pk)
    return plan


def _change(plan: FamilyPlan, actor: User, kind: str, summary: str, obj, action: str,
            fields=()) -> None:
    PlanChange.objects.create(plan=plan, kind=kind, summary=summary[:300], by=actor)
    audit_record(actor=actor, action=action, object_type=obj._meta.label_lower,
                 object_id=obj.pk, household_id=plan.household_id,
                 object_label=str(PlanChange.Kind(kind).label), fields=list(fields))
    plan.save(update_fields=["updated_at"])


@transaction.atomic
def plan_goal_add(*, actor: User, household: Household, area: str, text: str) -> PlanGoal:
    plan = _plan(actor, household)
    goal = PlanGoal(plan=plan, area=area, text=text.strip())
    goal.full_clean()
    goal.save()
    _change(plan, actor, PlanChange.Kind.GOAL_ADDED, goal.text, goal, Action.CREATE)
    return goal


def resolve_owner(*, household: Household, key: str) -> dict:
    """The owner fields for an owner key from the form, if that person is in the plan."""
    owners = {o.key: o for o in plan_people(household=household)}
    owner = owners.get(key)
    if owner is None:
        raise ValidationError({"owner": ValidationError(_(
            "Choose an owner among the people in the plan: the family, its caseworkers, its "
            "volunteer or the branch's coordinator."), code="owner_outside_plan")})
    prefix, pk = key.split(":")
    field = {"member": "owner_member_id", "user": "owner_user_id",
             "volunteer": "owner_volunteer_id"}[prefix]
    return {"owner_kind": owner.kind, field: int(pk)}


@transaction.atomic
def plan_action_add(*, actor: User, household: Household, goal: PlanGoal, text: str,
                    owner: str, due_on: datetime.date) -> PlanAction:
    plan = _plan(actor, household)
    if goal.plan_id != plan.pk:
        raise ValidationError({"goal": _("Choose one of the plan's goals.")})
    action = PlanAction(plan=plan, goal=goal, text=text.strip(), due_on=due_on,
                        **resolve_owner(household=household, key=owner))
    action.full_clean()
    action.save()
    _change(plan, actor, PlanChange.Kind.ACTION_ADDED,
            f"{action.text} ({OwnerKind(action.owner_kind).label})", action, Action.CREATE)
    return action


@transaction.atomic
def plan_action_update(*, actor: User, action: PlanAction, status: str) -> PlanAction:
    if status not in ActionStatus.values:
        raise ValidationError({"status": _("Choose a status from the list.")})
    if action.status == status:
        return action
    action.status = status
    action.full_clean()
    action.save(update_fields=["status"])
    _change(action.plan, actor, PlanChange.Kind.ACTION_STATUS,
            f"{action.text}: {ActionStatus(status).label}", action, Action.CHANGE, ["status"])
    return action


@transaction.atomic
def plan_review_record(*, actor: User, household: Household, held_on: datetime.date,
                       participants: str, record: str,
                       next_review_on: datetime.date | None = None) -> PlanReview:
    _not_future("held_on", held_on)
    if next_review_on and next_review_on <= held_on:
        raise ValidationError({"next_review_on": _(
            "The next review must be after this one.")})
    plan = _plan(actor, household)
    review = PlanReview(plan=plan, held_on=held_on, participants=participants.strip(),
                        record=record.strip(), next_review_on=next_review_on,
                        recorded_by=actor)
    review.full_clean()
    review.save()
    if next_review_on:
        plan.next_review_on = next_review_on
        plan.save(update_fields=["next_review_on"])
    _change(plan, actor, PlanChange.Kind.REVIEW, date_format(held_on, "SHORT_DATE_FORMAT"),
            review, Action.CREATE)
    return review
