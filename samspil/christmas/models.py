"""Christmas-aid rounds, applications, duplicate links, cross-charity overlaps, follow-up offers.

The rules a round applies (eligibility, priority weights, amounts) are data on the round, so an
organisation changes them without code. An application is not a household: it becomes one in
the registry only when granted; the rest is deleted by the retention rule (retention.py).
"""

from __future__ import annotations

import secrets
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from samspil.core.models import Branch, Municipality, Organisation, Postcode
from samspil.households import cpr


class IncomeCategory(models.TextChoices):
    CASH_BENEFIT = "cash_benefit", _("Cash benefit (kontanthjælp)")
    UNEMPLOYMENT = "unemployment", _("Unemployment benefit (dagpenge)")
    STUDENT_GRANT = "student_grant", _("Student grant (SU)")
    PENSION = "pension", _("Pension or early retirement")
    LOW_WAGE = "low_wage", _("Low wage")
    SICKNESS = "sickness", _("Sickness benefit")
    OTHER = "other", _("Other")


class FollowUpKind(models.TextChoices):
    NETWORK = "network", _("Family network")
    CAMP = "camp", _("Family camp")
    MENTOR = "mentor", _("Mentor")
    FAMILY_FRIEND = "family_friend", _("Family friend")
    COUNSELLING = "counselling", _("Counselling")
    DEBT_ADVICE = "debt_advice", _("Debt advice")


def _public_slug() -> str:
    return secrets.token_urlsafe(9)


class Round(models.Model):
    """One organisation's Christmas-aid round for one year."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="christmas_rounds",
        verbose_name=_("organisation"),
    )
    name = models.CharField(_("name"), max_length=200)
    year = models.PositiveSmallIntegerField(_("year"))
    # The address of the public form: not guessable, so a round is not found by counting ids.
    slug = models.CharField(max_length=20, unique=True, default=_public_slug, editable=False)
    opens_at = models.DateTimeField(_("applications open"))
    closes_at = models.DateTimeField(_("applications close"))
    budget = models.PositiveIntegerField(_("budget (DKK)"))
    amount_per_household = models.PositiveIntegerField(_("amount per household (DKK)"))
    amount_per_child = models.PositiveIntegerField(_("amount per child (DKK)"), default=0)
    # Eligibility rules as data.
    require_children = models.BooleanField(
        _("household must have children under 18 living at home"), default=True
    )
    income_categories = models.JSONField(
        _("eligible income situations"), default=list, blank=True,
        help_text=_("Empty means every income situation is eligible."),
    )
    municipalities = models.ManyToManyField(
        Municipality, blank=True, related_name="+", verbose_name=_("municipalities covered"),
        help_text=_("Empty means the municipalities of the organisation's branches."),
    )
    # Priority scoring: points per criterion, set by the organisation.
    weight_single_provider = models.PositiveSmallIntegerField(
        _("points for a single provider"), default=3
    )
    weight_per_child = models.PositiveSmallIntegerField(_("points per child"), default=1)
    weight_no_aid_last_year = models.PositiveSmallIntegerField(
        _("points for no aid last year"), default=2
    )
    followup_kinds = models.JSONField(_("follow-up help offered"), default=list, blank=True)
    # The key shared with the other charities for cross-charity linkage (Fernet-encrypted).
    linkage_key_encrypted = models.TextField(blank=True, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["-year", "-opens_at", "-id"]
        verbose_name = _("Christmas-aid round")
        verbose_name_plural = _("Christmas-aid rounds")
        constraints = [
            models.CheckConstraint(condition=Q(closes_at__gt=models.F("opens_at")),
                                   name="round_closes_after_opening"),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self):
        if self.opens_at and self.closes_at and self.closes_at <= self.opens_at:
            raise ValidationError({"closes_at": _("The round must close after it opens.")})
        bad = set(self.income_categories or []) - set(IncomeCategory.values)
        if bad:
            raise ValidationError({"income_categories": _("Unknown income situation.")})
        bad = set(self.followup_kinds or []) - set(FollowUpKind.values)
        if bad:
            raise ValidationError({"followup_kinds": _("Unknown kind of follow-up help.")})

    def grant_amount(self, children: int) -> int:
        return self.amount_per_household + self.amount_per_child * children

    def is_open(self, at) -> bool:
        return self.opens_at <= at < self.closes_at

    @property
    def linkage_key(self) -> str:
        return cpr.decrypt(self.linkage_key_encrypted) or "" if self.linkage_key_encrypted else ""


class Status(models.TextChoices):
    NEW = "new", _("Not decided")
    GRANTED = "granted", _("Granted")
    REJECTED = "rejected", _("Rejected")


class Delivery(models.TextChoices):
    NONE = "", _("Not yet")
    HANDED_OUT = "handed_out", _("Handed out")
    SENT = "sent", _("Sent")
    NOT_COLLECTED = "not_collected", _("Not collected")


def _receipt() -> str:
    # 10 characters of an unambiguous alphabet: about 50 bits, not a database id.
    alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
    raw = "".join(secrets.choice(alphabet) for _ in range(10))
    return f"JH-{raw[:5]}-{raw[5:]}"


class Application(models.Model):
    # Indexes: only those a query uses (every index costs each public post's insert). The round
    # is indexed with the status (Meta.indexes); postcode, municipality and decider are only
    # ever looked up from the application, never the other way.
    round = models.ForeignKey(
        Round, on_delete=models.CASCADE, related_name="applications", verbose_name=_("round"),
        db_index=False,
    )
    submission_token = models.UUIDField(unique=True, default=uuid.uuid4, editable=False)
    receipt = models.CharField(_("receipt number"), max_length=20, default=_receipt)  # unique
    # An opaque reference for the cross-charity export: neither the id nor the receipt.
    linkage_ref = models.UUIDField(unique=True, default=uuid.uuid4, editable=False)
    submitted_at = models.DateTimeField(_("submitted"), db_index=True)
    language = models.CharField(_("language"), max_length=5, default="da")
    first_name = models.CharField(_("first name"), max_length=100)
    last_name = models.CharField(_("last name"), max_length=100)
    birth_date = models.DateField(_("birth date"))
    cpr_encrypted = models.TextField(blank=True, editable=False)
    # Keyed hash (SECRET_KEY) of the normalised CPR: finds the same number within the
    # organisation without decrypting every row. Never leaves the system.
    cpr_digest = models.CharField(max_length=64, blank=True, editable=False)  # indexed
    address = models.CharField(_("address"), max_length=200)
    postcode = models.ForeignKey(
        Postcode, on_delete=models.PROTECT, related_name="+", verbose_name=_("postcode"),
        db_index=False,
    )
    municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, related_name="+", verbose_name=_("municipality"),
        db_index=False,
    )
    phone = models.CharField(_("phone"), max_length=20)
    email = models.EmailField(_("e-mail"), blank=True)
    other_first_name = models.CharField(_("other adult's first name"), max_length=100, blank=True)
    other_last_name = models.CharField(_("other adult's last name"), max_length=100, blank=True)
    other_birth_date = models.DateField(_("other adult's birth date"), null=True, blank=True)
    children_birth_years = models.JSONField(_("children's birth years"), default=list)
    income = models.CharField(_("income situation"), max_length=20,
                              choices=IncomeCategory.choices)
    description = models.TextField(_("description"), max_length=1000, blank=True)
    consent_followup = models.BooleanField(_("may be contacted about follow-up help"),
                                           default=False)
    # Who screens it: the branch whose municipality is the address's (services.branch_for).
    branch = models.ForeignKey(
        Branch, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("branch"),
    )
    eligible = models.BooleanField(_("eligible"), default=False)
    ineligible_reasons = models.JSONField(default=list, blank=True)
    priority = models.PositiveSmallIntegerField(_("priority"), default=0)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices,
                              default=Status.NEW)
    decision_reason = models.CharField(_("reason"), max_length=500, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
        related_name="+", verbose_name=_("decided by"), db_index=False,
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    amount = models.PositiveIntegerField(_("amount (DKK)"), default=0)
    delivery = models.CharField(_("delivery"), max_length=15, choices=Delivery.choices,
                                blank=True, default="")
    delivered_at = models.DateTimeField(_("delivery registered"), null=True, blank=True)
    household = models.ForeignKey(
        "households.Household", on_delete=models.SET_NULL, null=True, blank=True,
        related_name="christmas_applications", verbose_name=_("household"),
    )

    class Meta:
        ordering = ["-priority", "submitted_at", "id"]
        verbose_name = _("Christmas-aid application")
        verbose_name_plural = _("Christmas-aid applications")
        # Explicit indexes, so that PostgreSQL gets no second, LIKE-only index for the two text
        # columns (Django adds one to a unique or indexed CharField).
        indexes = [models.Index(fields=["round", "status"], name="xmas_app_round_status"),
                   models.Index(fields=["cpr_digest"], name="xmas_app_cpr_digest")]
        constraints = [
            models.UniqueConstraint(fields=["receipt"], name="xmas_app_receipt_unique"),
            models.CheckConstraint(condition=Q(status="granted") | Q(amount=0),
                                   name="xmas_amount_only_when_granted"),
            models.CheckConstraint(condition=Q(status="granted") | Q(delivery=""),
                                   name="xmas_delivery_only_when_granted"),
        ]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"

    @property
    def other_full_name(self) -> str:
        return f"{self.other_first_name} {self.other_last_name}".strip()

    @property
    def has_cpr(self) -> bool:
        return bool(self.cpr_encrypted)

    @property
    def cpr_masked(self) -> str:
        if not self.cpr_encrypted:
            return ""
        number = cpr.decrypt(self.cpr_encrypted)
        return cpr.mask(number) if number else "??????-xxxx"

    @property
    def children_count(self) -> int:
        return len(self.children_birth_years)

    @property
    def single_provider(self) -> bool:
        return not self.other_first_name

    @property
    def delivered(self) -> bool:
        return self.delivery in (Delivery.HANDED_OUT, Delivery.SENT)


class LinkStatus(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    CONFIRMED = "confirmed", _("Same household")
    REJECTED = "rejected", _("Not the same household")


class ApplicationLink(models.Model):
    """Two applications of one organisation that are likely the same household.

    Links are never merges: both applications stay as they are. A rejected link is kept, so
    the detection never proposes the pair again.
    """

    first = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="+")
    second = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="+")
    probability = models.FloatField(_("match probability"))
    evidence = models.JSONField(default=list)
    status = models.CharField(_("status"), max_length=10, choices=LinkStatus.choices,
                              default=LinkStatus.PROPOSED)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-probability", "id"]
        constraints = [
            models.UniqueConstraint(fields=["first", "second"], name="xmas_link_once"),
            models.CheckConstraint(condition=Q(first__lt=models.F("second")),
                                   name="xmas_link_ordered"),
        ]

    def __str__(self) -> str:
        return f"{self.first_id} ~ {self.second_id}"


class OverlapImport(models.Model):
    """One file of encodings another charity sent for the same round."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="overlap_imports")
    partner = models.CharField(_("from"), max_length=200)
    records = models.PositiveIntegerField(_("records"))
    imported_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    related_name="+")
    imported_at = models.DateTimeField(_("imported"), auto_now_add=True)

    class Meta:
        ordering = ["-imported_at", "-id"]

    def __str__(self) -> str:
        return self.partner


class Overlap(models.Model):
    """An own application that likely matches a record in another charity's file."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE,
                                    related_name="overlaps")
    source = models.ForeignKey(OverlapImport, on_delete=models.CASCADE, related_name="overlaps")
    their_ref = models.CharField(max_length=64)
    score = models.FloatField(_("similarity"))
    method = models.CharField(_("evidence"), max_length=20)

    class Meta:
        ordering = ["-score", "id"]

    def __str__(self) -> str:
        return f"{self.application_id} ~ {self.their_ref}"


class OfferResponse(models.TextChoices):
    PENDING = "pending", _("No answer yet")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")


# What an offer of each kind may point to: the real thing in the activities or engagements
# area, from which "took part" is then read (FollowUpOffer.linked).
ACTIVITY_KINDS = frozenset({FollowUpKind.NETWORK, FollowUpKind.CAMP, FollowUpKind.COUNSELLING,
                            FollowUpKind.DEBT_ADVICE})
NETWORK_KINDS = frozenset({FollowUpKind.NETWORK})
ENGAGEMENT_KINDS = frozenset({FollowUpKind.MENTOR, FollowUpKind.FAMILY_FRIEND})


class FollowUpOffer(models.Model):
    """Follow-up help offered to a granted family.

    An offer may point to one concrete thing: an activity (a camp, a network meeting, a
    counselling evening), a family network, or an engagement (a mentor, a family friend).
    Whether the family took part is then read from that thing (selectors.participation):
    present at a session of the activity, a member of the network after the offer, the
    engagement started. Only an offer that points to nothing keeps the coordinator's own
    ``took_part``.
    """

    application = models.ForeignKey(Application, on_delete=models.CASCADE,
                                    related_name="offers", verbose_name=_("application"))
    kind = models.CharField(_("kind of help"), max_length=20, choices=FollowUpKind.choices)
    engagement = models.ForeignKey(
        "engagements.Engagement", on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+", verbose_name=_("engagement"),
    )
    activity = models.ForeignKey(
        "activities.Activity", on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+", verbose_name=_("activity"),
    )
    network = models.ForeignKey(
        "activities.Network", on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+", verbose_name=_("network"),
    )
    offered_on = models.DateField(_("offered on"))
    response = models.CharField(_("answer"), max_length=10, choices=OfferResponse.choices,
                                default=OfferResponse.PENDING)
    took_part = models.BooleanField(_("took part"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=500, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+")

    class Meta:
        ordering = ["offered_on", "id"]
        verbose_name = _("follow-up offer")
        verbose_name_plural = _("follow-up offers")
        constraints = [
            models.UniqueConstraint(fields=["application", "kind"], name="xmas_offer_once"),
            models.CheckConstraint(condition=~Q(response="declined") | ~Q(took_part=True),
                                   name="xmas_declined_did_not_take_part"),
            # One thing at most: "took part" is read from it.
            models.CheckConstraint(
                condition=(Q(engagement__isnull=True) & Q(activity__isnull=True))
                | (Q(engagement__isnull=True) & Q(network__isnull=True))
                | (Q(activity__isnull=True) & Q(network__isnull=True)),
                name="xmas_offer_one_link"),
        ]

    def __str__(self) -> str:
        return self.get_kind_display()

    @property
    def linked(self) -> bool:
        return bool(self.engagement_id or self.activity_id or self.network_id)
