"""Forms the public fills in without an account: bots, floods and double submits.

Every public form (an activity's sign-up link, a Christmas-aid application) uses the same three
guards, so none of them is written twice:

- a **honeypot** field that people never see (it is off-screen, out of the tab order and hidden
  from screen readers) and bots fill in: a filled honeypot is refused and nothing is saved;
- a **rate limit per client**: at most ``PUBLIC_FORM_MAX_SUBMISSIONS`` posts per form and client
  address within ``PUBLIC_FORM_WINDOW_SECONDS``, counted in the database so that every server
  process shares the count. Only a keyed hash of the address is stored, never the address;
- a **submission token**: the page carries a signed one-time token; the record a submission
  creates stores it in a unique column, so a retried or double-clicked submission finds the
  record the first one made and shows its receipt instead of making a second one.
"""

from __future__ import annotations

import copy
import datetime
import hashlib
import hmac
import uuid
from collections.abc import Callable
from typing import TypeVar

from django import forms
from django.conf import settings
from django.core import signing
from django.db import IntegrityError, connections, models, transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from samspil.core.models import PublicFormHit

T = TypeVar("T", bound=models.Model)

HONEYPOT_FIELD = "website"
TOKEN_FIELD = "submission_token"
_SIGNING_SALT = "samspil.public-form-token"


class PublicForm(forms.Form):
    """Base class of every public form: the honeypot and the submission token.

    ``scope`` names the form (for example ``"activity-signup:12"``): a token is valid for the
    form it was issued for only. ``cleaned_data["submission_token"]`` is the token's UUID.
    """

    website = forms.CharField(
        label=gettext_lazy("Leave this field empty"), required=False, max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
        template_name="core/honeypot_field.html",
    )
    submission_token = forms.CharField(widget=forms.HiddenInput, max_length=200)

    def __init__(self, *args, scope: str, **kwargs):
        self.scope = scope
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault(TOKEN_FIELD, issue_token(scope))

    def clean_website(self) -> str:
        if self.cleaned_data.get(HONEYPOT_FIELD):
            raise forms.ValidationError(
                _("Your submission could not be accepted. Please try again."), code="honeypot"
            )
        return ""

    def clean_submission_token(self) -> uuid.UUID:
        token = read_token(self.cleaned_data.get(TOKEN_FIELD, ""), scope=self.scope)
        if token is None:
            raise forms.ValidationError(
                _("This form has expired. Check your answers and send it again."), code="token"
            )
        return token

    def add_error(self, field, error):
        super().add_error(field, error)
        # A form shown again after an error gets a fresh token only if its own was unusable,
        # so that a double click after a correction still finds the first submission.
        if field == TOKEN_FIELD and self.is_bound:
            data = self.data.copy()
            data[self.add_prefix(TOKEN_FIELD)] = issue_token(self.scope)
            self.data = data

    @property
    def honeypot_tripped(self) -> bool:
        return any(e.code == "honeypot" for e in self.errors.as_data().get(HONEYPOT_FIELD, []))


class _LightFieldCopies(dict):
    """A form class's ``base_fields`` whose per-instance copy is shallow (see light_copies)."""

    def __deepcopy__(self, memo):
        fields = {}
        for name, field in self.items():
            copied, widget = copy.copy(field), copy.copy(field.widget)
            widget.attrs = dict(field.widget.attrs)
            copied.widget = widget
            fields[name] = copied
        return fields


def light_copies(form_class: type[forms.BaseForm]) -> type[forms.BaseForm]:
    """Class decorator: each form instance gets its own field and widget objects (and widget
    attributes), but shares their error messages, validators and choices with the class.

    Django deep-copies every declared field for every form instance; for the public
    Christmas-aid form (18 fields) that was a sixth of the post's Python time. Only for a form
    whose code never changes a field's validators, error messages or choices list in place.
    """
    form_class.base_fields = _LightFieldCopies(form_class.base_fields)
    return form_class


def issue_token(scope: str) -> str:
    """A new signed token for the form named ``scope``."""
    return signing.dumps({"s": scope, "t": uuid.uuid4().hex}, salt=_SIGNING_SALT, compress=False)


def read_token(value: str, *, scope: str) -> uuid.UUID | None:
    """The UUID in a token issued for ``scope`` within PUBLIC_FORM_TOKEN_MAX_AGE, else None."""
    try:
        payload = signing.loads(
            value, salt=_SIGNING_SALT, max_age=settings.PUBLIC_FORM_TOKEN_MAX_AGE_SECONDS
        )
        if not isinstance(payload, dict) or payload.get("s") != scope:
            return None
        return uuid.UUID(hex=str(payload.get("t", "")))
    except (signing.BadSignature, ValueError, TypeError):
        return None


def create_once(
    *, model: type[T], token: uuid.UUID, create: Callable[[], T], field: str = TOKEN_FIELD,
    look_first: bool = True,
) -> tuple[T, bool]:
    """The record made with ``token``: the existing one (False) or a new one from ``create``.

    ``model`` must have a unique ``field`` (``submission_token``) that ``create`` fills with
    ``token``. Two submissions racing with the same token both end with the same record.
    With ``look_first=False`` the insert is tried straight away and the existing record is
    looked up only when the unique column refuses it: one query less for every first
    submission (the public Christmas-aid form), at the price of running ``create`` (inside its
    rolled-back transaction) again for a repeated one. ``create`` must then have no effect
    outside the database.
    """
    if look_first:
        existing = model._default_manager.filter(**{field: token}).first()
        if existing is not None:
            return existing, False
    try:
        with transaction.atomic():
            return create(), True
    except IntegrityError:
        existing = model._default_manager.filter(**{field: token}).first()
        if existing is None:
            raise
        return existing, False


# --- rate limit ---------------------------------------------------------------------------------

def client_address(request: HttpRequest) -> str:
    """The client's address: REMOTE_ADDR, or the hop a trusted proxy put in X-Forwarded-For.

    With ``PUBLIC_FORM_TRUSTED_PROXIES = n`` (nginx in front: 1) the n-th address from the right
    of X-Forwarded-For is the client; addresses further left were written by the client itself
    and are not trusted.
    """
    proxies = settings.PUBLIC_FORM_TRUSTED_PROXIES
    if proxies > 0:
        hops = [h.strip() for h in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        hops = [h for h in hops if h]
        if len(hops) >= proxies:
            return hops[-proxies]
    return request.META.get("REMOTE_ADDR", "")


def _client_key(request: HttpRequest, scope: str) -> str:
    digest = hmac.new(
        settings.SECRET_KEY.encode(), f"{scope}|{client_address(request)}".encode(), hashlib.sha256
    )
    return digest.hexdigest()


def rate_limited(request: HttpRequest, *, scope: str) -> bool:
    """Count this post for its client and form; True when the client is over the limit.

    One statement, whatever the traffic: an upsert that returns the new count (PostgreSQL and
    SQLite both have INSERT ... ON CONFLICT DO UPDATE ... RETURNING). Outside a transaction on
    PostgreSQL the statement also turns off the wait for the disk at its own commit
    (``set_config('synchronous_commit', 'off', true)`` lasts to the end of the statement's
    transaction): a counter lost in a crash costs nothing, and the row lock of a busy client's
    counter is held for microseconds instead of a disk flush.
    """
    window_seconds = settings.PUBLIC_FORM_WINDOW_SECONDS
    now = timezone.now()
    window = int(now.timestamp()) // window_seconds
    key = _client_key(request, scope)
    connection = connections[PublicFormHit.objects.db]
    q = connection.ops.quote_name
    table = q(PublicFormHit._meta.db_table)
    seen_at = PublicFormHit._meta.get_field("seen_at").get_db_prep_value(now, connection)
    async_commit = connection.vendor == "postgresql" and not connection.in_atomic_block
    source = ("SELECT %s, %s, 1, %s FROM (SELECT set_config('synchronous_commit', 'off', true)) s"
              if async_commit else "VALUES (%s, %s, 1, %s)")
    sql = (f"INSERT INTO {table} ({q('key')}, {q('window')}, {q('count')}, {q('seen_at')}) "
           f"{source} ON CONFLICT ({q('key')}, {q('window')}) DO UPDATE SET {q('count')} = "
           f"{table}.{q('count')} + 1 RETURNING {q('count')}")
    with connection.cursor() as cursor:
        cursor.execute(sql, [key, window, seen_at])
        count = cursor.fetchone()[0]
    return count > settings.PUBLIC_FORM_MAX_SUBMISSIONS


def prune_rate_limit_counts(*, now: datetime.datetime | None = None) -> int:
    """Delete counters of windows that have ended; returns how many were deleted."""
    now = now or timezone.now()
    current = int(now.timestamp()) // settings.PUBLIC_FORM_WINDOW_SECONDS
    deleted, _ = PublicFormHit.objects.filter(window__lt=current).delete()
    return deleted


RATE_LIMIT_MESSAGE = gettext_lazy(
    "Too many submissions from your connection in a short time. Please wait a few minutes and "
    "try again."
)
