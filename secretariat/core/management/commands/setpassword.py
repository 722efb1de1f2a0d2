"""Set the password a user logs in to the web pages with."""

import getpass
import sys
from typing import Any

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from secretariat.core.models import User


class Command(BaseCommand):
    help = (
        "Set the web login password of a user, found by e-mail address (any case). Asks twice, "
        "or reads one line from standard input with --stdin (for scripts)."
    )
    stealth_options = ("input_stream",)

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("email")
        parser.add_argument(
            "--stdin",
            dest="from_stdin",
            action="store_true",
            help="Read the password from standard input.",
        )

    def handle(self, *args: Any, email: str, **options: Any) -> None:
        user = User.objects.filter(email__iexact=email.strip()).first()
        if user is None:
            raise CommandError(f"No user with the e-mail address {email}.")
        if options["from_stdin"]:
            # Tests give the stream through call_command.
            password = (options.get("input_stream") or sys.stdin).readline().rstrip("\n")
        else:
            password = getpass.getpass(f"Password for {user.email}: ")
            if password != getpass.getpass("The same password again: "):
                raise CommandError("The two passwords differ; nothing was changed.")
        try:
            validate_password(password, user)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        user.set_password(password)
        user.save(update_fields=["password"])
        self.stdout.write(f"The password of {user.email} is set; they can log in on the web.")
