"""Writes of bodies, memberships and presidency terms."""

from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from secretariat.core import audit
from secretariat.core.models import Organisation, User
from secretariat.core.validation import Errors, add_error, ends_after, parse_date, stage_texts
from secretariat.core.writes import delete_recorded, save_created, save_updated
from secretariat.governance.models import (
    Body,
    BodyKind,
    Membership,
    MembershipRole,
    Presidency,
)

BODY_FIELDS = ["kind", "short_code", "name", "description"]
MEMBERSHIP_FIELDS = ["person", "role", "partner", "voting", "substitute_for", "start", "end"]
PRESIDENCY_FIELDS = ["partner", "president", "start", "end"]


def _same_organisation(errors: Errors, field: str, obj: Any, organisation_id: int) -> Any:
    if obj is not None and obj.organisation_id != organisation_id:
        add_error(errors, field, _("Choose one of this organisation's own records."))
        return None
    return obj


# Bodies -----------------------------------------------------------------------------------------


def _body_apply(body: Body, values: dict[str, Any]) -> Any:
    errors: Errors = {}
    if "kind" in values:
        if values["kind"] not in BodyKind.values:
            add_error(
                errors, "kind", _("“%(value)s” is not a kind of body.") % {"value": values["kind"]}
            )
        else:
            body.kind = values["kind"]
    if "short_code" in values:
        code = (values["short_code"] or "").strip().upper()
        if not code.replace("-", "").isalnum() or len(code) > 10:
            add_error(errors, "short_code", _("Use up to ten letters or digits, e.g. AG or DIR."))
        elif (
            Body.objects.filter(organisation=body.organisation, short_code=code)
            .exclude(pk=body.pk)
            .exists()
        ):
            add_error(errors, "short_code", _("Another body already uses this short code."))
        body.short_code = code
    update = stage_texts(errors, body, values, ["name", "description"])
    if not body.name and "name" not in errors:
        add_error(errors, "name", _("The name is required in at least one language."))
    if errors:
        raise ValidationError(errors)
    return update


def body_create(*, organisation: Organisation, by: User | None, **values: Any) -> Body:
    body = Body(organisation=organisation)
    texts = _body_apply(body, values)
    save_created(body, by=by, fields=BODY_FIELDS, texts=texts)
    return body


def body_update(*, body: Body, by: User | None, **values: Any) -> Body:
    before = audit.snapshot(body, BODY_FIELDS)
    texts = _body_apply(body, values)
    save_updated(body, by=by, fields=BODY_FIELDS, before=before, texts=texts)
    return body


# Memberships ------------------------------------------------------------------------------------


def _membership_apply(membership: Membership, values: dict[str, Any]) -> None:
    errors: Errors = {}
    org_id = membership.organisation_id
    if "person" in values:
        if values["person"] is None:
            add_error(errors, "person", _("Choose a person."))
        else:
            membership.person = _same_organisation(errors, "person", values["person"], org_id)
    if "partner" in values:
        membership.partner = _same_organisation(errors, "partner", values["partner"], org_id)
    if "role" in values:
        if values["role"] not in MembershipRole.values:
            add_error(errors, "role", _("“%(value)s” is not a role.") % {"value": values["role"]})
        else:
            membership.role = values["role"]
    if "voting" in values:
        membership.voting = bool(values["voting"])
    for name in ("start", "end"):
        if name in values:
            setattr(membership, name, parse_date(errors, name, values[name]))
    ends_after(errors, "end", membership.start, membership.end)
    if "substitute_for" in values:
        membership.substitute_for = values["substitute_for"]
    target = membership.substitute_for
    if membership.role == MembershipRole.SUBSTITUTE:
        if target is None:
            add_error(errors, "substitute_for", _("Say which member this person substitutes."))
        elif target.body_id != membership.body_id or target.pk == membership.pk:
            add_error(
                errors,
                "substitute_for",
                _("A substitute stands in for a member of the same body; %(person)s is not one.")
                % {"person": target.person},
            )
        elif target.role == MembershipRole.SUBSTITUTE:
            add_error(
                errors, "substitute_for", _("A substitute cannot stand in for another substitute.")
            )
    elif target is not None:
        add_error(errors, "substitute_for", _("Only a substitute stands in for another member."))
    if errors:
        raise ValidationError(errors)


def membership_create(*, body: Body, by: User | None, **values: Any) -> Membership:
    membership = Membership(organisation=body.organisation, body=body)
    values.setdefault("role", MembershipRole.MEMBER)
    if "person" not in values:
        values["person"] = None
    _membership_apply(membership, values)
    save_created(membership, by=by, fields=MEMBERSHIP_FIELDS, texts=None, within=body)
    return membership


def membership_update(*, membership: Membership, by: User | None, **values: Any) -> Membership:
    before = audit.snapshot(membership, MEMBERSHIP_FIELDS)
    _membership_apply(membership, values)
    save_updated(
        membership,
        by=by,
        fields=MEMBERSHIP_FIELDS,
        before=before,
        texts=None,
        within=membership.body,
    )
    return membership


def membership_delete(*, membership: Membership, by: User | None) -> None:
    if membership.substitutes.exists():
        raise ValidationError(_("Others are substitutes of this member; remove them first."))
    delete_recorded(membership, by=by, fields=MEMBERSHIP_FIELDS, within=membership.body)


# Presidency -------------------------------------------------------------------------------------


def _presidency_apply(presidency: Presidency, values: dict[str, Any]) -> None:
    errors: Errors = {}
    org_id = presidency.organisation_id
    if "partner" in values:
        if values["partner"] is None:
            add_error(errors, "partner", _("Choose the presiding partner."))
        else:
            presidency.partner = _same_organisation(errors, "partner", values["partner"], org_id)
    if "president" in values:
        presidency.president = _same_organisation(errors, "president", values["president"], org_id)
    for name in ("start", "end"):
        if name in values:
            date = parse_date(errors, name, values[name])
            if date is None and name not in errors:
                add_error(errors, name, _("A presidency term has a start and an end."))
            setattr(presidency, name, date)
    ends_after(errors, "end", presidency.start, presidency.end)
    if presidency.start and presidency.end and "end" not in errors:
        overlapping = (
            Presidency.objects.filter(
                organisation_id=org_id, start__lte=presidency.end, end__gte=presidency.start
            )
            .exclude(pk=presidency.pk)
            .first()
        )
        if overlapping:
            add_error(
                errors,
                "start",
                _("This term overlaps the presidency of %(partner)s (%(start)s – %(end)s).")
                % {
                    "partner": overlapping.partner,
                    "start": overlapping.start,
                    "end": overlapping.end,
                },
            )
    if errors:
        raise ValidationError(errors)


def presidency_create(*, organisation: Organisation, by: User | None, **values: Any) -> Presidency:
    presidency = Presidency(organisation=organisation)
    for required in ("partner", "start", "end"):
        values.setdefault(required, None)
    _presidency_apply(presidency, values)
    save_created(presidency, by=by, fields=PRESIDENCY_FIELDS, texts=None, within=organisation)
    return presidency


def presidency_update(*, presidency: Presidency, by: User | None, **values: Any) -> Presidency:
    before = audit.snapshot(presidency, PRESIDENCY_FIELDS)
    _presidency_apply(presidency, values)
    save_updated(
        presidency,
        by=by,
        fields=PRESIDENCY_FIELDS,
        before=before,
        texts=None,
        within=presidency.organisation,
    )
    return presidency


def presidency_delete(*, presidency: Presidency, by: User | None) -> None:
    delete_recorded(presidency, by=by, fields=PRESIDENCY_FIELDS, within=presidency.organisation)


def body_delete(*, body: Body, by: User | None) -> None:
    delete_recorded(body, by=by, fields=BODY_FIELDS)
