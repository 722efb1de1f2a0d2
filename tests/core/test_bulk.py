"""The many-row writes used by imports, on SQLite and (in CI) PostgreSQL."""

import pytest
from django.contrib.contenttypes.models import ContentType

from secretariat.core import bulk
from secretariat.core.models import AuditEntry
from secretariat.network.models import Partner
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
