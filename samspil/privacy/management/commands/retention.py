"""Apply the retention periods (docs/operations.md: run nightly with --apply)."""

from django.core.management.base import BaseCommand, CommandError

from samspil.privacy import services

LABELS = {
    "christmas_applications": "Christmas-aid applications (never a household), "
                              "CHRISTMAS_RETENTION_MONTHS after the round",
    "households": "households (erased, anonymous figures kept), "
                  "HOUSEHOLD_RETENTION_YEARS after their last engagement or activity",
    "public_form_counters": "rate-limit counters of public forms (ended windows)",
    "audit_events": "audit entries older than AUDIT_RETENTION_MONTHS (checkpoint kept)",
}


class Command(BaseCommand):
    help = "Report (--dry-run) or delete (--apply) what the retention periods say must go."

    def add_arguments(self, parser):
        group = parser.add_mutually_exclusive_group()
        group.add_argument("--dry-run", action="store_true", help="Report only (the default).")
        group.add_argument("--apply", action="store_true", help="Delete.")

    def handle(self, *args, **options):
        if not (options["dry_run"] or options["apply"]):
            raise CommandError("Say --dry-run or --apply.")
        report = services.retention_run(apply=options["apply"])
        verb = "deleted" if options["apply"] else "would delete"
        for key, count in report.counts.items():
            self.stdout.write(f"{verb} {count:>7}  {LABELS[key]}")
