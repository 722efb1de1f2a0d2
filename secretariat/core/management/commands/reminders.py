from secretariat.core.management.commands import daily


class Command(daily.Command):
    help = "The former name of `secretariat daily`, kept for existing cron entries and timers."
