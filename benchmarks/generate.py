"""A CEMR-scale organisation for benchmarks: 5,000 partners, 100,000 people, 300,000
affiliations, written with bulk inserts (not through the services, which would take hours)."""

import random
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import transaction

from secretariat.core import text_rules
from secretariat.core.models import Organisation, Role, TextVersion, User
from secretariat.core.search import search_text
from secretariat.network.models import Affiliation, EmailAddress, Partner, Person, Tag

SLUG = "cemr-scale"
COUNTRIES = ["FR", "DE", "BE", "NL", "LU", "IT", "ES", "PL", "SE", "AT"]
GIVEN = [
    "Anna",
    "Jan",
    "Marie",
    "Luc",
    "Eva",
    "Peter",
    "Sofia",
    "Marc",
    "Lena",
    "Tomas",
    "Inès",
    "Jürgen",
]
FAMILY = [
    "Martin",
    "Müller",
    "Peeters",
    "Schmit",
    "Rossi",
    "García",
    "Nowak",
    "Berg",
    "Dupont",
    "Janssen",
    "Weber",
    "Lefèvre",
]
TAGS = ["mayor", "councillor", "expert", "press", "board", "twinning", "equality"]


def _texts(
    rows: list[Any], content_type: ContentType, organisation: Organisation, field: str
) -> list[TextVersion]:
    out = []
    for row in rows:
        values = getattr(row, field)
        source = values["fr"]
        digest = text_rules.digest(source)
        out.append(
            TextVersion(
                organisation=organisation,
                content_type=content_type,
                object_id=row.pk,
                field=field,
                language="fr",
                origin="author",
                text_digest=digest,
            )
        )
        out.append(
            TextVersion(
                organisation=organisation,
                content_type=content_type,
                object_id=row.pk,
                field=field,
                language="en",
                origin="human",
                source_language="fr",
                source_digest=digest,
                text_digest=text_rules.digest(values["en"]),
            )
        )
    return out


def generate(
    *, partners: int = 5_000, people: int = 100_000, affiliations: int = 300_000, seed: int = 7
) -> Organisation:
    rng = random.Random(seed)
    with transaction.atomic():
        organisation = Organisation.objects.create(
            slug=SLUG,
            name={"fr": "CCRE (échelle)", "en": "CEMR (scale)"},
            short_name="CEMR-scale",
            legal_form="aisbl_be",
            seat_country="BE",
            languages=["fr", "en"],
            default_language="fr",
        )
        partner_rows = []
        for i in range(partners):
            country = rng.choice(COUNTRIES)
            name = {
                "fr": f"Association des communes {i} ({country})",
                "en": f"Association of municipalities {i} ({country})",
            }
            partner_rows.append(
                Partner(
                    organisation=organisation,
                    kind="national_association",
                    name=name,
                    short_name={},
                    country=country,
                    search_text=search_text([*name.values(), country]),
                )
            )
        Partner.objects.bulk_create(partner_rows, batch_size=2000)
        partner_rows = list(Partner.objects.filter(organisation=organisation).order_by("id"))
        TextVersion.objects.bulk_create(
            _texts(partner_rows, ContentType.objects.get_for_model(Partner), organisation, "name"),
            batch_size=5000,
        )

        tags = Tag.objects.bulk_create([Tag(organisation=organisation, name=t) for t in TAGS])
        person_rows = []
        for i in range(people):
            given, family = rng.choice(GIVEN), f"{rng.choice(FAMILY)}{i}"
            person_rows.append(
                Person(
                    organisation=organisation,
                    given_name=given,
                    family_name=family,
                    salutation={"fr": f"Madame, Monsieur {family}", "en": f"Dear {given} {family}"},
                    languages=rng.choice(
                        [["fr", "en"], ["en", "fr"], ["de", "en"], ["nl", "fr", "en"]]
                    ),
                    search_text=search_text(
                        [given, family, f"{given}.{family}@bench.example".lower()]
                    ),
                )
            )
        Person.objects.bulk_create(person_rows, batch_size=5000)
        person_ids = list(
            Person.objects.filter(organisation=organisation)
            .order_by("id")
            .values_list("id", "given_name", "family_name")
        )
        EmailAddress.objects.bulk_create(
            [
                EmailAddress(
                    organisation=organisation,
                    person_id=pk,
                    email=f"{g}.{f}@bench.example".lower(),
                    is_primary=True,
                )
                for pk, g, f in person_ids
            ],
            batch_size=5000,
        )
        person_type = ContentType.objects.get_for_model(Person)
        versions = []
        for pk, g, f in person_ids:
            salutation = {"fr": f"Madame, Monsieur {f}", "en": f"Dear {g} {f}"}
            digest = text_rules.digest(salutation["fr"])
            versions.append(
                TextVersion(
                    organisation=organisation,
                    content_type=person_type,
                    object_id=pk,
                    field="salutation",
                    language="fr",
                    text_digest=digest,
                )
            )
            versions.append(
                TextVersion(
                    organisation=organisation,
                    content_type=person_type,
                    object_id=pk,
                    field="salutation",
                    language="en",
                    origin="human",
                    source_language="fr",
                    source_digest=digest,
                    text_digest=text_rules.digest(salutation["en"]),
                )
            )
        TextVersion.objects.bulk_create(versions, batch_size=5000)
        through = Person.tags.through
        through.objects.bulk_create(
            [
                through(person_id=pk, tag_id=t.pk)
                for pk, _g, _f in person_ids
                for t in rng.sample(tags, rng.choice([2, 3]))
            ],
            batch_size=10000,
        )
        partner_ids = [p.pk for p in partner_rows]
        affiliation_rows = []
        for i in range(affiliations):
            pk = person_ids[i % len(person_ids)][0]
            affiliation_rows.append(
                Affiliation(
                    organisation=organisation,
                    person_id=pk,
                    partner_id=rng.choice(partner_ids),
                    function={"fr": "Délégué(e)", "en": "Delegate"},
                )
            )
        Affiliation.objects.bulk_create(affiliation_rows, batch_size=10000)
        user = User.objects.create_user(email="bench@bench.example", password=None)
        Role.objects.create(user=user, organisation=organisation, kind="admin")
    return organisation
