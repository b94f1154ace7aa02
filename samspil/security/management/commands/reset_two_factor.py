from django.core.management.base import BaseCommand, CommandError

from samspil.core.models import User
from samspil.security import services


class Command(BaseCommand):
    help = (
        "Remove a user's two-factor devices (lost phone and backup codes). At the next login "
        "the user sets up an authenticator app again. Check who is asking before you run it."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")

    def handle(self, *args, username: str, **options):
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"No user {username!r}.")
        removed = services.reset(user)
        self.stdout.write(f"Removed {removed} two-factor device(s) of {username}.")
