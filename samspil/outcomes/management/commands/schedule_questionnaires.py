from django.core.management.base import BaseCommand

from samspil.core.models import Organisation
from samspil.outcomes import services


class Command(BaseCommand):
    help = (
        "Make questionnaires due: for every started engagement, one per measurement point "
        "(start, end, +12 and +24 months; outcomes/schedule.py) whose date is known and that "
        "does not exist yet. Safe to run again; run it daily (docs/outcomes.md)."
    )

    def handle(self, *args, **options):
        total = 0
        for organisation in Organisation.objects.order_by("id"):
            total += services.questionnaires_schedule(organisation_id=organisation.pk)
        self.stdout.write(f"Questionnaires made due: {total}")
