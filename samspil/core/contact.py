"""Addresses and phone numbers as people type them: one rule for households and volunteers."""

from __future__ import annotations

import phonenumbers
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from samspil.core.models import Postcode


def postcode_from_input(raw: str) -> Postcode:
    """The Danish postcode typed, or a translated ValidationError."""
    code = raw.strip()
    postcode = Postcode.objects.filter(code=code).select_related("municipality").first()
    if postcode is None:
        raise ValidationError(_("%(code)s is not a Danish postcode.") % {"code": code})
    return postcode


def phone_from_input(raw: str) -> str:
    """A phone number in E.164 (+4520123456), Danish when no country code is given; '' stays ''."""
    raw = raw.strip()
    if not raw:
        return ""
    try:
        number = phonenumbers.parse(raw, "DK")
    except phonenumbers.NumberParseException:
        number = None
    if number is None or not phonenumbers.is_valid_number(number):
        raise ValidationError(
            _("Enter a valid phone number, for example 20 12 34 56 or +46 70 123 45 67.")
        )
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
