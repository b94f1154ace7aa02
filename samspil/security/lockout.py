"""How django-axes sees a login attempt: its address (AXES_CLIENT_IP_CALLABLE) and its
username (AXES_USERNAME_CALLABLE)."""

from __future__ import annotations

import hashlib
import hmac
import re

from django.conf import settings
from django.http import HttpRequest

from samspil.core.public_forms import client_address

# Someone who types their CPR number into the username field must not have it stored in the
# lock-out tables (axes_accessattempt, axes_accessfailurelog) or shown in the admin.
_CPR_SHAPED = re.compile(r"\d{6}-?\d{4}")


def username(request: HttpRequest, credentials: dict | None = None) -> str | None:
    """The username as django-axes would read it, except that one containing a CPR-shaped
    number is replaced by a keyed hash of it: still one count per typed value (the lock-out
    works the same), never the number itself."""
    field = settings.AXES_USERNAME_FORM_FIELD
    if credentials:
        value = credentials.get(field)
    else:
        value = getattr(request, "data", request.POST).get(field) if request else None
    if not value or not _CPR_SHAPED.search(str(value)):
        return value
    digest = hmac.new(settings.SECRET_KEY.encode(), f"axes-username|{value}".encode(),
                      hashlib.sha256).hexdigest()
    return f"cpr-shaped:{digest[:32]}"


def client_ip(request: HttpRequest) -> str | None:
    """The same address the public forms' rate limit uses (trusted proxies honoured); None
    without one (the database column takes only real addresses)."""
    return client_address(request) or None


def lockout_response(request: HttpRequest, original_response=None, credentials=None):
    """The lock-out page (AXES_LOCKOUT_CALLABLE): the same for every username, known or not."""
    from django.conf import settings
    from django.shortcuts import render

    minutes = max(1, int(settings.AXES_COOLOFF_TIME.total_seconds() // 60))
    return render(request, "security/locked_out.html", {"minutes": minutes},
                  status=settings.AXES_HTTP_RESPONSE_CODE)
