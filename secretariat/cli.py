"""The ``secretariat`` console command: Django's management commands, plus ``serve``,
``worker`` and ``loaddemo`` (which are management commands of their own)."""

import os
import sys


def main(argv: list[str] | None = None) -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "secretariat.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line([sys.argv[0], *(argv if argv is not None else sys.argv[1:])])
    return 0
