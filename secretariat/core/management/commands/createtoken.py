from typing import Any

from django.core.management.base import BaseCommand, CommandError

from secretariat.core.models import User
from secretariat.core.tokens import token_create


class Command(BaseCommand):
    help = "Create an API token for a user and print it (it is shown only once)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("email")
        parser.add_argument("--name", default="command line")

    def handle(self, *args: Any, email: str, name: str, **options: Any) -> None:
        user = User.objects.filter(email__iexact=email).first()
        if user is None:
            raise CommandError(f"No user with the e-mail address {email}.")
        _token, secret = token_create(user=user, name=name)
        self.stdout.write(secret)
