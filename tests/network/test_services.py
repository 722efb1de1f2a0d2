import pytest
from django.core.exceptions import ValidationError

from secretariat.core import audit
from secretariat.core.models import AuditEntry
from secretariat.network import selectors, services
from secretariat.network.models import Person
from tests import factories


def test_duplicate_email_in_one_organisation_is_refused_whatever_the_case(org, staff) -> None:
    factories.person(org, emails=["claire.weber@trier.example"])
    with pytest.raises(ValidationError) as error:
        factories.person(org, emails=["Claire.Weber@Trier.example"])
    assert "already belongs to someone else" in str(error.value)
    assert Person.objects.filter(organisation=org).count() == 1


def test_the_same_email_may_exist_in_two_organisations(org, other_org) -> None:
    factories.person(org, emails=["jan.peeters@kortrijk.example"])
    factories.person(other_org, emails=["jan.peeters@kortrijk.example"])
    assert Person.objects.count() == 2


@pytest.mark.parametrize(
    ("country", "subdivision", "field"),
    [("XX", "", "country"), ("FR", "DE-SL", "subdivision"), ("BE", "BE-XYZ", "subdivision")],
)
def test_unknown_country_or_subdivision_codes_are_refused(org, country, subdivision, field) -> None:
    with pytest.raises(ValidationError) as error:
        factories.partner(org, country=country, subdivision=subdivision)
    assert field in error.value.message_dict


def test_real_subdivisions_of_the_greater_region_are_accepted(org) -> None:
    for country, code in [
        ("FR", "FR-57"),
        ("DE", "DE-SL"),
        ("DE", "DE-RP"),
        ("BE", "BE-WAL"),
        ("LU", "LU-LU"),
    ]:
        assert factories.partner(org, country=country, subdivision=code.lower()).subdivision == code


def test_membership_of_a_partner_that_ends_before_it_starts_is_refused(org) -> None:
    with pytest.raises(ValidationError) as error:
        factories.partner(org, member_since="2020-01-01", member_until="2019-12-31")
    assert "member_until" in error.value.message_dict


def test_all_problems_are_reported_at_once(org) -> None:
    with pytest.raises(ValidationError) as error:
        services.person_create(
            organisation=org,
            by=None,
            family_name="",
            given_name="",
            emails=["not-an-email"],
            languages=["xx"],
            legal_basis="consent",
        )
    assert set(error.value.message_dict) >= {
        "family_name",
        "emails",
        "languages",
        "consent_given_on",
    }


def test_every_write_is_audited_with_old_and_new_values(org, staff) -> None:
    partner = factories.partner(org, name={"fr": "Ville de Metz"}, website="")
    services.partner_update(
        partner=partner, by=staff, website="https://metz.fr", name={"fr": "Metz"}
    )
    entry = audit.entries_for(partner).filter(action="update").get()
    assert entry.actor == staff
    assert entry.changes["website"] == ["", "https://metz.fr"]
    assert entry.changes["name"] == [{"fr": "Ville de Metz"}, {"fr": "Metz"}]
    pk = partner.pk
    services.partner_delete(partner=partner, by=staff)
    assert AuditEntry.objects.filter(
        content_type__model="partner", object_id=pk, action="delete"
    ).exists()


def test_an_unchanged_save_records_nothing(org, staff) -> None:
    partner = factories.partner(org, name={"fr": "Ville de Metz"})
    services.partner_update(partner=partner, by=staff, name={"fr": "Ville de Metz"})
    assert not audit.entries_for(partner).filter(action="update").exists()


def test_affiliation_dates_and_partner_of_the_same_organisation(org, other_org) -> None:
    person = factories.person(org)
    with pytest.raises(ValidationError) as error:
        services.affiliation_create(person=person, partner=factories.partner(other_org), by=None)
    assert "partner" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        services.affiliation_create(
            person=person,
            partner=factories.partner(org),
            start="2024-05-01",
            end="2024-04-30",
            by=None,
        )
    assert "end" in error.value.message_dict


def test_search_ignores_accents_and_case_in_every_language(org) -> None:
    factories.partner(org, name={"fr": "Ville de Trèves", "de": "Stadt Trier"})
    factories.partner(org, name={"fr": "Ville de Sarrebruck", "de": "Landeshauptstadt Saarbrücken"})
    assert [str(p) for p in selectors.partner_list(organisation=org, q="treves")] == [
        "Ville de Trèves"
    ]
    assert [str(p) for p in selectors.partner_list(organisation=org, q="SAARBRUCKEN")] == [
        "Ville de Sarrebruck"
    ]
    factories.person(org, given_name="Jürgen", family_name="Groß", emails=["j.gross@sb.example"])
    assert selectors.person_list(organisation=org, q="gross jurgen").count() == 1
    assert selectors.person_list(organisation=org, q="j.gross@sb").count() == 1


def test_people_are_filtered_by_preferred_language_and_tag(org) -> None:
    factories.person(org, languages=["lb", "fr", "de"], tags=["mayor"])
    factories.person(org, languages=["de", "fr"])
    assert selectors.person_list(organisation=org, language="lb").count() == 1
    assert selectors.person_list(organisation=org, language="fr").count() == 0
    assert selectors.person_list(organisation=org, tag="mayor").count() == 1


def test_the_language_to_write_to_someone_is_their_first_working_language(org) -> None:
    person = factories.person(org, languages=["lb", "de", "fr"])
    assert person.preferred_language == "lb"
    assert person.language_in(org.languages, org.default_language) == "de"
