"""Machine-translation engines against local HTTP servers that speak each engine's protocol,
including errors, rate limits and eTranslation's asynchronous callback; the confidentiality
policy; and everything working with no engine configured."""

import urllib.parse
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from secretariat.core import texts
from secretariat.core.text_rules import Status
from secretariat.translation import engines, machine
from secretariat.translation.models import EngineSetting, MachineJob
from tests import factories
from tests.translation.conftest import Fake


@pytest.fixture
def partner(org: Any) -> Any:
    return factories.partner(org, name={"fr": "Ville de Metz"})


def test_with_no_engine_the_memory_alone_is_tried_and_the_refusal_is_clear(partner: Any) -> None:
    with pytest.raises(ValidationError, match="No translation engine"):
        machine.machine_translate(obj=partner, field_name="name", target="de", by=None)
    assert "de" not in partner.name


def test_libretranslate_fills_a_machine_version_never_shown_as_reviewed(
    org: Any, partner: Any, fake: str
) -> None:
    EngineSetting.objects.create(organisation=org, kind="libretranslate", url=fake)
    assert (
        machine.machine_translate(obj=partner, field_name="name", target="de", by=None)
        == "libretranslate"
    )
    partner.refresh_from_db()
    assert partner.name["de"] == "[de] Ville de Metz"
    assert texts.statuses_of(partner)["name"]["de"] == Status.MACHINE
    assert Fake.seen[0] == (
        "/translate",
        {"q": ["Ville de Metz"], "source": "fr", "target": "de", "format": "text"},
    )


@pytest.mark.parametrize(
    ("status", "kind"), [(429, "rate_limited"), (503, "unavailable"), (400, "refused")]
)
def test_engine_errors_are_told_apart(fake: str, status: int, kind: str) -> None:
    Fake.status = status
    with pytest.raises(engines.EngineError) as error:
        engines.LibreTranslate(fake).translate(engines.Request("fr", "de", ["x"]))
    assert error.value.kind == kind


def test_an_engine_that_is_down_is_reported(org: Any, partner: Any) -> None:
    EngineSetting.objects.create(organisation=org, kind="libretranslate", url="http://127.0.0.1:9")
    with pytest.raises(ValidationError, match="cannot be reached"):
        machine.machine_translate(obj=partner, field_name="name", target="de", by=None)


def test_deepl_gets_our_glossary_and_only_non_confidential_texts(
    org: Any, partner: Any, fake: str
) -> None:
    EngineSetting.objects.create(organisation=org, kind="deepl", url=fake, secret="k")
    with pytest.raises(ValidationError):
        machine.machine_translate(
            obj=partner, field_name="name", target="de", by=None
        )  # external engines not allowed yet
    org.machine_translation_external = True
    org.save()
    with pytest.raises(ValidationError):
        machine.machine_translate(
            obj=partner, field_name="name", target="de", by=None, confidential=True
        )
    assert Fake.seen == []  # nothing confidential ever left
    assert (
        machine.machine_translate(obj=partner, field_name="name", target="de", by=None) == "deepl"
    )
    result = engines.DeepL("k", fake).translate(
        engines.Request("fr", "de", ["Directoire"], glossary=[("Directoire", "Vorstand")])
    )
    assert result == ["[DE] Directoire"]
    assert [path for path, _payload in Fake.seen][-2:] == ["/v2/glossaries", "/v2/translate"]
    assert Fake.seen[-2][1]["entries"] == "Directoire\tVorstand"


def test_etranslation_answers_once_on_the_callback(
    client: Client, org: Any, partner: Any, fake: str, settings: Any
) -> None:
    org.machine_translation_external = True
    org.save()
    EngineSetting.objects.create(
        organisation=org,
        kind="etranslation",
        url=f"{fake}/etrans",
        username="secretariat",
        secret="pw",
    )
    assert (
        machine.machine_translate(obj=partner, field_name="name", target="de", by=None)
        == "pending:etranslation"
    )
    job = MachineJob.objects.get()
    assert job.engine_request_id == "4242" and Fake.seen[0][1]["externalReference"] == job.reference
    body = urllib.parse.urlencode(
        {
            "request-id": "4242",
            "target-language": "DE",
            "translated-text": "Stadt Metz",
            "external-reference": job.reference,
        }
    )
    url = reverse("machine_callback", args=[job.reference])
    assert (
        client.post(url, body, content_type="application/x-www-form-urlencoded").status_code == 200
    )
    partner.refresh_from_db()
    assert partner.name["de"] == "Stadt Metz"
    twice = urllib.parse.urlencode({"translated-text": "Autre chose"})
    assert (
        client.post(url, twice, content_type="application/x-www-form-urlencoded").status_code == 200
    )
    partner.refresh_from_db()
    assert partner.name["de"] == "Stadt Metz"  # a second answer changes nothing
    assert (
        client.post(
            reverse("machine_callback", args=["wrong"]),
            twice,
            content_type="application/x-www-form-urlencoded",
        ).status_code
        == 404
    )
    assert machine.expire_pending(older_than_hours=0) == 0  # done jobs are not expired


def test_a_callback_that_never_comes_is_given_up_by_the_daily_command(
    partner: Any, capsys: Any
) -> None:
    import datetime

    from django.contrib.contenttypes.models import ContentType
    from django.core.management import call_command
    from django.utils import timezone

    job = MachineJob.objects.create(
        organisation=partner.organisation,
        engine="etranslation",
        reference="late-ref",
        content_type=ContentType.objects.get_for_model(partner),
        object_id=partner.pk,
        field="name",
        source_language="fr",
        target_language="de",
        source_digest="x",
    )
    MachineJob.objects.filter(pk=job.pk).update(
        requested_at=timezone.now() - datetime.timedelta(hours=25)
    )
    call_command("reminders")
    job.refresh_from_db()
    assert job.state == MachineJob.State.FAILED and job.error == "no callback"
    assert "1 machine translations without an answer" in capsys.readouterr().out
    # The answer arriving after all changes nothing.
    machine.callback_received(reference="late-ref", fields={"translated-text": "Spät"})
    partner.refresh_from_db()
    assert "de" not in partner.name
