"""Writes of the privacy area: the data subject's rights, break the glass, retention.

Each service is audited. Access is decided by the caller through privacy.selectors (which goes
through households.selectors.household_get_for); the services check the role once more.
"""

from __future__ import annotations

import datetime
import json
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction
from django.db.models import Exists, Max, OuterRef, Q
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from samspil.core.models import AuditEvent, Role, User
from samspil.core.services import audit_record
from samspil.households.models import Household, Person
from samspil.privacy import restriction
from samspil.privacy.collect import related_rows
from samspil.privacy.models import BreakGlass, Erasure, Restriction

Action = AuditEvent.Action
HOUSEHOLD = "households.household"
# Text fields kept at erasure: codes and opaque references, not personal data.
KEEP_TEXT = {"language", "receipt", "kind", "instrument", "code"}
# Never exported, even to the person: secrets and internal keys.
NEVER_EXPORTED = {"cpr_encrypted", "cpr_digest", "search_text", "token", "token_hash",
                  "submission_token", "linkage_ref"}


def _require(actor: User, *roles: str) -> None:
    if not actor.has_role(*roles):
        raise PermissionDenied


# --- access (GDPR art. 15) ---------------------------------------------------------------------

def _value(obj, f):
    if f.name == "cpr_encrypted":
        return None
    value = getattr(obj, f.attname)
    if f.choices and value not in (None, ""):
        return str(getattr(obj, f"get_{f.name}_display")())
    return value


def _rows_as_dicts(rows) -> list[dict]:
    result = []
    for obj in rows:
        item = {}
        for f in obj._meta.concrete_fields:
            if f.name in NEVER_EXPORTED:
                continue
            if f.is_relation and f.related_model is User:
                continue  # which staff member: not part of the export (Danish practice)
            item[str(f.verbose_name)] = _value(obj, f)
        if isinstance(obj, Person):
            item[_("CPR")] = obj.cpr_masked or None
        result.append(item)
    return result


def access_log(household_id: int) -> list[dict]:
    """When and for what their data were looked at or changed; never by whom (Danish practice)."""
    events = AuditEvent.objects.filter(household_id=household_id).order_by("at", "id")
    return [{
        "time": e.at.isoformat(timespec="seconds"),
        "event": f"{e.get_action_display()} {e.object_type_label}",
        "purpose": e.purpose or _("the organisation's work with the household"),
    } for e in events]


def access_export(*, actor: User, household: Household) -> dict:
    """Everything Samspil holds on the household, as one JSON-ready dictionary (audited)."""
    _require(actor, Role.ORG_ADMIN, Role.COORDINATOR)
    data = {}
    for model, rows in sorted(related_rows(household).items(),
                              key=lambda item: item[0]._meta.label):
        data[model._meta.label_lower] = {
            "title": str(model._meta.verbose_name_plural).capitalize(),
            "rows": _rows_as_dicts(rows),
        }
    result = {
        "controller": household.organisation.name,
        "household": household.pk,
        "made_at": timezone.now().isoformat(timespec="seconds"),
        "data": data,
        "access_log": access_log(household.pk),
    }
    audit_record(actor=actor, action=Action.EXPORT, object_type=HOUSEHOLD,
                 object_id=household.pk, household_id=household.pk,
                 object_label=household.display_name, summary="access export (GDPR art. 15)",
                 purpose="data subject access request")
    return result


def access_export_json(*, actor: User, household: Household) -> bytes:
    data = access_export(actor=actor, household=household)
    return json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2).encode()


def access_export_pdf(*, actor: User, household: Household) -> bytes:
    from weasyprint import HTML

    data = access_export(actor=actor, household=household)
    html = render_to_string("privacy/export_pdf.html", {"export": data})
    return HTML(string=html).write_pdf()


# --- restriction (GDPR art. 18) ----------------------------------------------------------------

@transaction.atomic
def restriction_set(*, actor: User, household: Household, reason: str) -> Restriction:
    _require(actor, Role.ORG_ADMIN, Role.COORDINATOR)
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Write why processing is restricted.")})
    if Restriction.objects.filter(household=household).exists():
        raise ValidationError(_("Processing of this household is already restricted."))
    item = Restriction.objects.create(household=household, reason=reason[:500], by=actor)
    audit_record(actor=actor, action=Action.CHANGE, object_type=HOUSEHOLD,
                 object_id=household.pk, household_id=household.pk,
                 object_label=household.display_name, summary="processing restricted",
                 purpose="restriction of processing (GDPR art. 18)")
    return item


@transaction.atomic
def restriction_lift(*, actor: User, household: Household) -> None:
    _require(actor, Role.ORG_ADMIN)
    deleted, _rows = Restriction.objects.filter(household=household).delete()
    if not deleted:
        raise ValidationError(_("Processing of this household is not restricted."))
    audit_record(actor=actor, action=Action.CHANGE, object_type=HOUSEHOLD,
                 object_id=household.pk, household_id=household.pk,
                 object_label=household.display_name, summary="restriction lifted",
                 purpose="restriction of processing (GDPR art. 18)")


# --- erasure (GDPR art. 17) --------------------------------------------------------------------

def _wipe_values(obj) -> dict:
    """Field -> anonymous value for one row: free text and names emptied, dates generalised."""
    values = {}
    for f in obj._meta.concrete_fields:
        if f.primary_key or f.is_relation or f.name in KEEP_TEXT:
            continue
        if isinstance(f, (models.CharField, models.TextField)) and not f.choices:
            if f.unique:
                continue
            values[f.attname] = None if f.null else ""
        elif f.name in ("birth_date", "other_birth_date") and getattr(obj, f.attname):
            # The year stays for statistics (age groups), the day goes.
            values[f.attname] = datetime.date(getattr(obj, f.attname).year, 1, 1)
    return values


def _has_personal_fields(model) -> bool:
    return any(isinstance(f, (models.CharField, models.TextField)) and not f.choices
               and not f.unique and f.name not in KEEP_TEXT and not f.is_relation
               for f in model._meta.concrete_fields)


# Rows that are only personal data or access to it, with no statistics in them: deleted.
# Consents stay (a referral may name the consent it was sent under), emptied and withdrawn.
DELETED_AT_ERASURE = ("outcomes.answerlink", "privacy.breakglass",
                      "christmas.applicationlink", "christmas.overlap")


@transaction.atomic
def household_erase(*, actor: User | None, household: Household,
                    ground: str = "request") -> Erasure:
    """Remove the household's personal data, keep the anonymous rows statistics count.

    Names, addresses, phone numbers, e-mails, CPR numbers and every free text (notes, needs
    texts, meeting notes, referral and plan texts, application descriptions) are emptied; birth
    dates become 1 January of the birth year; consents are emptied and withdrawn (so the
    household leaves every later evaluator export), answer links and break-the-glass grants are
    deleted. What remains — the household's branch and municipality, members' roles and
    birth years, engagement types, states and dates, meeting dates and lengths, questionnaire
    scores, attendance — carries the KPIs of samspil/outcomes, which therefore do not change.
    """
    if actor is not None:
        _require(actor, Role.ORG_ADMIN)
    if Erasure.objects.filter(household_id=household.pk).exists():
        raise ValidationError(_("This household has already been erased."))
    with restriction.bypass():
        rows = related_rows(household)
        for model, objects in rows.items():
            if model._meta.label_lower in DELETED_AT_ERASURE:
                model._base_manager.filter(pk__in=[o.pk for o in objects])._raw_delete(
                    model._base_manager.db)
                continue
            if not _has_personal_fields(model) and model not in (Person,) and \
                    not any(f.name in ("birth_date", "other_birth_date")
                            for f in model._meta.concrete_fields):
                continue
            for obj in objects:
                values = _wipe_values(obj)
                if values:
                    model._base_manager.filter(pk=obj.pk).update(**values)
        from django.db.models import F, Value
        from django.db.models.functions import Greatest

        today = timezone.localdate()
        household.consents.filter(withdrawn_on__isnull=True).update(
            withdrawn_on=Greatest(F("given_on"), Value(today)))
        Restriction.objects.filter(household=household).delete()
        erasure = Erasure.objects.create(household_id=household.pk,
                                         organisation_id=household.organisation_id,
                                         ground=ground, by=actor)
    audit_record(actor=actor, action=Action.DELETE, object_type=HOUSEHOLD,
                 object_id=household.pk, household_id=household.pk,
                 summary=f"personal data erased ({ground})",
                 purpose="erasure (GDPR art. 17)" if ground == "request" else "retention")
    return erasure


# --- break the glass ---------------------------------------------------------------------------

@transaction.atomic
def break_glass(*, actor: User, household_id: int, reason: str) -> BreakGlass:
    """Time-limited access for a coordinator to a household of her organisation outside her
    branches, with a stated reason; logged and listed for the organisation administrator."""
    _require(actor, Role.COORDINATOR)
    reason = reason.strip()
    if len(reason) < 10:
        raise ValidationError({"reason": _(
            "Describe the reason in a sentence (at least 10 characters).")})
    household = Household.objects.filter(pk=household_id,
                                         organisation_id=actor.organisation_id).first()
    if household is None or Erasure.objects.filter(household_id=household_id).exists():
        raise ValidationError({"household": _("No household of your organisation has this "
                                              "number.")})
    now = timezone.now()
    grant = BreakGlass.objects.create(
        user=actor, household=household, reason=reason[:500], granted_at=now,
        expires_at=now + datetime.timedelta(hours=settings.BREAK_GLASS_HOURS))
    audit_record(actor=actor, action=Action.VIEW, object_type=HOUSEHOLD,
                 object_id=household.pk, household_id=household.pk,
                 object_label=household.display_name,
                 summary=f"break the glass: {reason}"[:500], purpose="break the glass")
    return grant


# --- retention ---------------------------------------------------------------------------------

@dataclass
class RetentionReport:
    counts: dict[str, int] = field(default_factory=dict)


def households_past_retention(*, now: datetime.datetime | None = None):
    """Households whose last engagement, activity sign-up and registration ended more than
    HOUSEHOLD_RETENTION_YEARS ago, not erased yet and not under restriction."""
    from dateutil.relativedelta import relativedelta

    now = now or timezone.now()
    cutoff = (now - relativedelta(years=settings.HOUSEHOLD_RETENTION_YEARS)).date()
    from samspil.engagements.models import Engagement

    erased = Erasure.objects.values("household_id")
    ongoing = Engagement.objects.filter(household=OuterRef("pk"), ended_on__isnull=True)
    qs = (Household.objects.exclude(pk__in=erased).filter(restriction__isnull=True)
          .filter(created_at__date__lt=cutoff).filter(~Exists(ongoing))
          .annotate(last_engagement=Max("engagements__ended_on"),
                    last_activity=Max("signups__activity__sessions__date"))
          .filter(Q(last_engagement__isnull=True) | Q(last_engagement__lt=cutoff))
          .filter(Q(last_activity__isnull=True) | Q(last_activity__lt=cutoff)))
    return qs


def retention_run(*, apply: bool, now: datetime.datetime | None = None) -> RetentionReport:
    """What the retention periods say should go; deleted when apply is True."""
    from dateutil.relativedelta import relativedelta

    from samspil.christmas import retention as christmas_retention
    from samspil.christmas.models import Application
    from samspil.core import audit_chain, public_forms
    from samspil.core.models import PublicFormHit

    now = now or timezone.now()
    report = RetentionReport()
    applications = Application.objects.filter(
        household__isnull=True, round__closes_at__lt=christmas_retention.cutoff(now))
    households = list(households_past_retention(now=now))
    window = int(now.timestamp()) // settings.PUBLIC_FORM_WINDOW_SECONDS
    audit_cutoff = now - relativedelta(months=settings.AUDIT_RETENTION_MONTHS)
    if not apply:
        report.counts = {
            "christmas_applications": applications.count(),
            "households": len(households),
            "public_form_counters": PublicFormHit.objects.filter(window__lt=window).count(),
            "audit_events": audit_chain.prune(before=audit_cutoff, dry_run=True),
        }
        return report
    report.counts["christmas_applications"] = christmas_retention.prune_applications(now=now)
    for household in households:
        household_erase(actor=None, household=household, ground="retention")
    report.counts["households"] = len(households)
    report.counts["public_form_counters"] = public_forms.prune_rate_limit_counts(now=now)
    # Last, so the entries the steps above wrote are kept.
    report.counts["audit_events"] = audit_chain.prune(before=audit_cutoff)
    return report
