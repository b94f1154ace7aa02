"""How django-axes sees a login attempt's address (AXES_CLIENT_IP_CALLABLE)."""

from __future__ import annotations

from django.http import HttpRequest

from samspil.core.public_forms import client_address


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
