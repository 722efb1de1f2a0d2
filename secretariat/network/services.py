"""Writes of the network: partners, people, their e-mail addresses and affiliations.

Every service validates everything first and raises one ``ValidationError`` keyed by field, so
that a form, the API and an import report all problems at once; then it writes in one
transaction and records the audit entry.
"""

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pycountry
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator, validate_email
from django.db import transaction
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from secretariat.core import audit, bulk, territories
from secretariat.core.models import AuditEntry, Organisation, User
from secretariat.core.search import search_text
from secretariat.core.texts import TextUpdate, delete_versions, texts_commit, texts_commit_many
from secretariat.core.validation import (
    Errors,
    add_error,
    collect,
    ends_after,
    parse_date,
    parse_decimal,
    stage_texts,
)
from secretariat.core.writes import delete_recorded, save_created, save_updated
from secretariat.network import identifiers
from secretariat.network.models import (
    Affiliation,
    EmailAddress,
    LegalBasis,
    Partner,
    PartnerIdentifier,
    PartnerKind,
    Person,
    Tag,
)

PARTNER_FIELDS = [
    "kind",
    "country",
    "subdivision",
    "member_since",
    "member_until",
    "contribution_share",
    "vote_weight",
    "website",
]
PARTNER_TEXTS = ["name", "short_name"]
PERSON_FIELDS = [
    "given_name",
    "family_name",
    "phones",
    "languages",
    "legal_basis",
    "consent_given_on",
    "consent_note",
]
PERSON_TEXTS = ["title", "salutation"]
PHONE = re.compile(r"^\+?[0-9 ()./-]{4,30}$")


# Partners ---------------------------------------------------------------------------------------


@dataclass
class PartnerChange:
    """A checked change of one partner, not written yet: ``partners_save`` writes many at once.

    ``changes`` is what the audit entry records; empty for an existing partner, nothing
    changed and nothing is written."""

    partner: Partner
    created: bool
    texts: TextUpdate | None
    identifiers: dict[str, str]  # scheme -> code, all of the partner's after the change
    changes: dict[str, list[Any]]

    @property
    def changed(self) -> bool:
        return self.created or bool(self.changes)


def partner_snapshot(partner: Partner, codes: Mapping[str, str]) -> dict[str, Any]:
    """What the audit trail records of a partner: its fields, names and identifiers."""
    return audit.snapshot(partner, PARTNER_FIELDS + PARTNER_TEXTS) | {
        "identifiers": dict(sorted(codes.items()))
    }


def partner_codes(partner: Partner) -> dict[str, str]:
    return {i.scheme: i.code for i in partner.identifiers.all()} if partner.pk else {}


def _partner_apply(partner: Partner, values: Mapping[str, Any], rows: Any = None) -> Any:
    errors: Errors = {}
    unknown = set(values) - set(PARTNER_FIELDS) - set(PARTNER_TEXTS) - {"identifiers"}
    if unknown:
        raise ValueError(f"unknown partner fields: {sorted(unknown)}")
    if "kind" in values:
        if values["kind"] not in PartnerKind.values:
            add_error(
                errors,
                "kind",
                _("“%(value)s” is not a kind of partner.") % {"value": values["kind"]},
            )
        else:
            partner.kind = values["kind"]
    if "country" in values:
        try:
            partner.country = territories.check_country(values["country"])
        except ValidationError as error:
            collect(errors, "country", error)
    if "subdivision" in values or "country" in values:
        subdivision = values.get("subdivision", partner.subdivision)
        if "country" not in errors:
            try:
                partner.subdivision = territories.check_subdivision(partner.country, subdivision)
            except ValidationError as error:
                collect(errors, "subdivision", error)
    for name in ("member_since", "member_until"):
        if name in values:
            setattr(partner, name, parse_date(errors, name, values[name]))
    ends_after(errors, "member_until", partner.member_since, partner.member_until)
    if "contribution_share" in values:
        partner.contribution_share = parse_decimal(
            errors, "contribution_share", values["contribution_share"], Decimal(100)
        )
    if "vote_weight" in values:
        partner.vote_weight = parse_decimal(
            errors, "vote_weight", values["vote_weight"], Decimal(10**6)
        )
    if "website" in values:
        website = (values["website"] or "").strip()
        if website:
            try:
                URLValidator(schemes=["http", "https"])(website)
            except ValidationError:
                add_error(errors, "website", _("Enter a web address starting with https://."))
        partner.website = website
    update = stage_texts(errors, partner, values, PARTNER_TEXTS, rows)
    if not (partner.name or {}) and "name" not in errors:
        add_error(errors, "name", _("The official name is required in at least one language."))
    if errors:
        raise ValidationError(errors)
    partner.search_text = search_text(
        [*partner.name.values(), *partner.short_name.values(), partner.country]
    )
    return update


def _apply_codes(
    errors: Errors, partner: Partner, current: Mapping[str, str], given: Mapping[str, Any]
) -> dict[str, str]:
    """The partner's codes after ``given`` (scheme -> code; an empty code removes one), each
    checked against its scheme and the partner's country."""
    unknown = set(given) - set(identifiers.SCHEMES)
    if unknown:
        raise ValueError(f"unknown identifier schemes: {sorted(unknown)}")
    codes = dict(current) | {scheme: str(code or "") for scheme, code in given.items()}
    result = {}
    for scheme, raw in codes.items():
        try:
            code = identifiers.normalise(scheme, raw, country=partner.country)
        except identifiers.InvalidCode as error:
            add_error(errors, identifiers.column(scheme), str(error))
            continue
        if code:
            result[scheme] = code
    return dict(sorted(result.items()))


def _codes_taken(
    organisation: Organisation, codes: Mapping[str, str]
) -> dict[tuple[str, str], int]:
    query = Q(pk__in=[])
    for scheme, code in codes.items():
        query |= Q(scheme=scheme, code=code)
    found = PartnerIdentifier.objects.filter(query, organisation=organisation)
    return {(i.scheme, i.code): i.partner_id for i in found}


def partner_check(
    *,
    organisation: Organisation,
    partner: Partner | None = None,
    values: Mapping[str, Any],
    codes: Mapping[str, str] | None = None,
    text_rows: Any = None,
    taken: Mapping[tuple[str, str], int] | None = None,
) -> PartnerChange:
    """Check ``values`` for a new partner (``partner`` None) or over an existing one, writing
    nothing; raise one ``ValidationError`` keyed by field (identifiers by their column, e.g.
    ``code_nis``). ``values["identifiers"]`` maps schemes to codes.

    ``codes`` (the partner's current codes), ``text_rows`` (its language states) and ``taken``
    (the codes of the organisation, to the partner that holds each) spare an import of thousands
    of rows a few queries per row; read from the database when not given."""
    created = partner is None
    partner = Partner(organisation=organisation) if partner is None else partner
    current = dict(codes) if codes is not None else partner_codes(partner)
    before = {} if created else partner_snapshot(partner, current)
    errors: Errors = {}
    try:
        update = _partner_apply(partner, values, text_rows if not created else [])
    except ValidationError as error:
        errors = error.message_dict
        update = None
    new_codes = _apply_codes(errors, partner, current, values.get("identifiers") or {})
    added = {s: c for s, c in new_codes.items() if current.get(s) != c}
    holders = _codes_taken(organisation, added) if taken is None else taken
    for scheme, code in added.items():
        holder = holders.get((scheme, code))
        if holder is not None and holder != partner.pk:
            other = Partner.objects.filter(pk=holder).first()
            add_error(
                errors,
                identifiers.column(scheme),
                _("The code %(code)s already identifies another partner: %(partner)s.")
                % {"code": code, "partner": other or f"#{holder}"},
            )
    if errors:
        raise ValidationError(errors)
    changes = audit.diff(before, partner_snapshot(partner, new_codes))
    return PartnerChange(partner, created, update, new_codes, changes)


def _refuse_stale(partners: Sequence[Partner]) -> None:
    """Refuse to overwrite partners that someone else saved since they were read (an import's
    check, a form opened a while ago): every field is written back, so theirs would be lost."""
    if not partners:
        return
    stored = dict(
        Partner.objects.select_for_update()
        .filter(pk__in=[p.pk for p in partners])
        .values_list("pk", "updated_at")
    )
    stale = [p for p in partners if stored.get(p.pk) != p.updated_at]
    if stale:
        raise ValidationError(
            ngettext(
                "%(partners)s was changed by someone else meanwhile: nothing was overwritten. "
                "Open it again to see their change.",
                "%(partners)s were changed by someone else meanwhile: nothing was overwritten. "
                "Open them again to see their changes.",
                len(stale),
            )
            % {"partners": ", ".join(str(p) for p in stale[:5])},
            code="stale",
        )


def partners_save(*, changes: Sequence[PartnerChange], by: User | None) -> None:
    """Write checked changes in one transaction, with one audit entry per partner changed:
    a few statements for the lot, so an import holds the database for a short while only."""
    changes = [c for c in changes if c.changed]
    if not changes:
        return
    organisation = changes[0].partner.organisation
    created = [c.partner for c in changes if c.created]
    updated = [c.partner for c in changes if not c.created]
    now = timezone.now()
    with transaction.atomic():
        _refuse_stale(updated)
        # PostgreSQL and SQLite (3.35+) give the new rows their keys back.
        Partner.objects.bulk_create(created)
        for partner in updated:
            partner.updated_at = now
        Partner.objects.bulk_update(
            updated, [*PARTNER_FIELDS, *PARTNER_TEXTS, "search_text", "updated_at"], batch_size=200
        )
        texts_commit_many([c.texts for c in changes if c.texts], by=by)
        recoded = [c for c in changes if "identifiers" in c.changes or c.created]
        PartnerIdentifier.objects.filter(partner__in=[c.partner for c in recoded]).delete()
        PartnerIdentifier.objects.bulk_create(
            PartnerIdentifier(organisation=organisation, partner=c.partner, scheme=s, code=code)
            for c in recoded
            for s, code in c.identifiers.items()
        )
        bulk.insert(
            AuditEntry,
            [
                audit.entry(
                    by=by,
                    action="create" if c.created else "update",
                    obj=c.partner,
                    changes=c.changes,
                )
                for c in changes
            ],
        )


def partner_create(*, organisation: Organisation, by: User | None, **values: Any) -> Partner:
    change = partner_check(organisation=organisation, values=values)
    partners_save(changes=[change], by=by)
    return change.partner


def partner_update(*, partner: Partner, by: User | None, **values: Any) -> Partner:
    """Change what ``values`` give; nothing is written, nor recorded, if nothing changed."""
    change = partner_check(organisation=partner.organisation, partner=partner, values=values)
    partners_save(changes=[change], by=by)
    return partner


def partner_delete(*, partner: Partner, by: User | None) -> None:

    if partner.memberships.exists() or partner.presidencies.exists():
        raise ValidationError(
            _("This partner is represented in bodies or held a presidency; end those first.")
        )
    # The codes are part of what the history keeps of a deleted partner.
    with transaction.atomic():
        audit.record(
            by=by,
            action="delete",
            obj=partner,
            changes=partner_snapshot(partner, partner_codes(partner)),
        )
        delete_versions(partner)
        partner.delete()


# People -----------------------------------------------------------------------------------------


def _clean_emails(errors: Errors, emails: Iterable[str]) -> list[str]:
    cleaned: list[str] = []
    for raw in emails:
        email = (raw or "").strip()
        if not email:
            continue
        try:
            validate_email(email)
        except ValidationError:
            add_error(
                errors, "emails", _("“%(value)s” is not an e-mail address.") % {"value": email}
            )
            continue
        if email.lower() not in {e.lower() for e in cleaned}:
            cleaned.append(email)
    return cleaned


def _check_emails_free(
    errors: Errors, organisation: Organisation, emails: list[str], person: Person
) -> None:
    if not emails:
        return
    taken = EmailAddress.objects.filter(organisation=organisation).exclude(person_id=person.pk)
    lowered = [e.lower() for e in emails]
    clashing = taken.annotate(lowered=Lower("email")).filter(lowered__in=lowered)
    for email in [e.email for e in clashing]:
        add_error(
            errors,
            "emails",
            _("The e-mail address %(email)s already belongs to someone else in %(organisation)s.")
            % {"email": email, "organisation": organisation.short_name},
        )


def _clean_languages(errors: Errors, languages: Any) -> list[str]:
    if isinstance(languages, str):
        languages = [p for p in re.split(r"[\s,;]+", languages) if p]
    cleaned: list[str] = []
    for code in languages or []:
        code = str(code).strip().lower()
        if pycountry.languages.get(alpha_2=code) is None:
            add_error(
                errors,
                "languages",
                _("“%(code)s” is not a language code (ISO 639-1, e.g. fr, de, nl, en, lb).")
                % {"code": code},
            )
        elif code not in cleaned:
            cleaned.append(code)
    return cleaned


def _clean_phones(errors: Errors, phones: Any) -> list[str]:
    if isinstance(phones, str):
        phones = re.split(r"[\n;]+", phones)
    cleaned = [str(p).strip() for p in phones or [] if str(p).strip()]
    for phone in cleaned:
        if not PHONE.match(phone):
            add_error(errors, "phones", _("“%(value)s” is not a phone number.") % {"value": phone})
    return cleaned


def _person_apply(person: Person, values: Mapping[str, Any]) -> tuple[Any, list[str] | None]:
    organisation = person.organisation
    errors: Errors = {}
    unknown = set(values) - set(PERSON_FIELDS) - set(PERSON_TEXTS) - {"emails", "tags"}
    if unknown:
        raise ValueError(f"unknown person fields: {sorted(unknown)}")
    for name in ("given_name", "family_name"):
        if name in values:
            setattr(person, name, (values[name] or "").strip())
    if not person.family_name and not person.given_name:
        add_error(errors, "family_name", _("A name is required."))
    if "languages" in values:
        person.languages = _clean_languages(errors, values["languages"])
    if "phones" in values:
        person.phones = _clean_phones(errors, values["phones"])
    if "legal_basis" in values:
        if values["legal_basis"] not in LegalBasis.values:
            add_error(
                errors,
                "legal_basis",
                _("“%(value)s” is not a legal basis.") % {"value": values["legal_basis"]},
            )
        else:
            person.legal_basis = values["legal_basis"]
    if "consent_given_on" in values:
        person.consent_given_on = parse_date(errors, "consent_given_on", values["consent_given_on"])
    if "consent_note" in values:
        person.consent_note = (values["consent_note"] or "").strip()
    if person.legal_basis == LegalBasis.CONSENT and not person.consent_given_on:
        add_error(
            errors, "consent_given_on", _("Processing based on consent needs the consent date.")
        )
    emails = None
    if "emails" in values:
        raw = values["emails"]
        emails = _clean_emails(errors, re.split(r"[\s,;]+", raw) if isinstance(raw, str) else raw)
        _check_emails_free(errors, organisation, emails, person)
    update = stage_texts(errors, person, values, PERSON_TEXTS)
    if errors:
        raise ValidationError(errors)
    return update, emails


def _save_emails(person: Person, emails: list[str]) -> None:
    person.emails.all().delete()
    EmailAddress.objects.bulk_create(
        EmailAddress(organisation=person.organisation, person=person, email=e, is_primary=i == 0)
        for i, e in enumerate(emails)
    )


def _save_tags(person: Person, names: Iterable[str]) -> None:
    tags = []
    for name in names:
        tag, _created = Tag.objects.get_or_create(organisation=person.organisation, name=name)
        tags.append(tag)
    person.tags.set(tags)


def _tag_names(values: Mapping[str, Any]) -> list[str] | None:
    if "tags" not in values:
        return None
    raw = values["tags"]
    names = re.split(r"[,;]+", raw) if isinstance(raw, str) else list(raw or [])
    return sorted({n.strip() for n in names if n and n.strip()})


def person_snapshot(person: Person) -> dict[str, Any]:
    data = audit.snapshot(person, PERSON_FIELDS + PERSON_TEXTS)
    if person.pk:
        data["emails"] = [e.email for e in person.emails.all()]
        data["tags"] = sorted(t.name for t in person.tags.all())
    return data


@dataclass
class PersonChange:
    """A checked change of one person, not written yet (see ``PartnerChange``)."""

    person: Person
    created: bool
    texts: TextUpdate | None
    emails: list[str] | None  # None: the addresses are not touched
    tags: list[str] | None
    changes: dict[str, list[Any]]

    @property
    def changed(self) -> bool:
        return self.created or bool(self.changes)


def person_check(
    *, organisation: Organisation, person: Person | None = None, values: Mapping[str, Any]
) -> PersonChange:
    """Check ``values`` for a new person or over ``person``, writing nothing; raise one
    ``ValidationError`` keyed by field."""
    created = person is None
    person = Person(organisation=organisation) if person is None else person
    before = {} if created else person_snapshot(person)
    update, emails = _person_apply(person, values)
    tags = _tag_names(values)
    after = audit.snapshot(person, PERSON_FIELDS + PERSON_TEXTS) | {
        "emails": emails if emails is not None else before.get("emails", []),
        "tags": tags if tags is not None else before.get("tags", []),
    }
    person.search_text = search_text([person.given_name, person.family_name, *after["emails"]])
    return PersonChange(person, created, update, emails, tags, audit.diff(before, after))


def person_save(*, change: PersonChange, by: User | None) -> None:
    """Write a checked change and its audit entry; nothing if nothing changed."""
    if not change.changed:
        return
    person = change.person
    with transaction.atomic():
        if not change.created:
            stored = (
                Person.objects.select_for_update()
                .filter(pk=person.pk)
                .values_list("updated_at", flat=True)
                .first()
            )
            if stored != person.updated_at:
                raise ValidationError(
                    _(
                        "%(person)s was changed by someone else meanwhile: nothing was "
                        "overwritten. Open the record again to see their change."
                    )
                    % {"person": person},
                    code="stale",
                )
        person.save()
        if change.texts:
            texts_commit(change.texts, by=by)
        if change.emails is not None and (change.created or "emails" in change.changes):
            _save_emails(person, change.emails)
        if change.tags is not None and (change.created or "tags" in change.changes):
            _save_tags(person, change.tags)
        audit.record(
            by=by,
            action="create" if change.created else "update",
            obj=person,
            changes=change.changes,
        )


def person_create(
    *,
    organisation: Organisation,
    by: User | None,
    affiliated_to: Partner | None = None,
    **values: Any,
) -> Person:
    """A new person; with ``affiliated_to``, affiliated to that partner in the same
    transaction (a coordinator's new person, who so stays editable by them)."""
    change = person_check(organisation=organisation, values=values)
    with transaction.atomic():
        person_save(change=change, by=by)
        if affiliated_to is not None:
            affiliation_create(person=change.person, partner=affiliated_to, by=by)
    return change.person


def person_update(*, person: Person, by: User | None, **values: Any) -> Person:
    """Change what ``values`` give; nothing is written, nor recorded, if nothing changed."""
    change = person_check(organisation=person.organisation, person=person, values=values)
    person_save(change=change, by=by)
    return person


def person_delete(*, person: Person, by: User | None) -> None:
    """Erase a person (right to erasure): the audit keeps that it happened, not their data."""
    from secretariat.core.texts import delete_versions

    with transaction.atomic():
        audit.record(by=by, action="delete", obj=person, changes={})
        for affiliation in person.affiliations.all():
            delete_versions(affiliation)
        delete_versions(person)
        person.delete()


# Affiliations -----------------------------------------------------------------------------------


def _affiliation_apply(affiliation: Affiliation, values: Mapping[str, Any]) -> Any:
    errors: Errors = {}
    if "partner" in values:
        partner = values["partner"]
        if partner is None or partner.organisation_id != affiliation.organisation_id:
            add_error(errors, "partner", _("Choose a partner of this organisation."))
        else:
            affiliation.partner = partner
    for name in ("start", "end"):
        if name in values:
            setattr(affiliation, name, parse_date(errors, name, values[name]))
    ends_after(errors, "end", affiliation.start, affiliation.end)
    update = stage_texts(errors, affiliation, values, ["function"])
    if errors:
        raise ValidationError(errors)
    return update


AFFILIATION_FIELDS = ["partner", "function", "start", "end"]


def affiliation_create(*, person: Person, by: User | None, **values: Any) -> Affiliation:
    affiliation = Affiliation(organisation=person.organisation, person=person)
    if "partner" not in values:
        raise ValidationError({"partner": [_("Choose a partner of this organisation.")]})
    texts = _affiliation_apply(affiliation, values)
    save_created(affiliation, by=by, fields=AFFILIATION_FIELDS, texts=texts, within=person)
    return affiliation


def affiliation_update(*, affiliation: Affiliation, by: User | None, **values: Any) -> Affiliation:
    before = audit.snapshot(affiliation, AFFILIATION_FIELDS)
    texts = _affiliation_apply(affiliation, values)
    save_updated(
        affiliation,
        by=by,
        fields=AFFILIATION_FIELDS,
        before=before,
        texts=texts,
        within=affiliation.person,
    )
    return affiliation


def affiliation_delete(*, affiliation: Affiliation, by: User | None) -> None:
    delete_recorded(affiliation, by=by, fields=AFFILIATION_FIELDS, within=affiliation.person)
