from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from secretariat.core import services
from secretariat.core.models import LegalForm, Organisation, RoleKind
from secretariat.core.scope import organisation_scope


class Command(BaseCommand):
    help = (
        "Create an organisation and give its first administrator (created if needed; set their "
        "password for the web login with `secretariat setpassword EMAIL`)."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("slug")
        parser.add_argument("--name", required=True, help="Name in the default language.")
        parser.add_argument("--short-name", required=True)
        parser.add_argument("--languages", required=True, help="Working languages, e.g. fr,de")
        # argparse formats help with %: a label with a percent sign must not break it.
        forms = "; ".join(f"{f.value}: {f.label}".replace("%", "%%") for f in LegalForm)
        parser.add_argument(
            "--legal-form",
            default=LegalForm.OTHER.value,
            choices=LegalForm.values,
            metavar="CODE",
            help=f"The legal form, one of: {forms} (default: %(default)s).",
        )
        parser.add_argument("--country", required=True, help="Country of the seat, e.g. LU")
        parser.add_argument("--timezone", default="Europe/Brussels")
        parser.add_argument("--admin", required=True, help="E-mail address of the administrator")

    def handle(self, *args: Any, **options: Any) -> None:
        if Organisation.objects.filter(slug=options["slug"]).exists():
            raise CommandError(f"An organisation with the address {options['slug']} exists.")
        languages = [lang.strip() for lang in options["languages"].split(",") if lang.strip()]
        try:
            with transaction.atomic():
                organisation = services.organisation_create(
                    by=None,
                    slug=options["slug"],
                    name={languages[0]: options["name"]} if languages else {},
                    short_name=options["short_name"],
                    languages=languages,
                    default_language=languages[0] if languages else "",
                    legal_form=options["legal_form"],
                    seat_country=options["country"],
                    timezone=options["timezone"],
                )
                user = services.user_for_email(email=options["admin"])
                with organisation_scope(organisation.pk):
                    services.role_grant(
                        organisation=organisation, user=user, kind=RoleKind.ADMIN, by=None
                    )
        except ValidationError as error:
            raise CommandError("; ".join(error.messages)) from error
        self.stdout.write(f"Created {organisation.short_name}, administered by {user.email}.")
