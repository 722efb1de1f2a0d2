"""Run the background task worker (the database queue of django-tasks)."""

from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Run the worker that executes background tasks (mass mail, imports, reports)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--once", action="store_true", help="Run the queued tasks, then stop.")

    def handle(self, *args: Any, once: bool, **options: Any) -> None:
        arguments = ["--batch"] if once else []
        call_command("db_worker", *arguments)
