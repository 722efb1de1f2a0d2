from typing import Any

from django.core.management.base import BaseCommand

from secretariat.governance import reminders


class Command(BaseCommand):
    help = (
        "Send the day's reminders: convened members who have not answered before their meeting, "
        "owners of follow-up actions that are due. Run it daily (cron, systemd timer)."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        sent = reminders.run()
        self.stdout.write(
            f"Reminders queued for {sent.invitations} members; {sent.actions} action owners reminded."
        )
