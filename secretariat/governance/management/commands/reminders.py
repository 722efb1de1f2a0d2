from typing import Any

from django.core.management.base import BaseCommand

from secretariat.core.scope import each_organisation
from secretariat.governance import reminders


class Command(BaseCommand):
    help = (
        "Send the day's reminders: convened members who have not answered before their meeting, "
        "owners of follow-up actions that are due, members who have not answered a written "
        "procedure whose deadline nears; close the written procedures whose deadline has passed; "
        "and mark failed the machine translations whose engine never called back. Run it daily "
        "(cron, systemd timer)."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        from secretariat.translation.machine import expire_pending

        sent, expired = reminders.Sent(), 0
        for _organisation in each_organisation():
            done = reminders.run()
            expired += expire_pending()
            sent.invitations += done.invitations
            sent.actions += done.actions
            sent.procedures_closed += done.procedures_closed
            sent.procedures_reminded += done.procedures_reminded
            sent.failures.extend(done.failures)
        self.stdout.write(
            f"Reminders queued for {sent.invitations} members; {sent.actions} action owners "
            f"reminded; {sent.procedures_closed} written procedures closed and "
            f"{sent.procedures_reminded} members reminded of one; {expired} machine translations "
            "without an answer marked failed."
        )
        for failure in sent.failures:
            self.stderr.write(f"Failed, tried again on the next run: {failure}")
