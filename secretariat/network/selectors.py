"""Reads of the network, always within one organisation."""

from typing import Any

from django.db.models import Count, Prefetch, QuerySet
from django.db.models.fields.json import KeyTextTransform
from django.db.models.functions import Coalesce, Lower

from secretariat.core.models import Organisation
from secretariat.core.search import fold
from secretariat.network.models import Affiliation, EmailAddress, Partner, Person, Tag


def _search(queryset: QuerySet[Any], q: str) -> QuerySet[Any]:
    for word in fold(q).split():
        queryset = queryset.filter(search_text__contains=word)
    return queryset


def partner_list(
    *,
    organisation: Organisation,
    q: str = "",
    kind: str = "",
    country: str = "",
    language: str = "",
    current_only: bool = False,
) -> QuerySet[Partner]:
    queryset = Partner.objects.filter(organisation=organisation)
    if q:
        queryset = _search(queryset, q)
    if kind:
        queryset = queryset.filter(kind=kind)
    if country:
        queryset = queryset.filter(country=country.upper())
    if current_only:
        queryset = queryset.filter(member_until__isnull=True)
    # Sort by the name in the reader's language, else the organisation's default.
    language = language if language in organisation.languages else organisation.default_language
    return queryset.annotate(
        sort_name=Lower(
            Coalesce(
                KeyTextTransform(language, "short_name"),
                KeyTextTransform(language, "name"),
                KeyTextTransform(organisation.default_language, "short_name"),
                KeyTextTransform(organisation.default_language, "name"),
            )
        )
    ).order_by("sort_name", "id")


def person_list(
    *,
    organisation: Organisation,
    q: str = "",
    partner: int | None = None,
    tag: str = "",
    language: str = "",
) -> QuerySet[Person]:
    queryset = Person.objects.filter(organisation=organisation)
    if q:
        queryset = _search(queryset, q)
    if partner:
        affiliated = Affiliation.objects.filter(partner_id=partner).values("person_id")
        queryset = queryset.filter(pk__in=affiliated)
    if tag:
        # IN (subquery): no duplicates to remove, and both SQLite and PostgreSQL start from the
        # tag's (or partner's) index rather than scanning people in order.
        tagged = Person.tags.through.objects.filter(tag__organisation=organisation, tag__name=tag)
        queryset = queryset.filter(pk__in=tagged.values("person_id"))
    if language:
        # The preferred language is the first of the ordered list.
        queryset = queryset.filter(languages__0=language)
    return queryset.order_by("family_name", "given_name", "id")


def with_list_details(people: QuerySet[Person]) -> QuerySet[Person]:
    """What the people list shows per row, in a fixed number of queries."""
    return people.prefetch_related(
        Prefetch("emails", queryset=EmailAddress.objects.filter(is_primary=True)),
        Prefetch(
            "affiliations",
            queryset=Affiliation.objects.filter(end__isnull=True).select_related("partner"),
        ),
    )


def person_detail(*, organisation: Organisation, pk: int) -> Person:
    return (
        Person.objects.filter(organisation=organisation)
        .prefetch_related(
            "emails",
            "tags",
            Prefetch("affiliations", queryset=Affiliation.objects.select_related("partner")),
            "memberships__body",
            "memberships__partner",
        )
        .get(pk=pk)
    )


def tags_of(*, organisation: Organisation) -> QuerySet[Tag]:
    return (
        Tag.objects.filter(organisation=organisation).annotate(n=Count("people")).order_by("name")
    )


def counts(*, organisation: Organisation) -> dict[str, int]:
    return {
        "partners": Partner.objects.filter(organisation=organisation).count(),
        "people": Person.objects.filter(organisation=organisation).count(),
    }
