"""From a body's stored rules to the pure rules of ``rules.py``, and the defaults by legal form."""

from fractions import Fraction
from typing import Any

from django.db import transaction

from secretariat.core import audit
from secretariat.core.models import User
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


def rules_save(*, stored: BodyRules, by: User | None) -> BodyRules:
    """Save rules changed in memory (``rules_of`` then new values, e.g. a form's
    ``save(commit=False)``), audited. Rules saved unchanged write nothing, so a body whose
    rules were never changed keeps no row."""
    previous = BodyRules.objects.filter(pk=stored.pk).first() if stored.pk else None
    before = audit.snapshot(previous or _defaults(stored.body), RULE_FIELDS)
    changes = audit.diff(before, audit.snapshot(stored, RULE_FIELDS))
    if changes:
        with transaction.atomic():
            stored.save()
            audit.record(by=by, action="update", obj=stored, changes=changes, within=stored.body)
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
