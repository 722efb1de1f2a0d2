"""The rules of a body are written by one service, whoever calls it (the page, the API)."""

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from secretariat.core.models import AuditEntry
from secretariat.governance import body_rules
from secretariat.governance.models import BodyRules
from tests import factories


def test_rules_change_what_is_given_are_audited_and_saved_unchanged_write_nothing(org) -> None:
    body = factories.body(org)
    body_rules.body_rules_update(body=body, by=None, notice_days=15)  # the legal form's default
    assert not BodyRules.objects.filter(body=body).exists()
    stored = body_rules.body_rules_update(
        body=body, by=None, notice_days=21, majority_kind="two_thirds"
    )
    assert (stored.notice_days, stored.majority_kind, stored.quorum_denominator) == (
        21,
        "two_thirds",
        2,
    )
    entry = AuditEntry.objects.get(content_type__model="bodyrules")
    assert entry.changes == {
        "notice_days": [15, 21],
        "majority_kind": ["simple", "two_thirds"],
    }
    body_rules.body_rules_update(body=body, by=None, notice_days=21)
    assert AuditEntry.objects.filter(content_type__model="bodyrules").count() == 1


def test_every_problem_of_the_rules_is_refused_at_once_by_field(org) -> None:
    body = factories.body(org)
    with pytest.raises(ValidationError) as error:
        body_rules.body_rules_update(
            body=body, by=None, quorum_numerator=3, quorum_denominator=2, majority_kind="most"
        )
    problems = error.value.message_dict
    assert set(problems) == {"quorum_numerator", "majority_kind"}
    assert "no larger than the denominator" in problems["quorum_numerator"][0]
    with pytest.raises(ValidationError) as error:
        body_rules.body_rules_update(body=body, by=None, quorum_denominator=0, written_days=-1)
    assert set(error.value.message_dict) == {"quorum_denominator", "written_days"}
    with pytest.raises(ValueError, match="colour"):
        body_rules.body_rules_update(body=body, by=None, colour="red")  # type: ignore[call-arg]
    assert not BodyRules.objects.filter(body=body).exists()


def test_the_rules_page_shows_the_services_reason(client: Client, org) -> None:
    body = factories.body(org)
    client.force_login(factories.member_of(org, "staff"))
    url = reverse("body_rules", args=[org.slug, body.pk])
    form = client.get(url).context["form"]
    data = {k: v for k, v in form.initial.items() if v is not False}
    data.update(quorum_numerator=3, quorum_denominator=2)
    refused = client.post(url, data)
    assert refused.status_code == 400
    assert "no larger than the denominator" in refused.content.decode()
    data.update(quorum_numerator=2, quorum_denominator=3)
    assert client.post(url, data).status_code == 302
    assert BodyRules.objects.get(body=body).quorum_numerator == 2
