"""Verify the audit log's hash chain; exit 1 and name the first broken link if it is broken."""

from django.core.management.base import BaseCommand, CommandError

from samspil.core import audit_chain


class Command(BaseCommand):
    help = "Verify the audit log's hash chain and report the first broken link."

    def handle(self, *args, **options):
        result = audit_chain.verify()
        if not result.ok:
            raise CommandError(f"Audit chain broken at entry {result.broken_id}: {result.reason} "
                               f"({result.checked} entries before it are intact).")
        self.stdout.write(f"Audit chain intact: {result.checked} entries verified.")
