"""From a body's stored rules to the pure rules of ``rules.py``, and the defaults by legal form."""

from fractions import Fraction
from typing import Any, TypedDict, Unpack

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from secretariat.core import audit
from secretariat.core.models import User
from secretariat.core.validation import Errors, add_error, collect
from secretariat.governance import rules
from secretariat.governance.models import Body, BodyRules

# Defaults by the organisation's legal form; every body can change them. French law counts
# notice periods in clear days ("jours francs"); German association law in calendar days.
DEFAULTS: dict[str, dict[str, Any]] = {
    "ev_de": {"notice_days": 14, "notice_counting": "calendar"},
    "egtc_fr": {"notice_days": 15, "notice_counting": "clear"},
    "association_fr": {"notice_days": 15, "notice_counting": "clear"},
    "egtc_lu": {"notice_days": 15, "notice_counting": "calendar"},
    "asbl_lu": {"notice_days": 8, "notice_counting": "calendar"},
    "aisbl_be": {"notice_days": 15, "notice_counting": "calendar"},
    "asbl_be": {"notice_days": 8, "notice_counting": "calendar"},
}


RULE_FIELDS = [f.name for f in BodyRules._meta.concrete_fields if f.name not in ("id", "body")]


def _defaults(body: Body) -> BodyRules:
    return BodyRules(body=body, **DEFAULTS.get(body.organisation.legal_form, {}))


def rules_of(body: Body) -> BodyRules:
    """The body's rules: the stored ones or, for a body whose rules were never changed, the
    defaults of its organisation's legal form, not saved (reading never writes)."""
    try:
        return body.rules
    except BodyRules.DoesNotExist:
        return _defaults(body)


class RuleValues(TypedDict, total=False):
    """The rules a caller may change, each as its model field stores it."""

    notice_days: int
    notice_counting: str
    quorum_basis: str
    quorum_numerator: int
    quorum_denominator: int
    quorum_strict: bool
    quorum_with_represented: bool
    majority_kind: str
    majority_base: str
    double_majority: bool
    weighted_votes: bool
    delegation_block_vote: bool
    proxies_allowed: bool
    max_proxies_per_holder: int
    proxies_within_delegation: bool
    substitutes_allowed: bool
    written_procedure_allowed: bool
    written_kind: str
    written_days: int


def body_rules_update(*, body: Body, by: User | None, **values: Unpack[RuleValues]) -> BodyRules:
    """Change the rules that ``values`` name, the others staying as they are. Each value is
    checked as its field defines it (choices, whole numbers from 0) and the quorum share is a
    fraction of at most one; every problem is raised at once, keyed by field. Rules saved
    unchanged write nothing, so a body whose rules were never changed keeps no row."""
    unknown = set(values) - set(RULE_FIELDS)
    if unknown:
        raise ValueError(f"unknown rules: {sorted(unknown)}")
    stored = BodyRules.objects.filter(body=body).first() or _defaults(body)
    before = audit.snapshot(stored, RULE_FIELDS)
    errors: Errors = {}
    for name, value in values.items():
        field = BodyRules._meta.get_field(name)
        try:
            setattr(stored, name, field.clean(value, stored))  # type: ignore[union-attr]
        except ValidationError as error:
            collect(errors, name, error)
    share = ("quorum_numerator", "quorum_denominator")
    if not any(name in errors for name in share) and not (
        stored.quorum_denominator > 0 and stored.quorum_numerator <= stored.quorum_denominator
    ):
        add_error(
            errors,
            "quorum_denominator" if stored.quorum_denominator == 0 else "quorum_numerator",
            _(
                "The quorum is a share of at most the whole: the denominator is at least 1 and "
                "the numerator no larger than the denominator."
            ),
        )
    if errors:
        raise ValidationError(errors)
    changes = audit.diff(before, audit.snapshot(stored, RULE_FIELDS))
    if changes:
        with transaction.atomic():
            stored.save()
            audit.record(by=by, action="update", obj=stored, changes=changes, within=body)
    return stored


def quorum_rule(stored: BodyRules) -> rules.QuorumRule:
    return rules.QuorumRule(
        basis=rules.Basis(stored.quorum_basis),
        share=Fraction(stored.quorum_numerator, stored.quorum_denominator),
        strict=stored.quorum_strict,
        with_represented=stored.quorum_with_represented,
    )


def majority_rule(stored: BodyRules, kind: str = "") -> rules.MajorityRule:
    return rules.MajorityRule(
        kind=rules.Majority(kind or stored.majority_kind),
        base=rules.Base(stored.majority_base),
        of_delegations=stored.double_majority,
    )


def proxy_rule(stored: BodyRules) -> rules.ProxyRule:
    return rules.ProxyRule(
        allowed=stored.proxies_allowed,
        max_per_holder=stored.max_proxies_per_holder,
        same_delegation_only=stored.proxies_within_delegation,
    )
