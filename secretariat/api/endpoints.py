"""The API of the organisation, its network, bodies and memberships (routers registered in
``api/urls.py``)."""

from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import File, Query, Router, Schema, Status
from ninja.files import UploadedFile

from secretariat.api import schemas
from secretariat.api.common import _access, _user, _values
from secretariat.api.paging import Paging, page
from secretariat.api.schemas import RowId
from secretariat.api.texts import text_maps
from secretariat.core import permissions
from secretariat.core import services as core_services
from secretariat.core.access import Access, access_for, organisations_of
from secretariat.core.permissions import Perm
from secretariat.core.scope import organisation_scope
from secretariat.governance import selectors as governance_selectors
from secretariat.governance import services as governance
from secretariat.governance.models import Body, Membership, Presidency
from secretariat.network import exchange
from secretariat.network import selectors as network_selectors
from secretariat.network import services as network
from secretariat.network.models import Affiliation, Partner, Person

# Organisations ----------------------------------------------------------------------------------

organisations = Router(tags=["organisations"])


def _organisation_out(organisation: Any, access: Access | None) -> dict[str, Any]:
    texts = text_maps([organisation], organisation.languages)[organisation.pk]
    return {
        **{
            f: getattr(organisation, f)
            for f in schemas.OrganisationOut.model_fields
            if hasattr(organisation, f)
        },
        **texts,
        "roles": sorted(access.kinds) if access else [],
    }


@organisations.get("/", response=list[schemas.OrganisationOut])
def organisation_list(request: HttpRequest) -> list[dict[str, Any]]:
    out = []
    for organisation in organisations_of(_user(request)):
        access = access_for(_user(request), organisation.slug)
        with organisation_scope(organisation.pk):  # the address names no organisation
            out.append(_organisation_out(organisation, access))
    return out


@organisations.get("/{slug}", response=schemas.OrganisationOut)
def organisation_get(request: HttpRequest, slug: str) -> dict[str, Any]:
    access = _access(request, slug, Perm.ORG_VIEW)
    return _organisation_out(access.organisation, access)


@organisations.patch("/{slug}", response=schemas.OrganisationOut)
def organisation_patch(
    request: HttpRequest, slug: str, payload: schemas.OrganisationPatch
) -> dict[str, Any]:
    access = _access(request, slug, Perm.ORG_MANAGE)
    core_services.organisation_update(
        organisation=access.organisation, by=_user(request), **_values(payload)
    )
    return _organisation_out(access.organisation, access)


def _import_out(report: exchange.ImportReport) -> Status:
    """The report of the import page as JSON: 200 when imported, 422 (nothing imported) with
    every problem otherwise."""
    body = {
        "file": report.file,
        "created": report.created,
        "updated": report.updated,
        "unchanged": report.unchanged,
        "created_rows": report.created_rows,
        "updated_rows": report.updated_rows,
        "unchanged_rows": report.unchanged_rows,
        "former_rows": report.former_rows,
        "errors": [e.__dict__ for e in report.errors],
        "stopped": report.stopped,
    }
    return Status(200 if report.ok else 422, body)


IMPORT_RESPONSES = {200: schemas.ImportReportOut, 422: schemas.ImportReportOut}


# Partners ---------------------------------------------------------------------------------------

partners = Router(tags=["partners"])


def _partners_out(items: list[Partner], access: Access) -> list[dict[str, Any]]:
    texts = text_maps(items, access.organisation.languages)
    return [
        {
            "id": p.pk,
            "kind": p.kind,
            "country": p.country,
            "subdivision": p.subdivision,
            "member_since": p.member_since,
            "member_until": p.member_until,
            "contribution_share": p.contribution_share,
            "vote_weight": p.vote_weight,
            "website": p.website,
            "identifiers": {i.scheme: i.code for i in p.identifiers.all()},
            **texts[p.pk],
        }
        for p in items
    ]


class PartnerFilters(Paging):
    q: str = ""
    kind: str = ""
    country: str = ""


@partners.get("/{slug}/partners", response=schemas.PartnerList)
def partner_list(request: HttpRequest, slug: str, filters: Query[PartnerFilters]) -> dict[str, Any]:
    access = _access(request, slug, Perm.PARTNER_VIEW)
    queryset = network_selectors.partner_list(
        organisation=access.organisation, q=filters.q, kind=filters.kind, country=filters.country
    )
    count, items, limit, offset = page(queryset.prefetch_related("identifiers"), filters)
    return {"count": count, "limit": limit, "offset": offset, "items": _partners_out(items, access)}


# Before ``/partners/{pk}``, which would take “import” for a key.
@partners.post("/{slug}/partners/import", response=IMPORT_RESPONSES)
def partner_import(request: HttpRequest, slug: str, file: File[UploadedFile]) -> Status:
    """A CSV or XLSX file with the columns of the export (``/o/{slug}/partners/export.csv``):
    rows are matched to partners by id, code or official name and country."""
    access = _access(request, slug, Perm.DATA_IMPORT)
    report = exchange.partners_import(
        organisation=access.organisation, file=file, name=file.name or "", by=_user(request)
    )
    return _import_out(report)


def _partner(access: Access, pk: int) -> Partner:
    return get_object_or_404(Partner, pk=pk)


@partners.get("/{slug}/partners/{pk}", response=schemas.PartnerOut)
def partner_get(request: HttpRequest, slug: str, pk: int) -> dict[str, Any]:
    access = _access(request, slug, Perm.PARTNER_VIEW)
    return _partners_out([_partner(access, pk)], access)[0]


@partners.post("/{slug}/partners", response={201: schemas.PartnerOut})
def partner_create(request: HttpRequest, slug: str, payload: schemas.PartnerIn) -> Status:
    access = _access(request, slug, Perm.PARTNER_CREATE)
    partner = network.partner_create(
        organisation=access.organisation, by=_user(request), **payload.dict()
    )
    return Status(201, _partners_out([partner], access)[0])


@partners.patch("/{slug}/partners/{pk}", response=schemas.PartnerOut)
def partner_patch(
    request: HttpRequest, slug: str, pk: int, payload: schemas.PartnerPatch
) -> dict[str, Any]:
    access = _access(request, slug, Perm.PARTNER_VIEW)
    partner = _partner(access, pk)
    permissions.require(access, Perm.PARTNER_EDIT, partner)
    network.partner_update(partner=partner, by=_user(request), **_values(payload))
    return _partners_out([partner], access)[0]


@partners.delete("/{slug}/partners/{pk}", response={204: None})
def partner_delete(request: HttpRequest, slug: str, pk: int) -> Status:
    """Refused (422) while the partner holds seats in bodies or held a presidency."""
    access = _access(request, slug, Perm.PARTNER_CREATE)
    network.partner_delete(partner=_partner(access, pk), by=_user(request))
    return Status(204, None)


# People -----------------------------------------------------------------------------------------

people = Router(tags=["people"])


class PersonFilters(Paging):
    q: str = ""
    partner: RowId | None = None
    tag: str = ""
    language: str = ""


def _with_details(queryset: models.QuerySet[Person]) -> models.QuerySet[Person]:
    return queryset.prefetch_related("emails", "tags", "affiliations")


@people.get("/{slug}/people", response=schemas.PersonList)
def person_list(request: HttpRequest, slug: str, filters: Query[PersonFilters]) -> dict[str, Any]:
    access = _access(request, slug, Perm.PERSON_VIEW)
    queryset = network_selectors.person_list(
        organisation=access.organisation,
        q=filters.q,
        partner=filters.partner,
        tag=filters.tag,
        language=filters.language,
    )
    count, items, limit, offset = page(_with_details(queryset), filters)
    return {"count": count, "limit": limit, "offset": offset, "items": _people_out(items, access)}


# Before ``/people/{pk}``.
@people.post("/{slug}/people/import", response=IMPORT_RESPONSES)
def person_import(request: HttpRequest, slug: str, file: File[UploadedFile]) -> Status:
    """A CSV or XLSX file with the columns of the export: rows are matched to people by id,
    e-mail address or (people without one) name."""
    access = _access(request, slug, Perm.DATA_IMPORT)
    report = exchange.people_import(
        organisation=access.organisation, file=file, name=file.name or "", by=_user(request)
    )
    return _import_out(report)


def _people_out(items: list[Person], access: Access) -> list[dict[str, Any]]:
    languages = access.organisation.languages
    texts = text_maps(items, languages)
    affiliations = [a for p in items for a in p.affiliations.all()]
    affiliation_texts = text_maps(affiliations, languages)
    return [
        {
            "id": p.pk,
            "given_name": p.given_name,
            "family_name": p.family_name,
            "emails": [e.email for e in p.emails.all()],
            "phones": p.phones,
            "languages": p.languages,
            "legal_basis": p.legal_basis,
            "consent_given_on": p.consent_given_on,
            "tags": [t.name for t in p.tags.all()],
            "affiliations": [
                {
                    "id": a.pk,
                    "partner_id": a.partner_id,
                    "start": a.start,
                    "end": a.end,
                    **affiliation_texts[a.pk],
                }
                for a in p.affiliations.all()
            ],
            **texts[p.pk],
        }
        for p in items
    ]


def _person(access: Access, pk: int) -> Person:
    return get_object_or_404(_with_details(Person.objects.all()), pk=pk)


@people.get("/{slug}/people/{pk}", response=schemas.PersonOut)
def person_get(request: HttpRequest, slug: str, pk: int) -> dict[str, Any]:
    access = _access(request, slug, Perm.PERSON_VIEW)
    return _people_out([_person(access, pk)], access)[0]


@people.post("/{slug}/people", response={201: schemas.PersonOut})
def person_create(request: HttpRequest, slug: str, payload: schemas.PersonIn) -> Status:
    """A partner coordinator's new person is affiliated to their partner, and so stays
    editable by them."""
    access = _access(request, slug, Perm.PERSON_CREATE)
    partner = permissions.partner_of_new_people(access)
    person = network.person_create(
        organisation=access.organisation,
        by=_user(request),
        affiliated_to=_partner(access, partner) if partner is not None else None,
        **payload.dict(),
    )
    return Status(201, _people_out([_person(access, person.pk)], access)[0])


@people.patch("/{slug}/people/{pk}", response=schemas.PersonOut)
def person_patch(
    request: HttpRequest, slug: str, pk: int, payload: schemas.PersonPatch
) -> dict[str, Any]:
    access = _access(request, slug, Perm.PERSON_VIEW)
    person = _person(access, pk)
    permissions.require(access, Perm.PERSON_EDIT, person)
    network.person_update(person=person, by=_user(request), **_values(payload))
    return _people_out([_person(access, pk)], access)[0]


@people.delete("/{slug}/people/{pk}", response={204: None})
def person_delete(request: HttpRequest, slug: str, pk: int) -> Status:
    """Erase a person (right to erasure): the history keeps that it happened, not their data."""
    access = _access(request, slug, Perm.PERSON_VIEW)
    person = _person(access, pk)
    permissions.require(access, Perm.PERSON_EDIT, person)
    network.person_delete(person=person, by=_user(request))
    return Status(204, None)


def _affiliation_out(affiliation: Affiliation, access: Access) -> dict[str, Any]:
    texts = text_maps([affiliation], access.organisation.languages)[affiliation.pk]
    return {
        "id": affiliation.pk,
        "partner_id": affiliation.partner_id,
        "start": affiliation.start,
        "end": affiliation.end,
        **texts,
    }


def _affiliation_values(access: Access, payload: Schema) -> dict[str, Any]:
    """The values of the service, the partner checked: a coordinator affiliates people to the
    partners they coordinate."""
    values = _values(payload)
    if "partner_id" in values:
        partner = Partner.objects.filter(pk=values.pop("partner_id")).first()
        if partner is None:
            raise ValidationError({"partner": ["No such partner in this organisation."]})
        affiliation = Affiliation(organisation=access.organisation, partner=partner)
        permissions.require(access, Perm.AFFILIATION_EDIT, affiliation)
        values["partner"] = partner
    return values


def _editable_person(access: Access, pk: int) -> Person:
    person = _person(access, pk)
    permissions.require(access, Perm.PERSON_EDIT, person)
    return person


@people.post("/{slug}/people/{pk}/affiliations", response={201: schemas.AffiliationOut})
def affiliation_create(
    request: HttpRequest, slug: str, pk: int, payload: schemas.AffiliationIn
) -> Status:
    access = _access(request, slug, Perm.PERSON_VIEW)
    person = _editable_person(access, pk)
    affiliation = network.affiliation_create(
        person=person, by=_user(request), **_affiliation_values(access, payload)
    )
    return Status(201, _affiliation_out(affiliation, access))


@people.patch("/{slug}/people/{pk}/affiliations/{affiliation_pk}", response=schemas.AffiliationOut)
def affiliation_patch(
    request: HttpRequest,
    slug: str,
    pk: int,
    affiliation_pk: int,
    payload: schemas.AffiliationPatch,
) -> dict[str, Any]:
    access = _access(request, slug, Perm.PERSON_VIEW)
    person = _editable_person(access, pk)
    affiliation = get_object_or_404(person.affiliations.all(), pk=affiliation_pk)
    network.affiliation_update(
        affiliation=affiliation, by=_user(request), **_affiliation_values(access, payload)
    )
    return _affiliation_out(affiliation, access)


@people.delete("/{slug}/people/{pk}/affiliations/{affiliation_pk}", response={204: None})
def affiliation_delete(request: HttpRequest, slug: str, pk: int, affiliation_pk: int) -> Status:
    access = _access(request, slug, Perm.PERSON_VIEW)
    person = _editable_person(access, pk)
    affiliation = get_object_or_404(person.affiliations.all(), pk=affiliation_pk)
    network.affiliation_delete(affiliation=affiliation, by=_user(request))
    return Status(204, None)


# Bodies and memberships -------------------------------------------------------------------------

bodies = Router(tags=["bodies"])


def _bodies_out(items: list[Body], access: Access) -> list[dict[str, Any]]:
    texts = text_maps(items, access.organisation.languages)
    return [{"id": b.pk, "kind": b.kind, "short_code": b.short_code, **texts[b.pk]} for b in items]


@bodies.get("/{slug}/bodies", response=schemas.BodyList)
def body_list(request: HttpRequest, slug: str, paging: Query[Paging]) -> dict[str, Any]:
    access = _access(request, slug, Perm.BODY_VIEW)
    count, items, limit, offset = page(
        governance_selectors.body_list(organisation=access.organisation), paging
    )
    return {"count": count, "limit": limit, "offset": offset, "items": _bodies_out(items, access)}


def _body(access: Access, pk: int) -> Body:
    return get_object_or_404(Body, pk=pk)


@bodies.get("/{slug}/bodies/{pk}", response=schemas.BodyOut)
def body_get(request: HttpRequest, slug: str, pk: int) -> dict[str, Any]:
    access = _access(request, slug, Perm.BODY_VIEW)
    return _bodies_out([_body(access, pk)], access)[0]


@bodies.post("/{slug}/bodies", response={201: schemas.BodyOut})
def body_create(request: HttpRequest, slug: str, payload: schemas.BodyIn) -> Status:
    access = _access(request, slug, Perm.BODY_EDIT)
    body = governance.body_create(
        organisation=access.organisation, by=_user(request), **payload.dict()
    )
    return Status(201, _bodies_out([body], access)[0])


@bodies.patch("/{slug}/bodies/{pk}", response=schemas.BodyOut)
def body_patch(
    request: HttpRequest, slug: str, pk: int, payload: schemas.BodyPatch
) -> dict[str, Any]:
    access = _access(request, slug, Perm.BODY_EDIT)
    body = _body(access, pk)
    governance.body_update(body=body, by=_user(request), **_values(payload))
    return _bodies_out([body], access)[0]


@bodies.delete("/{slug}/bodies/{pk}", response={204: None})
def body_delete(request: HttpRequest, slug: str, pk: int) -> Status:
    access = _access(request, slug, Perm.BODY_EDIT)
    governance.body_delete(body=_body(access, pk), by=_user(request))
    return Status(204, None)


class MembershipFilters(Paging):
    body: RowId | None = None
    person: RowId | None = None


def _resolve(access: Access, values: dict[str, Any]) -> dict[str, Any]:
    """Turn ids into this organisation's rows; another organisation's id is simply not found."""
    lookups = {
        "person_id": ("person", Person),
        "partner_id": ("partner", Partner),
        "substitute_for_id": ("substitute_for", Membership),
        "president_id": ("president", Person),
    }
    out: dict[str, Any] = {}
    for key, value in values.items():
        if key in lookups:
            name, model = lookups[key]
            if value is None:
                out[name] = None
                continue
            obj = model._default_manager.filter(pk=value).first()
            if obj is None:
                raise ValidationError({name: [f"No such {name} in this organisation: {value}."]})
            out[name] = obj
        else:
            out[key] = value
    return out


@bodies.get("/{slug}/memberships", response=schemas.MembershipList)
def membership_list(
    request: HttpRequest, slug: str, filters: Query[MembershipFilters]
) -> dict[str, Any]:
    _access(request, slug, Perm.BODY_VIEW)
    queryset = Membership.objects.order_by("body_id", "id")
    if filters.body:
        queryset = queryset.filter(body_id=filters.body)
    if filters.person:
        queryset = queryset.filter(person_id=filters.person)
    count, items, limit, offset = page(queryset, filters)
    return {"count": count, "limit": limit, "offset": offset, "items": items}


def _membership(access: Access, pk: int) -> Membership:
    return get_object_or_404(Membership, pk=pk)


@bodies.get("/{slug}/memberships/{pk}", response=schemas.MembershipOut)
def membership_get(request: HttpRequest, slug: str, pk: int) -> Membership:
    access = _access(request, slug, Perm.BODY_VIEW)
    return _membership(access, pk)


@bodies.post("/{slug}/memberships", response={201: schemas.MembershipOut})
def membership_create(request: HttpRequest, slug: str, payload: schemas.MembershipIn) -> Status:
    access = _access(request, slug, Perm.MEMBERSHIP_EDIT)
    values = payload.dict()
    body = _body(access, values.pop("body_id"))
    membership = governance.membership_create(
        body=body, by=_user(request), **_resolve(access, values)
    )
    return Status(201, membership)


@bodies.patch("/{slug}/memberships/{pk}", response=schemas.MembershipOut)
def membership_patch(
    request: HttpRequest, slug: str, pk: int, payload: schemas.MembershipPatch
) -> Membership:
    access = _access(request, slug, Perm.BODY_VIEW)
    membership = _membership(access, pk)
    permissions.require(access, Perm.MEMBERSHIP_EDIT, membership)
    values = _resolve(access, _values(payload))
    if "partner" in values:
        permissions.require(
            access,
            Perm.MEMBERSHIP_EDIT,
            Membership(organisation=access.organisation, partner=values["partner"]),
        )
    return governance.membership_update(membership=membership, by=_user(request), **values)


@bodies.delete("/{slug}/memberships/{pk}", response={204: None})
def membership_delete(request: HttpRequest, slug: str, pk: int) -> Status:
    """Refused (422) while the member has a substitute, who goes first."""
    access = _access(request, slug, Perm.BODY_VIEW)
    membership = _membership(access, pk)
    permissions.require(access, Perm.MEMBERSHIP_EDIT, membership)
    governance.membership_delete(membership=membership, by=_user(request))
    return Status(204, None)


# The presidency ---------------------------------------------------------------------------------


@bodies.get("/{slug}/presidencies", response=list[schemas.PresidencyOut])
def presidency_list(request: HttpRequest, slug: str) -> list[Presidency]:
    """The terms of the organisation's presidency, the page's order."""
    access = _access(request, slug, Perm.BODY_VIEW)
    return list(governance_selectors.presidency_list(organisation=access.organisation))


@bodies.post("/{slug}/presidencies", response={201: schemas.PresidencyOut})
def presidency_create(request: HttpRequest, slug: str, payload: schemas.PresidencyIn) -> Status:
    """Terms may not overlap (422)."""
    access = _access(request, slug, Perm.PRESIDENCY_EDIT)
    term = governance.presidency_create(
        organisation=access.organisation, by=_user(request), **_resolve(access, payload.dict())
    )
    return Status(201, term)


def _presidency(access: Access, pk: int) -> Presidency:
    return get_object_or_404(Presidency, pk=pk)


@bodies.put("/{slug}/presidencies/{pk}", response=schemas.PresidencyOut)
def presidency_update(
    request: HttpRequest, slug: str, pk: int, payload: schemas.PresidencyIn
) -> Presidency:
    access = _access(request, slug, Perm.PRESIDENCY_EDIT)
    return governance.presidency_update(
        presidency=_presidency(access, pk),
        by=_user(request),
        **_resolve(access, payload.dict()),
    )


@bodies.delete("/{slug}/presidencies/{pk}", response={204: None})
def presidency_delete(request: HttpRequest, slug: str, pk: int) -> Status:
    access = _access(request, slug, Perm.PRESIDENCY_EDIT)
    governance.presidency_delete(presidency=_presidency(access, pk), by=_user(request))
    return Status(204, None)
