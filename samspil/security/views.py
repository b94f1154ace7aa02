"""Two-factor login pages and password reset (Django's views, Samspil's templates)."""

from __future__ import annotations

import segno
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from samspil.security import selectors, services
from samspil.security.forms import CodeForm
from samspil.security.middleware import is_verified


def _next(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                       require_https=request.is_secure()):
        return target
    return reverse("home")


def _refused_message(exc: services.CodeRefused) -> str:
    if exc.throttled:
        return _("Too many wrong codes. Wait a minute and try again with a new code.")
    return _("That code is not right. Try the newest code from your app, or a backup code.")


@login_required
def verify(request):
    """The second step of the login: a code from the app or a backup code."""
    if is_verified(request):
        return redirect(_next(request))
    if not selectors.has_confirmed_device(request.user):
        return redirect(reverse("security:setup") + "?" + request.GET.urlencode())
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.verify(request, form.cleaned_data["code"])
        except services.CodeRefused as exc:
            form.add_error("code", _refused_message(exc))
        else:
            return redirect(_next(request))
    return render(request, "security/verify.html", {"form": form, "next": _next(request)})


@login_required
def setup(request):
    """Set up an authenticator app: scan the QR code or type the key, then confirm a code."""
    if selectors.has_confirmed_device(request.user) and not is_verified(request):
        return redirect(reverse("security:verify") + "?" + request.GET.urlencode())
    device = services.pending_totp_device(request.user)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            codes = services.confirm_totp_device(request, form.cleaned_data["code"])
        except services.CodeRefused as exc:
            form.add_error("code", _refused_message(exc))
        else:
            return render(request, "security/backup_codes.html",
                          {"codes": codes, "next": _next(request), "first_time": True})
    qr = segno.make(device.config_url, error="m").svg_inline(
        scale=5, border=4, dark="#000", light="#fff", omitsize=False)
    return render(request, "security/setup.html", {
        "form": form, "qr": mark_safe(qr),  # noqa: S308 — segno's own SVG, no user text
        "key": services.base32_key(device), "next": _next(request),
        "required": selectors.two_factor_required(request.user),
    })


@login_required
def overview(request):
    """The user's own two-factor login: on or off, backup codes left."""
    return render(request, "security/overview.html", {
        "enabled": selectors.has_confirmed_device(request.user),
        "has_app": selectors.confirmed_totp_device(request.user) is not None,
        "codes_left": selectors.backup_codes_left(request.user),
        "required": selectors.two_factor_required(request.user),
    })


@login_required
@require_POST
def backup_codes(request):
    """New backup codes (the old ones stop working), shown once."""
    if not selectors.has_confirmed_device(request.user):
        return redirect("security:setup")
    codes = services.new_backup_codes(request.user)
    return render(request, "security/backup_codes.html",
                  {"codes": codes, "next": reverse("security:overview"), "first_time": False})


# Password reset: Django's views. The same answer whether or not the address belongs to someone.
password_reset = auth_views.PasswordResetView.as_view(
    template_name="security/password_reset_form.html",
    email_template_name="security/password_reset_email.txt",
    subject_template_name="security/password_reset_subject.txt",
    success_url=reverse_lazy("security:password_reset_done"),
)
password_reset_done = auth_views.PasswordResetDoneView.as_view(
    template_name="security/password_reset_done.html")
password_reset_confirm = auth_views.PasswordResetConfirmView.as_view(
    template_name="security/password_reset_confirm.html",
    success_url=reverse_lazy("security:password_reset_complete"),
)
password_reset_complete = auth_views.PasswordResetCompleteView.as_view(
    template_name="security/password_reset_complete.html")
