"""Login security on every request: idle sessions end, staff pages need the second factor,
and every response carries the security headers Django does not set itself."""

from __future__ import annotations

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.shortcuts import redirect
from django.urls import Resolver404, resolve, reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django_otp import DEVICE_ID_SESSION_KEY

from samspil.security import selectors
from samspil.security.services import SESSION_OPTIONAL_CHECKED

LAST_ACTIVITY_KEY = "samspil_last_activity"
STARTED_KEY = "samspil_session_started"
ACTIVITY_WRITE_INTERVAL = 60  # seconds: the session is saved at most once a minute for this

# Pages an unverified user may open: logging in and out, the second factor itself, the
# language switch, password reset. The API (tokens, not sessions) is not affected.
OPEN_URL_NAMES = {
    "login", "logout", "set_language", "security:verify", "security:setup",
    "security:password_reset", "security:password_reset_done",
    "security:password_reset_confirm", "security:password_reset_complete",
}
OPEN_PREFIXES = ("/api/", "/" + settings.STATIC_URL.lstrip("/"))


def is_verified(request) -> bool:
    """The session passed the second factor (django_otp.login stored the device in it).

    Read from the session alone, without a query per request; a reset of the user's devices
    (services.reset) ends the user's verified sessions by the idle/age limits (docs/security.md).
    """
    return bool(request.session.get(DEVICE_ID_SESSION_KEY))


class IdleTimeoutMiddleware:
    """Log out a session that has had no request for SESSION_IDLE_TIMEOUT seconds, and any
    session older than SESSION_COOKIE_AGE (8 hours), however busy."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated and hasattr(request, "session"):
            now = int(time.time())
            last = request.session.get(LAST_ACTIVITY_KEY)
            started = request.session.get(STARTED_KEY)
            if (last is not None and now - last > settings.SESSION_IDLE_TIMEOUT) or (
                    started is not None and now - started > settings.SESSION_COOKIE_AGE):
                logout(request)
                messages.info(request, _(
                    "You have been logged out after a period without activity. "
                    "Please log in again."))
            elif last is None or now - last >= ACTIVITY_WRITE_INTERVAL:
                request.session[LAST_ACTIVITY_KEY] = now
                request.session.setdefault(STARTED_KEY, now)  # busy sessions end too
        return self.get_response(request)


class TwoFactorMiddleware:
    """Staff pages need a verified second factor; send others to set it up or enter a code."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if (not user.is_authenticated or is_verified(request)
                or request.path_info.startswith(OPEN_PREFIXES) or self._open(request)):
            return self.get_response(request)
        required = selectors.two_factor_required(user)
        if not required and request.session.get(SESSION_OPTIONAL_CHECKED):
            return self.get_response(request)
        has_device = selectors.has_confirmed_device(user)
        if not required and not has_device:
            request.session[SESSION_OPTIONAL_CHECKED] = True  # volunteer without 2FA: fine
            return self.get_response(request)
        target = reverse("security:verify" if has_device else "security:setup")
        if request.method == "GET":
            target += "?" + urlencode({"next": request.get_full_path()})
        return redirect(target)

    @staticmethod
    def _open(request) -> bool:
        try:
            match = resolve(request.path_info)
        except Resolver404:
            return True  # a 404 shows nothing
        return match.view_name in OPEN_URL_NAMES


class SecurityHeadersMiddleware:
    """Headers beyond Django's own: no browser features Samspil does not use, and pages for
    logged-in users are not kept in the browser's cache (a shared computer at a branch)."""

    PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=()"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", self.PERMISSIONS_POLICY)
        response.headers.setdefault("Cross-Origin-Resource-Policy", "same-origin")
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and "Cache-Control" not in response:
            response["Cache-Control"] = "no-store"
        return response
