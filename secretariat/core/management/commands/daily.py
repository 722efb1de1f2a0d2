from typing import Any

from django.core.management.base import BaseCommand, CommandError

from secretariat.core import daily


class Command(BaseCommand):
    help = (
        "Run the daily jobs of every app: reminders (convened members who have not answered "
        "before their meeting, owners of follow-up actions that are due, members who have not "
        "answered a written procedure whose deadline nears), closing the written procedures "
        "whose deadline has passed, and giving up machine translations whose engine never "
        "called back. What failed is named on standard error and tried again on the next run. "
        "Each organisation's jobs run in its own scope, one line each. Run it daily (cron, "
        "systemd timer)."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        stopped = []
        for report in daily.run_all():
            if report.outcome is None:
                stopped.append(f"{report.job.name} ({report.organisation})")
                self.stderr.write(
                    f"{report.organisation}: {report.job.name} stopped with an error (see the log)."
                )
                continue
            self.stdout.write(f"{report.organisation}: {report.outcome.summary}")
            for failure in report.outcome.failures:
                self.stderr.write(f"Failed, tried again on the next run: {failure}")
        if stopped:
            raise CommandError(f"Daily jobs stopped with an error: {', '.join(stopped)}.")
