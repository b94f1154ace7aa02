"""CPR numbers: validation, encryption at rest and masked display.

A CPR number is validated with python-stdnum (which, correctly, does not require the modulus-11
check), stored only encrypted (Fernet, keys from settings.FIELD_ENCRYPTION_KEYS, newest first so
keys can be rotated), and shown only as DDMMYY-xxxx. It never goes into a URL, a log line or an
audit summary.
"""

from __future__ import annotations

import datetime

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from stdnum.dk import cpr as stdnum_cpr
from stdnum.exceptions import ValidationError as StdnumError


def _fernet() -> MultiFernet:
    return MultiFernet([Fernet(key.encode()) for key in settings.FIELD_ENCRYPTION_KEYS])


def normalise(value: str) -> str:
    """'010190-1234' or '0101901234' -> '0101901234', or ValidationError in the user's language."""
    try:
        number = stdnum_cpr.validate(value)
    except StdnumError as exc:
        raise ValidationError(
            _("Enter a valid CPR number as DDMMYY-XXXX (ten digits with a real birth date)."),
            code="invalid_cpr",
        ) from exc
    return number


def birth_date(number: str) -> datetime.date:
    return stdnum_cpr.get_birth_date(number)


def encrypt(number: str) -> str:
    return _fernet().encrypt(number.encode()).decode()


def decrypt(token: str) -> str | None:
    try:
        return _fernet().decrypt(token.encode()).decode()
    except InvalidToken:
        return None


def mask(number: str) -> str:
    return f"{number[:6]}-xxxx"


class CprInput(forms.TextInput):
    """A text input that never writes a CPR number back into the page: after a form error the
    field is empty and the person types the number again (issue 9: never shown in full)."""

    def format_value(self, value):
        return None
