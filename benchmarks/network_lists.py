"""Latency and query counts of the partner and people lists and the API at CEMR scale."""

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.database import setup  # noqa: E402 - after the path

PG_URL = "postgres://postgres@127.0.0.1:5432/secretariat_bench"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--postgres", action="store_true")
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()
    database = setup("secretariat_bench", postgres=args.postgres, fresh=False)
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from benchmarks.generate import SLUG, generate
    from secretariat.core.models import Organisation, User
    from secretariat.core.tokens import token_create
    from secretariat.network.models import Affiliation, Partner, Person

    organisation = Organisation.objects.filter(slug=SLUG).first()
    if organisation is None:
        started = time.perf_counter()
        organisation = generate()
        print(f"generated in {time.perf_counter() - started:.0f} s")
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    counts = (
        Partner.objects.filter(organisation=organisation).count(),
        Person.objects.filter(organisation=organisation).count(),
        Affiliation.objects.filter(organisation=organisation).count(),
    )
    user = User.objects.get(email="bench@bench.example")
    _token, secret = token_create(user=user, name="bench")
    client = Client(HTTP_AUTHORIZATION=f"Bearer {secret}", HTTP_ACCEPT_LANGUAGE="fr")
    client.force_login(user)
    partner = Partner.objects.filter(organisation=organisation).order_by("id")[2500]
    urls = {
        "partners, first page": f"/o/{SLUG}/partners/",
        "partners, filtered (kind+country, page 3)": f"/o/{SLUG}/partners/?kind=national_association&country=DE&page=3",
        "partners, search": f"/o/{SLUG}/partners/?q=communes+42",
        "people, first page": f"/o/{SLUG}/people/",
        "people, filtered (tag+language, page 3)": f"/o/{SLUG}/people/?tag=press&language=nl&page=3",
        "people, filtered by partner": f"/o/{SLUG}/people/?partner={partner.pk}",
        "people, search": f"/o/{SLUG}/people/?q=ines+martin12",
        "API partners": f"/api/v1/organisations/{SLUG}/partners",
        "API partners, search": f"/api/v1/organisations/{SLUG}/partners?q=communes+42",
        "API people": f"/api/v1/organisations/{SLUG}/people",
        "API people, filtered": f"/api/v1/organisations/{SLUG}/people?tag=press&language=nl&offset=100",
        "API bodies": f"/api/v1/organisations/{SLUG}/bodies",
    }
    print(
        f"\n{database}: {counts[0]:,} partners, {counts[1]:,} people, {counts[2]:,} affiliations; {args.runs} runs each\n"
    )
    print(f"{'request':45} {'median ms':>10} {'p95 ms':>8} {'queries':>8}")
    for label, url in urls.items():
        for _ in range(3):
            assert client.get(url).status_code == 200, url
        times = []
        for _ in range(args.runs):
            with CaptureQueriesContext(connection) as queries:
                started = time.perf_counter()
                response = client.get(url)
                times.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200
        times.sort()
        p95 = times[max(0, round(0.95 * len(times)) - 1)]
        print(f"{label:45} {statistics.median(times):10.1f} {p95:8.1f} {len(queries):8d}")


if __name__ == "__main__":
    main()
