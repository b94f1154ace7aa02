"""The `samspil` console command: Django's management commands without manage.py.

`samspil retention --dry-run` is `python manage.py retention --dry-run`.
"""

from __future__ import annotations

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "samspil.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["samspil", *sys.argv[1:]])
