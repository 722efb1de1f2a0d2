"""The engines page: its forms work from the edit page too, and saving unchanged records
nothing."""

from typing import Any

from django.test import Client
from django.urls import reverse

from secretariat.core.models import AuditEntry
from secretariat.translation.models import EngineSetting
from tests.browser_forms import resubmit


def test_the_policy_saved_from_an_engines_edit_page_is_saved_and_unchanged_saves_record_nothing(
    client: Client, org: Any, admin: Any
) -> None:
    engine = EngineSetting.objects.create(
        organisation=org, kind="libretranslate", url="https://translate.example", position=1
    )
    client.force_login(admin)
    edit = reverse("engine_edit", args=[org.slug, engine.pk])
    posted = client.post(edit, {"policy": "1", "machine_translation_external": "on"})
    assert posted.status_code == 302
    org.refresh_from_db()
    assert org.machine_translation_external
    entries = AuditEntry.objects.count()
    client.post(edit, {"policy": "1", "machine_translation_external": "on"})
    resubmit(client, edit, "//main//form[.//input[@name='url']]")
    assert AuditEntry.objects.count() == entries
