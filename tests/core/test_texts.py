import pytest
from django.core.exceptions import ValidationError

from secretariat.core import texts
from secretariat.core.models import TextVersion
from secretariat.core.text_rules import Status
from secretariat.network import services
from tests import factories


def test_editing_the_source_marks_other_versions_outdated_in_the_database(org, staff) -> None:
    partner = factories.partner(org, name={"fr": "Ville de Metz", "de": "Stadt Metz"})
    assert texts.statuses_of(partner)["name"] == {"fr": Status.ORIGINAL, "de": Status.UNREVIEWED}
    services.partner_update(partner=partner, by=staff, name={"fr": "Ville de Metz (Moselle)"})
    partner.refresh_from_db()
    assert partner.name == {"fr": "Ville de Metz (Moselle)", "de": "Stadt Metz"}
    assert texts.statuses_of(partner)["name"]["de"] == Status.OUTDATED


def test_review_marks_the_version_reviewed_and_records_who(org, staff) -> None:
    partner = factories.partner(org, name={"fr": "Ville de Trèves", "de": "Stadt Trier"})
    assert (
        texts.text_review(obj=partner, field_name="name", language="de", by=staff)
        == Status.REVIEWED
    )
    row = TextVersion.objects.get(
        object_id=partner.pk, content_type__model="partner", field="name", language="de"
    )
    assert row.reviewed_by == staff
    assert texts.statuses_of(partner)["name"]["de"] == Status.REVIEWED
    with pytest.raises(ValidationError):
        texts.text_review(obj=partner, field_name="name", language="fr", by=staff)


def test_a_language_outside_the_working_languages_is_refused_and_nothing_changes(
    org, staff
) -> None:
    partner = factories.partner(org, name={"fr": "Ville de Metz"})
    with pytest.raises(ValidationError) as error:
        services.partner_update(partner=partner, by=staff, name={"fr": "Metz", "nl": "Stad Metz"})
    assert "nl" in str(error.value) and "fr, de" in str(error.value)
    partner.refresh_from_db()
    assert partner.name == {"fr": "Ville de Metz"}


def test_the_error_is_in_the_users_language(org, staff) -> None:
    from django.utils import translation

    partner = factories.partner(org, name={"fr": "Ville de Metz"})
    with translation.override("de"), pytest.raises(ValidationError) as error:
        services.partner_update(partner=partner, by=staff, name={"nl": "Stad Metz"})
    assert "keine Arbeitssprache" in str(error.value)


def test_createorganisation_command_refuses_bad_input_and_creates_good(db) -> None:
    from django.core.management import CommandError, call_command

    from secretariat.core.models import Organisation

    with pytest.raises(CommandError, match="working languages"):
        call_command(
            "createorganisation",
            "x",
            name="X",
            short_name="X",
            languages="fr,xx",
            country="LU",
            admin="a@x.example",
        )
    call_command(
        "createorganisation",
        "gect-test",
        name="GECT test",
        short_name="GECT",
        languages="fr,de",
        country="LU",
        admin="boss@gect.example",
    )
    organisation = Organisation.objects.get(slug="gect-test")
    assert organisation.languages == ["fr", "de"]
    assert organisation.roles.get().user.email == "boss@gect.example"
