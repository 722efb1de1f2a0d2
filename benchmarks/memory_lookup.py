"""Translation memory lookups with 200,000 sentence pairs: median and p95 per lookup.

    .venv/bin/python benchmarks/memory_lookup.py [--postgres]

Target (issue 4): p95 under 50 ms. The first fuzzy lookup of a process loads the direction's
sources (reported separately); later ones reuse them until the memory changes.
"""

import argparse
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.database import setup  # noqa: E402 - after the path

WORDS = [
    "le",
    "la",
    "les",
    "des",
    "du",
    "de",
    "un",
    "une",
    "réunion",
    "assemblée",
    "générale",
    "directoire",
    "budget",
    "programme",
    "travail",
    "projet",
    "coopération",
    "transfrontalière",
    "ville",
    "région",
    "partenaire",
    "décision",
    "conseil",
    "comité",
    "groupe",
    "action",
    "culture",
    "tourisme",
    "mobilité",
    "énergie",
    "inclusion",
    "développement",
    "durable",
    "présidence",
    "secrétariat",
    "rapport",
    "annuel",
    "convention",
    "subvention",
    "fonds",
    "appel",
    "candidature",
    "évaluation",
    "paiement",
    "contribution",
    "membre",
    "délégation",
]


# Administrative prose: a few very common words and a long tail of rarer ones (names, terms,
# references), drawn with a Zipf-like distribution over 20,000 pseudo-words.
RARE = [f"{WORDS[i % len(WORDS)][:5]}{i}" for i in range(20_000)]
WEIGHTS = [1 / (rank + 1) for rank in range(len(WORDS) + len(RARE))]


def sentence(rng: random.Random) -> str:
    vocabulary = WORDS + RARE
    words = rng.choices(vocabulary, weights=WEIGHTS, k=rng.randint(8, 22))
    return " ".join(words).capitalize() + "."


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--postgres", action="store_true")
    parser.add_argument("--size", type=int, default=200_000)
    args = parser.parse_args()
    database = setup("secretariat_bench_tm", postgres=args.postgres, fresh=False)

    from secretariat.core import services as core
    from secretariat.core.models import Organisation
    from secretariat.translation import memory, segments
    from secretariat.translation.models import MemoryOrigin, MemoryUnit

    rng = random.Random(4)
    organisation = Organisation.objects.filter(slug="bench-tm").first()
    if organisation is None:
        organisation = core.organisation_create(
            by=None,
            slug="bench-tm",
            name={"fr": "TM"},
            short_name="TM",
            legal_form="other",
            seat_country="LU",
            languages=["fr", "de"],
            default_language="fr",
        )
        started = time.perf_counter()
        batch = []
        for n in range(args.size):
            source = sentence(rng)
            batch.append(
                MemoryUnit(
                    organisation=organisation,
                    source_language="fr",
                    target_language="de",
                    source_text=source,
                    target_text=f"Übersetzung {n}.",
                    source_key=segments.key(source),
                    target_key=segments.key(f"Übersetzung {n}."),
                    origin=MemoryOrigin.TMX,
                )
            )
            if len(batch) == 5000:
                MemoryUnit.objects.bulk_create(batch)
                batch = []
        MemoryUnit.objects.bulk_create(batch)
        print(f"generated {args.size:,} units in {time.perf_counter() - started:.0f} s")
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    units = list(
        MemoryUnit.objects.filter(organisation=organisation)
        .values_list("source_text", flat=True)
        .order_by("?")[:100]
    )
    count = MemoryUnit.objects.filter(organisation=organisation).count()

    def timed(texts: list[str]) -> list[float]:
        out = []
        for text in texts:
            began = time.perf_counter()
            memory.lookup(
                organisation=organisation, source_language="fr", target_language="de", text=text
            )
            out.append((time.perf_counter() - began) * 1000)
        return sorted(out)

    began = time.perf_counter()
    memory.lookup(
        organisation=organisation,
        source_language="fr",
        target_language="de",
        text="Une phrase pour charger la mémoire.",
    )
    print(
        f"\n{database}: {count:,} units; first lookup (loads the sources) {(time.perf_counter() - began) * 1000:.0f} ms"
    )
    print(f"{'lookup':30} {'median ms':>10} {'p95 ms':>8}")
    exact = timed(units)
    fuzzy_texts = [t[: len(t) // 2] + " modifié " + t[len(t) // 2 :] for t in units]
    fuzzy = timed(fuzzy_texts)
    unmatched = timed([sentence(random.Random(n + 999)) for n in range(100)])
    for label, values in (
        ("exact (known sentence)", exact),
        ("fuzzy (edited sentence)", fuzzy),
        ("no match", unmatched),
    ):
        print(f"{label:30} {statistics.median(values):10.1f} {values[94]:8.1f}")
    found = 0
    for original, edited in zip(units, fuzzy_texts, strict=True):
        matches = memory.lookup(
            organisation=organisation, source_language="fr", target_language="de", text=edited
        )
        found += any(m.source == original for m in matches)
    print(f"edited sentences whose original was among the fuzzy matches: {found} of {len(units)}")


if __name__ == "__main__":
    main()
