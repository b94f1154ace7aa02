"""Writes for Christmas aid. Each function is one transaction with its audit rows.

The budget rule lives in one place (_grant): the round's row is locked with SELECT ... FOR
UPDATE, the granted total is summed inside the same transaction, and a grant that would pass
the budget is refused, so two coordinators granting at once can never overspend.
"""

from __future__ import annotations

import datetime
import hashlib
import hmac
import re
import uuid
import weakref
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connections, transaction
from django.db.models import Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from samspil.christmas import rules
from samspil.christmas.models import (
    ACTIVITY_KINDS,
    ENGAGEMENT_KINDS,
    NETWORK_KINDS,
    Application,
    ApplicationLink,
    Delivery,
    FollowUpOffer,
    LinkStatus,
    OfferResponse,
    Round,
    Status,
)
from samspil.core import rows
from samspil.core.models import AuditEvent, Branch, User
from samspil.core.services import audit_record
from samspil.households import cpr
from samspil.households import services as household_services
from samspil.households.models import ConsentPurpose, MemberRole

Action = AuditEvent.Action
ROUND_FIELDS = (
    "name", "year", "opens_at", "closes_at", "budget", "amount_per_household",
    "amount_per_child", "require_children", "income_categories", "weight_single_provider",
    "weight_per_child", "weight_no_aid_last_year", "followup_kinds",
)


def cpr_digest(number: str) -> str:
    """Keyed hash of a normalised CPR number for finding the same number within Samspil."""
    return hmac.new(settings.SECRET_KEY.encode(), f"cpr|{number}".encode(),
                    hashlib.sha256).hexdigest()


# --- rounds -------------------------------------------------------------------------------------

@transaction.atomic
def round_save(*, actor: User, round: Round | None, values: dict,
               municipalities=None) -> Round:
    """Create a round for the actor's organisation, or change one."""
    creating = round is None
    if creating:
        round = Round(organisation_id=actor.organisation_id)
    changed = [n for n in ROUND_FIELDS if n in values and getattr(round, n, None) != values[n]]
    for name in ROUND_FIELDS:
        if name in values:
            setattr(round, name, values[name])
    round.full_clean()
    round.save()
    if municipalities is not None:
        round.municipalities.set(municipalities)
    audit_record(actor=actor, action=Action.CREATE if creating else Action.CHANGE,
                 object_type="christmas.round", object_id=round.pk, object_label=round.name,
                 fields=[] if creating else changed)
    return round


@transaction.atomic
def round_set_linkage_key(*, actor: User, round: Round, key: str) -> Round:
    round.linkage_key_encrypted = cpr.encrypt(key) if key else ""
    round.save(update_fields=["linkage_key_encrypted"])
    audit_record(actor=actor, action=Action.CHANGE, object_type="christmas.round",
                 object_id=round.pk, object_label=round.name, fields=["linkage_key_encrypted"])
    return round


# --- applications -------------------------------------------------------------------------------

def branch_for(round: Round, municipality_code: str) -> Branch | None:
    """The branch that screens an application: the organisation's branch in the address's
    municipality (the oldest, if several); None means the administrators' queue."""
    return (Branch.objects.filter(organisation_id=round.organisation_id,
                                  municipality_id=municipality_code).order_by("id").first())


def had_aid_last_year(round: Round, *, first_name: str, last_name: str,
                      birth_date: datetime.date, digest: str) -> bool:
    match = Q(first_name__iexact=first_name, last_name__iexact=last_name,
              birth_date=birth_date)
    if digest:
        match |= Q(cpr_digest=digest)
    return Application.objects.filter(
        match, round__organisation_id=round.organisation_id, round__year=round.year - 1,
        status=Status.GRANTED,
    ).exists()


@dataclass(frozen=True)
class IntakeFacts:
    """What the public form's post needs to know beyond the answers (intake_facts)."""

    area: set[str]  # rules.round_municipality_codes
    branch_of: dict[str, int]  # municipality code -> the branch that screens it (branch_for)
    aid_last_year: bool  # had_aid_last_year


# The database connections (psycopg's) on which intake_facts' statement is prepared.
_PREPARED: weakref.WeakSet = weakref.WeakSet()
_INTAKE_FACTS = "samspil_intake_facts"
_NUMBERED: dict[str, tuple[str, str]] = {}  # the statement -> (its name, its $n form)
_INTAKE_FACTS_TYPES = "bigint, bigint, bigint, integer, text, text, text, date, text, text"


def intake_facts(round: Round, *, first_name: str, last_name: str,
                 birth_date: datetime.date, digest: str) -> IntakeFacts:
    """round_municipality_codes, branch_for for every municipality and had_aid_last_year in
    one statement: the public form's post is the hot path of a round's opening hour, and
    each of the three as an ORM query costs a database round trip and about a millisecond of
    query building. The same rules as those three functions (tests/test_intake.py compares
    them); names compare case-insensitively as Django's iexact does on each database.
    """
    connection = connections[Application.objects.db]
    q = connection.ops.quote_name
    chosen = q(Round.municipalities.through._meta.db_table)
    branch, app, rnd = (q(Branch._meta.db_table), q(Application._meta.db_table),
                        q(Round._meta.db_table))
    # Table names only are formatted in; every value is a parameter.
    sql = (
        f"SELECT 'm', municipality_id, 0 FROM {chosen} WHERE round_id = %s "  # noqa: S608
        f"UNION ALL SELECT 'b', municipality_id, id FROM {branch} WHERE organisation_id = %s "
        f"UNION ALL SELECT 'p', '', 0 WHERE EXISTS (SELECT 1 FROM {app} a INNER JOIN {rnd} r "
        f"ON a.round_id = r.id WHERE r.organisation_id = %s AND r.year = %s "
        f"AND a.status = %s AND ((UPPER(a.first_name) = UPPER(%s) "
        f"AND UPPER(a.last_name) = UPPER(%s) AND a.birth_date = %s) "
        f"OR (%s <> '' AND a.cpr_digest = %s)))"
    )
    params = [round.pk, round.organisation_id, round.organisation_id, round.year - 1,
              Status.GRANTED, first_name, last_name,
              connection.ops.adapt_datefield_value(birth_date), digest, digest]
    codes, own, branch_of, aid = set(), set(), {}, False
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # Planning this statement costs the database four times as much as running it:
            # prepared once per connection (a prepared statement outlives a rolled-back
            # transaction), then only executed.
            # The name carries a hash of the statement, so a server connection a pooler hands
            # on (with the statement of an older release prepared) never runs the wrong one.
            if sql not in _NUMBERED:
                n = iter(range(1, len(params) + 1))
                numbered = re.sub(r"%s", lambda _m: f"${next(n)}", sql)
                digest = hashlib.sha256(numbered.encode()).hexdigest()[:12]
                _NUMBERED[sql] = (f"{_INTAKE_FACTS}_{digest}", numbered)
            name, numbered = _NUMBERED[sql]
            raw = connection.connection
            if raw not in _PREPARED:
                cursor.execute("SELECT 1 FROM pg_prepared_statements WHERE name = %s", [name])
                if cursor.fetchone() is None:
                    cursor.execute(f"PREPARE {name} ({_INTAKE_FACTS_TYPES}) AS {numbered}")
                _PREPARED.add(raw)
            cursor.execute(f"EXECUTE {name} ({', '.join(['%s'] * len(params))})", params)
        else:
            cursor.execute(sql, params)
        for kind, code, branch_id in cursor.fetchall():
            if kind == "m":
                codes.add(code)
            elif kind == "b":
                own.add(code)
                branch_of[code] = min(branch_id, branch_of.get(code, branch_id))
            else:
                aid = True
    return IntakeFacts(area=codes or own, branch_of=branch_of, aid_last_year=aid)


def application_submit(
    *, round: Round, values: dict, cpr_number: str, token: uuid.UUID,
    now: datetime.datetime | None = None,
) -> Application:
    """Make the application from a public form's cleaned values (the form has validated them).

    Called through public_forms.create_once, inside its transaction; the eligibility check and
    the priority are computed here, once, and shown to the coordinator with their reasons.
    """
    now = now or timezone.now()
    digest = cpr_digest(cpr_number) if cpr_number else ""
    application = Application(round=round, submission_token=token, submitted_at=now, **values)
    if cpr_number:
        application.cpr_encrypted = cpr.encrypt(cpr_number)
        application.cpr_digest = digest
    application.municipality_id = application.postcode.municipality_id
    facts = intake_facts(round, first_name=application.first_name,
                         last_name=application.last_name, birth_date=application.birth_date,
                         digest=digest)
    application.branch_id = facts.branch_of.get(application.municipality_id)
    application.ineligible_reasons = rules.ineligible_reasons(
        round, birth_years=application.children_birth_years, income=application.income,
        municipality_code=application.municipality_id, area=facts.area,
    )
    application.eligible = not application.ineligible_reasons
    application.priority = rules.priority_points(
        round, single_provider=application.single_provider,
        children=len(rules.children_under_18(application.children_birth_years, year=round.year)),
        aid_last_year=facts.aid_last_year,
    )
    # The unique columns (token, receipt, linkage reference) are the database's to enforce
    # (create_once relies on that) and a new application meets the check constraints by
    # construction: validating them here would cost five queries on every public post.
    application.full_clean(exclude=["round", "postcode", "municipality", "branch"],
                           validate_unique=False, validate_constraints=False)
    rows.insert(application)  # the ORM's insert without its per-call compilation
    audit_record(actor=None, action=Action.CREATE, object_type="christmas.application",
                 object_id=application.pk, object_label=application.full_name,
                 summary=f"round {round.pk}")
    return application


def _audit_application(actor, application, action, *, fields=(), summary=""):
    audit_record(actor=actor, action=action, object_type="christmas.application",
                 object_id=application.pk, household_id=application.household_id,
                 object_label=application.full_name, fields=fields, summary=summary)


def _lock(application: Application) -> tuple[Round, Application]:
    """Lock the round first, then the application: one order everywhere, so no deadlock."""
    round = Round.objects.select_for_update().get(pk=application.round_id)
    fresh = Application.objects.select_for_update().get(pk=application.pk)
    return round, fresh


def granted_total(round: Round) -> int:
    return Application.objects.filter(round=round, status=Status.GRANTED).aggregate(
        total=Sum("amount"))["total"] or 0


def _members(application: Application) -> list[household_services.MemberData]:
    members = []
    parent = {"role": MemberRole.PARENT, "first_name": application.first_name,
              "last_name": application.last_name, "birth_date": application.birth_date,
              "gender": "", "school_grade": "", "work_status": ""}
    number = cpr.decrypt(application.cpr_encrypted) if application.cpr_encrypted else None
    members.append(household_services.MemberData(
        values=parent, cpr=number, cpr_consent_given_by=application.full_name))
    if application.other_first_name and application.other_birth_date:
        members.append(household_services.MemberData(values={
            **parent, "first_name": application.other_first_name,
            "last_name": application.other_last_name or application.last_name,
            "birth_date": application.other_birth_date,
        }))
    for i, year in enumerate(sorted(application.children_birth_years), start=1):
        # The form asks for birth years only; 1 July is the registry's placeholder date,
        # said in the household's notes so the coordinator corrects it at the first meeting.
        members.append(household_services.MemberData(values={
            **parent, "role": MemberRole.CHILD, "first_name": _("Child %(n)s") % {"n": i},
            "birth_date": datetime.date(year, 7, 1),
        }))
    return members


def _grant(*, actor: User, round: Round, application: Application, reason: str,
           branch: Branch | None, today: datetime.date) -> Application:
    if application.status != Status.NEW:
        raise ValidationError(_("This application has already been decided."))
    amount = round.grant_amount(
        len(rules.children_under_18(application.children_birth_years, year=round.year)))
    left = round.budget - granted_total(round)
    if amount > left:
        raise ValidationError(
            _("The budget would be exceeded: %(left)s DKK are left and this grant is "
              "%(amount)s DKK.") % {"left": left, "amount": amount}, code="budget")
    branch = branch or application.branch
    if branch is None or branch.organisation_id != round.organisation_id:
        raise ValidationError({"branch": _("Choose the branch that will follow the family.")})
    household = household_services.household_create(
        actor=actor,
        values={"branch": branch, "address": application.address,
                "postcode": application.postcode, "municipality": application.municipality,
                "phone": application.phone, "email": application.email,
                "preferred_language": application.language if application.language in ("da", "en")
                else "da",
                "notes": _("From the Christmas-aid application %(receipt)s. The children's birth "
                           "dates are placeholders: the application gives birth years only.")
                % {"receipt": application.receipt}},
        members=_members(application),
    )
    household_services.consent_record(
        actor=actor, household=household, person=None, purpose=ConsentPurpose.REGISTRATION,
        given_by=application.full_name, given_on=application.submitted_at.date(),
        note=_("Consent given in the Christmas-aid application %(receipt)s.")
        % {"receipt": application.receipt},
    )
    application.status = Status.GRANTED
    application.amount = amount
    application.branch = branch
    application.household = household
    application.decision_reason = reason
    application.decided_by = actor
    application.decided_at = timezone.now()
    application.save(update_fields=["status", "amount", "branch", "household",
                                    "decision_reason", "decided_by", "decided_at"])
    _audit_application(actor, application, Action.CHANGE, fields=["status", "amount"],
                       summary="granted")
    return application


@transaction.atomic
def application_grant(*, actor: User, application: Application, reason: str = "",
                      branch: Branch | None = None) -> Application:
    round, fresh = _lock(application)
    return _grant(actor=actor, round=round, application=fresh, reason=reason, branch=branch,
                  today=timezone.localdate())


@transaction.atomic
def application_reject(*, actor: User, application: Application, reason: str) -> Application:
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason for the rejection.")})
    _round, application = _lock(application)
    if application.status != Status.NEW:
        raise ValidationError(_("This application has already been decided."))
    application.status = Status.REJECTED
    application.decision_reason = reason.strip()
    application.decided_by = actor
    application.decided_at = timezone.now()
    application.save(update_fields=["status", "decision_reason", "decided_by", "decided_at"])
    _audit_application(actor, application, Action.CHANGE, fields=["status"], summary="rejected")
    return application


def open_link_ids(round: Round) -> set[int]:
    """Applications with an undecided duplicate proposal: decide the link before allocating."""
    ids = set()
    for a, b in ApplicationLink.objects.filter(
        first__round=round, status=LinkStatus.PROPOSED
    ).values_list("first_id", "second_id"):
        ids.update((a, b))
    return ids


def confirmed_partner_granted_ids(round: Round) -> set[int]:
    granted = set(Application.objects.filter(round=round, status=Status.GRANTED)
                  .values_list("id", flat=True))
    ids = set()
    for a, b in ApplicationLink.objects.filter(
        first__round=round, status=LinkStatus.CONFIRMED
    ).values_list("first_id", "second_id"):
        if a in granted:
            ids.add(b)
        if b in granted:
            ids.add(a)
    return ids


@transaction.atomic
def round_allocate(*, actor: User, round: Round, applications) -> dict:
    """Grant eligible, undecided applications in priority order while the budget lasts.

    ``applications`` is the actor's scope (selectors.application_list_for). Applications with an
    undecided duplicate proposal, or confirmed as the same household as a granted one, are
    left for the coordinator. Stops at the first application the budget cannot cover, so a
    larger family is never passed over for a smaller one with fewer points.
    """
    round = Round.objects.select_for_update().get(pk=round.pk)
    held = open_link_ids(round) | confirmed_partner_granted_ids(round)
    candidates = (applications.filter(round=round, status=Status.NEW, eligible=True)
                  .exclude(pk__in=held).exclude(branch__isnull=True)
                  .order_by("-priority", "submitted_at", "id"))
    granted, stopped = 0, False
    today = timezone.localdate()
    for application in candidates.select_for_update(of=("self",)):
        try:
            _grant(actor=actor, round=round, application=application,
                   reason=_("Allocated by priority"), branch=None, today=today)
        except ValidationError as exc:
            if getattr(exc, "code", None) == "budget":
                stopped = True
                break
            raise
        granted += 1
    return {"granted": granted, "stopped_by_budget": stopped, "held": len(held)}


@transaction.atomic
def delivery_register(*, actor: User, application: Application, delivery: str) -> Application:
    _round, application = _lock(application)
    if application.status != Status.GRANTED:
        raise ValidationError(_("Only granted aid can be delivered."))
    if delivery not in Delivery.values or not delivery:
        raise ValidationError({"delivery": _("Choose how the aid was delivered.")})
    application.delivery = delivery
    application.delivered_at = timezone.now()
    application.save(update_fields=["delivery", "delivered_at"])
    _audit_application(actor, application, Action.CHANGE, fields=["delivery"])
    return application


# --- duplicates ---------------------------------------------------------------------------------

@transaction.atomic
def link_decide(*, actor: User, link: ApplicationLink, status: str) -> ApplicationLink:
    """Confirm, reject ("not the same household") or undo (back to proposed) a link."""
    if status not in LinkStatus.values:
        raise ValidationError(_("Unknown decision."))
    link = ApplicationLink.objects.select_for_update().get(pk=link.pk)
    link.status = status
    link.decided_by = actor if status != LinkStatus.PROPOSED else None
    link.decided_at = timezone.now() if status != LinkStatus.PROPOSED else None
    link.save(update_fields=["status", "decided_by", "decided_at"])
    audit_record(actor=actor, action=Action.CHANGE, object_type="christmas.applicationlink",
                 object_id=link.pk, fields=["status"], summary=status)
    return link


@transaction.atomic
def links_store(*, actor: User | None, round: Round, pairs: list[dict]) -> int:
    """Store new proposals from the linkage; pairs already known (in any state) are skipped,
    so a "not the same household" decision is never proposed again."""
    known = set(ApplicationLink.objects.filter(first__round=round)
                .values_list("first_id", "second_id"))
    new = []
    for pair in pairs:
        a, b = sorted((pair["first"], pair["second"]))
        if (a, b) in known:
            continue
        known.add((a, b))
        new.append(ApplicationLink(first_id=a, second_id=b, probability=pair["probability"],
                                   evidence=pair["evidence"]))
    ApplicationLink.objects.bulk_create(new)
    audit_record(actor=actor, action=Action.CREATE, object_type="christmas.applicationlink",
                 summary=f"round {round.pk}: {len(new)} proposed")
    return len(new)


# --- follow-up ----------------------------------------------------------------------------------

@transaction.atomic
def followup_offer(*, actor: User, application: Application, kind: str,
                   offered_on: datetime.date, engagement=None, activity=None, network=None,
                   note: str = "") -> FollowUpOffer:
    """Offer follow-up help, pointing (optionally) to the activity, network or engagement it
    is: then "took part" is read from there (selectors.participation)."""
    application.refresh_from_db()
    if application.status != Status.GRANTED:
        raise ValidationError(_("Follow-up help is offered to granted families."))
    if not application.consent_followup:
        raise ValidationError(_("The family has not agreed (or no longer agrees) to be "
                                "contacted about follow-up help."), code="no_consent")
    kinds = application.round.followup_kinds
    if kinds and kind not in kinds:
        raise ValidationError({"kind": _("The round does not offer this kind of help.")})
    if application.offers.filter(kind=kind).exists():
        raise ValidationError({"kind": _("This help has already been offered to the family.")})
    links = [name for name, value in (("engagement", engagement), ("activity", activity),
                                      ("network", network)) if value is not None]
    if len(links) > 1:
        raise ValidationError(_("Choose one activity, network or engagement, not several."))
    organisation_id = application.round.organisation_id
    if engagement is not None:
        if kind not in ENGAGEMENT_KINDS:
            raise ValidationError({"engagement": _(
                "Only a mentor or a family friend is an engagement.")})
        if engagement.household_id != application.household_id:
            raise ValidationError({"engagement": _("Choose an engagement of this family.")})
    if activity is not None:
        if kind not in ACTIVITY_KINDS:
            raise ValidationError({"activity": _(
                "A mentor or a family friend is an engagement, not an activity.")})
        if activity.organisation_id != organisation_id:
            raise ValidationError({"activity": _("Choose an activity of your organisation.")})
    if network is not None:
        if kind not in NETWORK_KINDS:
            raise ValidationError({"network": _("Only a family network offer is a network.")})
        if network.organisation_id != organisation_id:
            raise ValidationError({"network": _("Choose a network of your organisation.")})
    offer = FollowUpOffer(application=application, kind=kind, offered_on=offered_on,
                          engagement=engagement, activity=activity, network=network, note=note,
                          created_by=actor)
    offer.full_clean(exclude=["application", "created_by"])
    offer.save()
    _audit_application(actor, application, Action.CREATE,
                       summary=f"offer {kind}" + (f" ({links[0]})" if links else ""))
    return offer


@transaction.atomic
def followup_consent_withdraw(*, actor: User, application: Application) -> Application:
    """The family no longer wants to be contacted about follow-up help (privacy area)."""
    application.refresh_from_db()
    if application.consent_followup:
        application.consent_followup = False
        application.save(update_fields=["consent_followup"])
        _audit_application(actor, application, Action.CHANGE, fields=["consent_followup"],
                           summary="follow-up consent withdrawn")
    return application


@transaction.atomic
def followup_update(*, actor: User, offer: FollowUpOffer, response: str,
                    took_part: bool | None, note: str | None = None) -> FollowUpOffer:
    if response not in OfferResponse.values:
        raise ValidationError({"response": _("Choose an answer.")})
    if offer.linked:
        # Read from the activity, network or engagement the offer points to, never typed.
        took_part = None
    if took_part and response != OfferResponse.ACCEPTED:
        raise ValidationError({"took_part": _("Only a family that accepted can take part.")})
    offer.response = response
    offer.took_part = took_part
    if note is not None:
        offer.note = note
    offer.full_clean(exclude=["application", "created_by"])
    offer.save(update_fields=["response", "took_part", "note"])
    _audit_application(actor, offer.application, Action.CHANGE,
                       fields=["response", "took_part"], summary=f"offer {offer.kind}")
    return offer
