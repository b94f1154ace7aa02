from django.core.management.base import BaseCommand, CommandError
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from samspil.core.models import User
from samspil.security.demo import DEMO_DEVICE_NAME


class Command(BaseCommand):
    help = (
        "Print the code a demo user's authenticator app would show now (demo data only: the "
        "demo device's key is fixed and public, see docs/security.md)."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")

    def handle(self, *args, username: str, **options):
        device = TOTPDevice.objects.filter(
            user__in=User.objects.filter(username=username), name=DEMO_DEVICE_NAME,
            confirmed=True).first()
        if device is None:
            raise CommandError(f"{username} has no demo two-factor device (run seed_demo).")
        totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
        # The next code the device accepts: not one already used (django-otp refuses replays).
        counter = max(totp.t(), device.last_t + 1)
        totp.drift += counter - totp.t()
        self.stdout.write(f"{totp.token():0{device.digits}d}")
