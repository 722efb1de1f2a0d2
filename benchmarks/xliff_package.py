"""XLIFF export and import of a 10,000-segment package (5,000 partners, names and short names,
with a glossary of 300 concepts).

    .venv/bin/python benchmarks/xliff_package.py [--postgres]

Target (issue 4): under 3 s each.
"""

import argparse
import io
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.database import setup  # noqa: E402 - after the path


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--postgres", action="store_true")
    args = parser.parse_args()
    database = setup("secretariat_bench_xliff", postgres=args.postgres, fresh=True)

    from django.contrib.contenttypes.models import ContentType

    from secretariat.core import services as core
    from secretariat.core.models import TextVersion
    from secretariat.core.search import search_text
    from secretariat.core.text_rules import digest
    from secretariat.network.models import Partner
    from secretariat.translation import xliff
    from secretariat.translation.models import Concept, Term

    organisation = core.organisation_create(
        by=None,
        slug="bench-xliff",
        name={"fr": "X"},
        short_name="X",
        legal_form="other",
        seat_country="BE",
        languages=["fr", "nl"],
        default_language="fr",
    )
    Partner.objects.bulk_create(
        Partner(
            organisation=organisation,
            kind="municipality",
            country="BE",
            name={"fr": f"Commune numéro {n} de la province"},
            short_name={"fr": f"Commune {n}"},
            search_text=search_text([f"Commune {n}"]),
        )
        for n in range(5000)
    )
    partners = list(Partner.objects.filter(organisation=organisation).order_by("id"))
    # As written through the product: each original has its state row.
    kind = ContentType.objects.get_for_model(Partner)
    TextVersion.objects.bulk_create(
        TextVersion(
            organisation=organisation,
            content_type=kind,
            object_id=partner.pk,
            field=name,
            language="fr",
            origin="author",
            text_digest=digest(getattr(partner, name)["fr"]),
        )
        for partner in partners
        for name in ("name", "short_name")
    )
    # A glossary of 300 concepts, so that export looks up terms as it does in use.
    for n in range(300):
        concept = Concept.objects.create(organisation=organisation)
        Term.objects.create(concept=concept, language="fr", text=f"terme{n} province")
        Term.objects.create(concept=concept, language="nl", text=f"term{n} provincie")
    Term.objects.create(concept=concept, language="fr", text="province")
    began = time.perf_counter()
    units = xliff.units_of(partners, "fr", "nl", organisation)
    content = xliff.export_xliff2(units=units, source="fr", target="nl", file_id="bench")
    exported = time.perf_counter() - began
    filled = content.replace(b"</source>", b"</source><target>Vertaald</target>")
    began = time.perf_counter()
    report = xliff.import_xliff(organisation=organisation, file=io.BytesIO(filled), by=None)
    imported = time.perf_counter() - began
    assert report.ok and report.imported == len(units), report.problems[:3]
    print(f"\n{database}: {len(units):,} segments, {len(content) / 1e6:.1f} MB")
    print(f"{'export':10} {exported:6.2f} s")
    print(f"{'import':10} {imported:6.2f} s")


if __name__ == "__main__":
    main()
