"""Demo data only: the demo's staff users get an authenticator device with one fixed, publicly
documented key, so the demo and the browser journeys can log in without a phone
(`manage.py demo_totp <username>` prints the current code). Never used outside seed_demo."""

from __future__ import annotations

from django_otp.plugins.otp_totp.models import TOTPDevice

from samspil.security import selectors

# 20 bytes, the length RFC 4226 recommends. Public: it protects nothing but demo data.
DEMO_TOTP_KEY = b"samspil-demo-totp-26".hex()
DEMO_DEVICE_NAME = "demo"


def seed(users) -> list:
    """A confirmed demo device for each user whose role requires two-factor login."""
    seeded = []
    for user in users:
        if not selectors.two_factor_required(user):
            continue
        device, _ = TOTPDevice.objects.get_or_create(
            user=user, name=DEMO_DEVICE_NAME,
            defaults={"key": DEMO_TOTP_KEY, "confirmed": True},
        )
        if device.key != DEMO_TOTP_KEY or not device.confirmed:
            device.key, device.confirmed = DEMO_TOTP_KEY, True
            device.save(update_fields=["key", "confirmed"])
        seeded.append(user)
    return seeded
