from django.core.management.base import BaseCommand

from samspil.core import demo


class Command(BaseCommand):
    help = (
        "Create the synthetic demo: organisations, branches, one user per role and about 200 "
        "households. Safe to run again: users get their demo password back, households are "
        "created only the first time."
    )

    def add_arguments(self, parser):
        parser.add_argument("--households", type=int, default=200)

    def handle(self, *args, households: int, **options):
        users, created = demo.seed(households=households)
        from samspil.security import demo as security_demo  # demo 2FA devices (fixed key)

        with_totp = {u.pk for u in security_demo.seed(users)}
        self.stdout.write(f"Demo households created now: {created}")
        self.stdout.write("")
        self.stdout.write(f"Demo logins (password for all: {demo.DEMO_PASSWORD}):")
        for user in users:
            role = user.get_role_display() if user.role else "platform administrator (admin)"
            org = f" — {user.organisation}" if user.organisation else ""
            branches = ", ".join(b.name for b in user.branches.all())
            where = f" ({branches})" if branches else ""
            self.stdout.write(f"  {user.username:<20} {role}{org}{where}")
        self.stdout.write("")
        self.stdout.write(
            f"Two-factor login for the {len(with_totp)} staff users: the demo authenticator key "
            "is fixed; `manage.py demo_totp <username>` prints the current code.")
        self._public_pages()

    def _public_pages(self):
        """The addresses of the pages families see (no login), so a tester can open them."""
        from django.urls import reverse

        from samspil.activities.models import Activity
        from samspil.christmas.models import Round

        rounds = Round.objects.order_by("-year", "name")
        activities = Activity.objects.filter(public_signup=True).order_by("title")
        if not rounds and not activities:
            return
        self.stdout.write("")
        self.stdout.write("Pages for families (no login):")
        for round in rounds:
            url = reverse("christmas:apply", kwargs={"slug": round.slug})
            self.stdout.write(f"  {round.name}: {url}")
        for activity in activities:
            url = reverse("activities:public_signup", kwargs={"key": activity.public_key})
            self.stdout.write(f"  {activity.title}: {url}")
