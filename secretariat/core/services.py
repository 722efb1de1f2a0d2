"""Writes of organisations and roles."""

import zoneinfo
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from secretariat.core import audit, territories
from secretariat.core.models import LegalForm, Organisation, Role, RoleKind, User
from secretariat.core.scope import everywhere
from secretariat.core.uploads import discard_on_commit, logo_image
from secretariat.core.validation import Errors, add_error, stage_texts
from secretariat.core.writes import save_created, save_updated

ORGANISATION_FIELDS = [
    "short_name",
    "legal_form",
    "seat_street",
    "seat_postcode",
    "seat_city",
    "seat_country",
    "languages",
    "default_language",
    "timezone",
    "fiscal_year_start_month",
    "require_two_factor",
    "logo",
]
ORGANISATION_TEXTS = ["name", "description"]


def _organisation_apply(organisation: Organisation, values: dict[str, Any]) -> Any:
    errors: Errors = {}
    known = dict(settings.CONTENT_LANGUAGES)
    if "languages" in values:
        languages = [lang for lang in values["languages"] if lang]
        unknown = [lang for lang in languages if lang not in known]
        if unknown or not languages or len(set(languages)) != len(languages):
            add_error(
                errors,
                "languages",
                _("Choose one or more working languages among %(languages)s, each once.")
                % {"languages": ", ".join(known)},
            )
        else:
            organisation.languages = languages
    if "default_language" in values:
        organisation.default_language = values["default_language"]
    if organisation.default_language not in organisation.languages:
        add_error(errors, "default_language", _("The default language must be a working language."))
    if "timezone" in values:
        try:
            zoneinfo.ZoneInfo(values["timezone"])
            organisation.timezone = values["timezone"]
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            add_error(errors, "timezone", _("Unknown time zone, e.g. Europe/Luxembourg."))
    if "fiscal_year_start_month" in values:
        month = values["fiscal_year_start_month"]
        if not isinstance(month, int) or not 1 <= month <= 12:
            add_error(errors, "fiscal_year_start_month", _("Choose a month from 1 to 12."))
        else:
            organisation.fiscal_year_start_month = month
    if "legal_form" in values:
        if values["legal_form"] not in LegalForm.values:
            add_error(errors, "legal_form", _("Unknown legal form."))
        else:
            organisation.legal_form = values["legal_form"]
    if "seat_country" in values:
        try:
            organisation.seat_country = territories.check_country(values["seat_country"])
        except ValidationError as error:
            errors.setdefault("seat_country", []).extend(error.messages)
    for name in ("short_name", "seat_street", "seat_postcode", "seat_city"):
        if name in values:
            setattr(organisation, name, (values[name] or "").strip())
    if not organisation.short_name:
        add_error(errors, "short_name", _("The short name is required."))
    if "require_two_factor" in values:
        organisation.require_two_factor = bool(values["require_two_factor"])
    if "logo" in values and values["logo"] is not None:
        try:
            organisation.logo = logo_image(values["logo"]) if values["logo"] else None
        except ValueError as error:
            add_error(errors, "logo", str(error))
    update = stage_texts(errors, organisation, values, ORGANISATION_TEXTS)
    if errors:
        raise ValidationError(errors)
    return update


def organisation_create(*, by: User | None, slug: str, **values: Any) -> Organisation:
    organisation = Organisation(slug=slug)
    languages = values.get("languages") or []
    organisation.languages = languages
    organisation.default_language = values.get("default_language") or (languages or [""])[0]
    texts = _organisation_apply(organisation, values)
    # No scope can be open for an organisation that does not exist yet; what is written here
    # is the organisation's own row, its texts and its audit entry, each named by the new row.
    with everywhere():
        save_created(organisation, by=by, fields=ORGANISATION_FIELDS, texts=texts)
    return organisation


def organisation_update(
    *, organisation: Organisation, by: User | None, **values: Any
) -> Organisation:
    fields = ORGANISATION_FIELDS + ORGANISATION_TEXTS
    before = audit.snapshot(organisation, fields)
    logo = organisation.logo.name
    texts = _organisation_apply(organisation, values)
    with transaction.atomic():
        save_updated(organisation, by=by, fields=fields, before=before, texts=texts)
        if logo and organisation.logo.name != logo:
            # The replaced or removed logo leaves the storage once the change is committed.
            discard_on_commit(organisation.logo.storage, logo)
    return organisation


def role_grant(
    *,
    organisation: Organisation,
    user: User,
    kind: str,
    by: User | None,
    partner: Any = None,
) -> Role:
    if kind not in RoleKind.values:
        raise ValidationError({"kind": [_("Unknown role.")]})
    if kind == RoleKind.COORDINATOR and partner is None:
        raise ValidationError({"partner": [_("A partner coordinator coordinates one partner.")]})
    if partner is not None and partner.organisation_id != organisation.pk:
        raise ValidationError({"partner": [_("Choose a partner of this organisation.")]})
    if kind != RoleKind.COORDINATOR:
        partner = None
    with transaction.atomic():
        role, created = Role.objects.get_or_create(
            organisation=organisation, user=user, kind=kind, partner=partner
        )
        if created:
            audit.record(
                by=by,
                action="update",
                obj=organisation,
                changes={"roles": [None, f"{user.email}: {kind}"]},
            )
    return role


def role_revoke(*, role: Role, by: User | None) -> None:
    if (
        role.kind == RoleKind.ADMIN
        and not Role.objects.filter(organisation=role.organisation, kind=RoleKind.ADMIN)
        .exclude(pk=role.pk)
        .exists()
    ):
        raise ValidationError(_("An organisation keeps at least one administrator."))
    with transaction.atomic():
        audit.record(
            by=by,
            action="update",
            obj=role.organisation,
            changes={"roles": [f"{role.user.email}: {role.kind}", None]},
        )
        role.delete()


def user_for_email(*, email: str, full_name: str = "") -> User:
    """The account with this e-mail address, created (without a usable password) if needed."""
    email = email.strip().lower()
    user = User.objects.filter(email__iexact=email).first()
    if user is None:
        user = User.objects.create_user(email=email, password=None, full_name=full_name)
    return user


def user_update(*, user: User, full_name: str | None = None, language: str | None = None) -> User:
    """A user's own name and interface language (empty: as their browser asks), changed by
    them. Preferences of the person, in no organisation's history (as their API tokens); a
    language the interface does not speak is refused."""
    fields = []
    if full_name is not None:
        user.full_name = full_name.strip()
        fields.append("full_name")
    if language is not None:
        if language and language not in dict(settings.LANGUAGES):
            raise ValidationError({"language": [_("Choose a language of the interface.")]})
        user.language = language
        fields.append("language")
    if fields:
        user.save(update_fields=fields)
    return user
