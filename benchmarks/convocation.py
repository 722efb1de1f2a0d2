"""Convocation throughput against a local SMTP server, and dossier generation time.

    .venv/bin/python benchmarks/convocation.py [--postgres]

Convenes a 44-member assembly and a 5,000-member body (each member with an e-mail address, a
preferred language, a salutation) to a meeting with 10 agenda items, sending through a real SMTP
server on loopback (aiosmtpd, accepting and counting), and prints messages per second rendered
and delivered (each with its iCalendar invitation). Then produces a 40-item bilingual dossier as
Word and PDF and prints the times. Targets (issue 3): 200 messages/s; DOCX < 2 s; PDF < 5 s.
"""

import argparse
import datetime
import subprocess
import sys
import time
import zoneinfo
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.database import setup  # noqa: E402 - after the path


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--postgres", action="store_true")
    args = parser.parse_args()
    database = setup("secretariat_bench_mail", postgres=args.postgres, fresh=True)
    import socket

    from django.conf import settings

    from secretariat.core import services as core
    from secretariat.governance import agenda, convocation, dossier
    from secretariat.governance.models import Body, Invitation, ItemKind, Membership
    from secretariat.network.models import EmailAddress, Person

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    # The SMTP server runs in a process of its own, as a mail server does: it accepts and
    # discards (aiosmtpd's Sink handler).
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "aiosmtpd",
            "-n",
            "-l",
            f"127.0.0.1:{port}",
            "-c",
            "aiosmtpd.handlers.Sink",
        ]
    )
    for _ in range(50):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            break
        except OSError:
            time.sleep(0.1)
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_USE_TLS = "127.0.0.1", port, False
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}

    organisation = core.organisation_create(
        by=None,
        slug="bench-mail",
        name={"fr": "Banc d'essai", "de": "Prüfstand"},
        short_name="BENCH",
        legal_form="egtc_lu",
        seat_country="LU",
        languages=["fr", "de"],
        default_language="fr",
        timezone="Europe/Luxembourg",
    )
    tz = zoneinfo.ZoneInfo("Europe/Luxembourg")
    start = datetime.datetime.now(tz).replace(microsecond=0) + datetime.timedelta(days=30)
    print(f"\n{database}")
    print(f"{'body':28} {'members':>8} {'convene s':>10} {'deliver s':>10} {'msg/s':>8}")
    for size, code in ((44, "AG"), (5000, "BIG")):
        body = Body.objects.create(
            organisation=organisation,
            kind="general_assembly",
            short_code=code,
            name={"fr": f"Assemblée {size}", "de": f"Versammlung {size}"},
        )
        people = Person.objects.bulk_create(
            Person(
                organisation=organisation,
                given_name="Membre",
                family_name=f"{code}{n:05d}",
                languages=["de", "fr"] if n % 2 else ["fr", "de"],
                salutation={"fr": "Madame, Monsieur,", "de": "Sehr geehrte Damen und Herren,"},
            )
            for n in range(size)
        )
        EmailAddress.objects.bulk_create(
            EmailAddress(
                organisation=organisation,
                person=p,
                email=f"{p.family_name.lower()}@bench.example",
                is_primary=True,
            )
            for p in people
        )
        Membership.objects.bulk_create(
            Membership(organisation=organisation, body=body, person=p, role="member", voting=True)
            for p in people
        )
        meeting = agenda.meeting_plan(
            body=body,
            by=None,
            title={"fr": "Séance plénière", "de": "Plenarsitzung"},
            start=start,
            end=start + datetime.timedelta(hours=3),
            place="Esch-sur-Alzette",
        )
        for n in range(10):
            agenda.item_add(
                meeting=meeting,
                by=None,
                kind=ItemKind.DECISION if n % 2 else ItemKind.INFORMATION,
                title={"fr": f"Point {n}", "de": f"Punkt {n}"},
                draft_decision={"fr": "Projet de décision.", "de": "Beschlussentwurf."}
                if n % 2
                else {},
            )
        began = time.perf_counter()
        queued = convocation.meeting_convene(meeting=meeting, by=None)
        convened = time.perf_counter() - began
        began = time.perf_counter()
        sent, failed = convocation.deliver_pending(meeting=meeting)
        delivered = time.perf_counter() - began
        assert failed == 0 and sent == queued == size
        assert Invitation.objects.filter(meeting=meeting).count() == size
        print(
            f"{'convocation, ' + str(size) + ' members':28} {size:8d} {convened:10.2f} {delivered:10.2f} {size / delivered:8.0f}"
        )
    server.terminate()

    body = Body.objects.get(organisation=organisation, short_code="AG")
    meeting = agenda.meeting_plan(
        body=body,
        by=None,
        title={"fr": "Dossier de quarante points", "de": "Unterlage mit vierzig Punkten"},
        start=start + datetime.timedelta(days=7),
        end=start + datetime.timedelta(days=7, hours=4),
        place="Metz",
    )
    for n in range(40):
        agenda.item_add(
            meeting=meeting,
            by=None,
            kind=ItemKind.DECISION,
            title={
                "fr": f"Point {n + 1} : délibération sur le projet transfrontalier numéro {n + 1}",
                "de": f"Punkt {n + 1}: Beratung über das grenzüberschreitende Projekt Nummer {n + 1}",
            },
            draft_decision={
                "fr": "L'Assemblée approuve le projet et charge le Secrétariat général de sa mise en œuvre. "
                * 3,
                "de": "Die Versammlung billigt das Projekt und beauftragt das Generalsekretariat mit der Umsetzung. "
                * 3,
            },
        )
    print(f"\n{'dossier, 40 items, fr/de':28} {'seconds':>10} {'bytes':>10}")
    for fmt in ("docx", "pdf"):
        began = time.perf_counter()
        _name, content, _type = dossier.produce(meeting, "dossier", fmt, ["fr", "de"])
        print(f"{fmt:28} {time.perf_counter() - began:10.2f} {len(content):10d}")


if __name__ == "__main__":
    main()
