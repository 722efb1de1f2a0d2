"""The many-row writes used by imports, on SQLite and (in CI) PostgreSQL."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from secretariat.core import bulk
from secretariat.core.models import AuditEntry
from secretariat.network.models import Partner
from secretariat.translation.models import MemoryUnit
from tests import factories

pytestmark = pytest.mark.django_db


def test_json_fields_of_many_rows_are_written_in_one_go_and_nothing_else_changes():
    org = factories.organisation(languages=("fr", "de"))
    partners = [factories.partner(org, website=f"https://p{n}.example") for n in range(3)]
    for n, partner in enumerate(partners):
        partner.name = {"fr": f"Ville «{n}» d'été", "de": f'Stadt "{n}" \\ Ü'}
    bulk.update_json_fields(Partner, partners, ["name"])
    for n, stored in enumerate(Partner.objects.filter(organisation=org).order_by("pk")):
        assert stored.name == {"fr": f"Ville «{n}» d'été", "de": f'Stadt "{n}" \\ Ü'}
        assert stored.website == f"https://p{n}.example"


def test_inserted_rows_read_back_with_their_json_and_dates():
    org = factories.organisation()
    kind = ContentType.objects.get_for_model(Partner)
    bulk.insert(
        AuditEntry,
        [
            AuditEntry(
                organisation=org,
                action="update",
                content_type=kind,
                object_id=n,
                object_repr=f"Ville {n}",
                changes={"name": [{"fr": "a"}, {"fr": f"b{n}"}]},
            )
            for n in range(5)
        ],
    )
    stored = list(
        AuditEntry.objects.filter(organisation=org, action="update").order_by("object_id")
    )
    assert [e.changes["name"][1]["fr"] for e in stored] == [f"b{n}" for n in range(5)]
    assert all(e.at is not None for e in stored)


def test_new_rows_are_inserted_in_order_and_those_a_constraint_refuses_left_out_and_not_counted():
    org = factories.organisation()
    at = timezone.now().replace(microsecond=0)
    names = ["source_language", "target_language", "source_key", "target_key", "source_text"]
    same = {
        "organisation": org.pk,
        "target_text": "Gleich",
        "origin": "tmx",
        "note": "",
        "created_at": at,
    }
    rows = [("fr", "de", f"s{n}", "t", f"Texte {n} « d'été »") for n in (1, 2, 3)]
    assert bulk.insert_new(MemoryUnit, rows, names=names, same=same) == 3
    again = [("fr", "de", "s2", "t", "Autre"), ("fr", "de", "s4", "t", "Texte 4")]
    assert bulk.insert_new(MemoryUnit, again, names=names, same=same) == 1
    assert bulk.insert_new(MemoryUnit, [], names=names, same=same) == 0
    stored = list(MemoryUnit.objects.filter(organisation=org).order_by("id"))
    assert [u.source_text for u in stored] == [
        "Texte 1 « d'été »",
        "Texte 2 « d'été »",
        "Texte 3 « d'été »",
        "Texte 4",
    ]
    assert {(u.target_text, u.origin, u.created_at) for u in stored} == {("Gleich", "tmx", at)}
