import os
from typing import Any

from django.core.management.base import BaseCommand

from secretariat.demo.loader import load_demo


class Command(BaseCommand):
    help = (
        "Load the demo organisations (QuattroPole, Greater Region Summit secretariat, "
        "Eurometropolis Lille-Kortrijk-Tournai, CEMR). Safe to run again. The demo logins get "
        "the password in DEMO_PASSWORD, or a new random one that is printed."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        logins = load_demo(password=os.environ.get("DEMO_PASSWORD", ""))
        self.stdout.write(self.style.SUCCESS("Demo organisations loaded."))
        self.stdout.write(f"  administrator of all four: {logins.admin}")
        for slug, email in logins.staff.items():
            self.stdout.write(f"  staff of {slug}: {email}")
        if logins.generated:
            self.stdout.write(
                f"  password (random, set DEMO_PASSWORD to choose): {logins.password}"
            )
        else:
            self.stdout.write("  password: the one in DEMO_PASSWORD")
