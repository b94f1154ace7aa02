from django.core.management.base import BaseCommand

from samspil.christmas.retention import prune_applications


class Command(BaseCommand):
    help = (
        "Delete Christmas-aid applications that never became a household (rejected or never "
        "decided), SAMSPIL_CHRISTMAS_RETENTION_MONTHS months (default 3) after their round "
        "closed. Granted applications are kept. Run daily from cron."
    )

    def handle(self, *args, **options):
        count = prune_applications()
        self.stdout.write(f"Deleted {count} applications.")
