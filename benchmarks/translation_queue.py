"""The translation work queue at CEMR scale: 100,000 originals (50,000 partners, official and
short names) in an organisation working in French, German, Dutch and English, a quarter of them
translated into German (some reviewed, some machine-made, some outdated since).

    .venv/bin/python benchmarks/translation_queue.py [--postgres]

Prints median and p95 of the first queue page, a later page, the page filtered by state and the
counts per language and state, through the service (what the page and the API call).
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.database import setup  # noqa: E402 - after the path

PARTNERS = int(os.environ.get("BENCH_PARTNERS", "50000"))
RUNS = 10


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--postgres", action="store_true")
    args = parser.parse_args()
    database = setup("secretariat_bench_queue", postgres=args.postgres, fresh=True)

    from django.contrib.contenttypes.models import ContentType
    from django.db import connection

    from secretariat.core import services as core
    from secretariat.core.models import TextVersion
    from secretariat.core.text_rules import digest
    from secretariat.network.models import Partner
    from secretariat.translation import queue

    organisation = core.organisation_create(
        by=None,
        slug="bench-queue",
        name={"fr": "Q"},
        short_name="Q",
        legal_form="other",
        seat_country="BE",
        languages=["fr", "de", "nl", "en"],
        default_language="fr",
    )
    began = time.perf_counter()
    Partner.objects.bulk_create(
        (
            Partner(
                organisation=organisation,
                kind="municipality",
                country="BE",
                name={
                    "fr": f"Commune numéro {n}",
                    **({"de": f"Gemeinde Nr. {n}"} if n % 4 == 0 else {}),
                },
                short_name={"fr": f"C{n}"},
            )
            for n in range(PARTNERS)
        ),
        batch_size=2000,
    )
    kind = ContentType.objects.get_for_model(Partner)
    rows = []
    for pk, name in Partner.objects.filter(organisation=organisation).values_list("pk", "name"):
        for field, text in (("name", name["fr"]), ("short_name", None)):
            rows.append(
                TextVersion(
                    organisation=organisation,
                    content_type=kind,
                    object_id=pk,
                    field=field,
                    language="fr",
                    origin="author",
                    text_digest=digest(text or "x"),
                )
            )
        if "de" in name:
            n = len(rows)
            rows.append(
                TextVersion(
                    organisation=organisation,
                    content_type=kind,
                    object_id=pk,
                    field="name",
                    language="de",
                    source_language="fr",
                    # a third outdated, a third machine, a third reviewed
                    source_digest=digest(name["fr"]) if n % 3 else "old",
                    origin="machine" if n % 3 == 1 else "human",
                    text_digest=digest(name["de"]),
                    reviewed_at=None if n % 3 != 2 else organisation.created_at,
                )
            )
    TextVersion.objects.bulk_create(rows, batch_size=2000)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    print(
        f"\n{database}: {len(rows):,} language versions, generated in {time.perf_counter() - began:.0f} s"
    )

    def measure(label: str, call: object) -> None:
        times = []
        for _ in range(RUNS + 1):
            start = time.perf_counter()
            call()  # type: ignore[operator]
            times.append((time.perf_counter() - start) * 1000)
        times = sorted(times[1:])
        p95 = times[min(len(times) - 1, round(0.95 * len(times)) - 1)]
        print(
            f"{label:32} median {statistics.median(times):7.1f} ms   p95 {p95:7.1f} ms", flush=True
        )

    measure("queue de, first page", lambda: queue.page(organisation, "de"))
    measure("queue de, page 500", lambda: queue.page(organisation, "de", number=500))
    measure(
        "queue de, outdated only", lambda: queue.page(organisation, "de", statuses=["outdated"])
    )
    measure("counts, 4 languages", lambda: queue.counts(organisation))


if __name__ == "__main__":
    main()
