"""Forms as browsers meet them: date pickers that keep their value in every language."""

import datetime
import importlib
import pkgutil
from typing import Any

import pytest
from django import forms
from django.test import Client
from django.urls import reverse
from django.utils import translation

import secretariat
from secretariat.core.forms import DateInput, DateTimeInput, TextField
from tests import factories


def _all_forms() -> list[type[forms.BaseForm]]:
    for module in pkgutil.walk_packages(secretariat.__path__, "secretariat."):
        if ".migrations" not in module.name and not module.name.endswith(".wsgi"):
            importlib.import_module(module.name)
    found, todo = [], [forms.BaseForm]
    while todo:
        cls = todo.pop()
        for sub in cls.__subclasses__():
            todo.append(sub)
            if sub.__module__.startswith("secretariat."):
                found.append(sub)
    return found


def test_every_date_field_of_every_form_renders_iso_dates_for_the_browsers_picker() -> None:
    checked = 0
    for form in _all_forms():
        for name, field in form.base_fields.items():
            if isinstance(field, forms.DateTimeField):
                assert isinstance(field.widget, DateTimeInput), f"{form.__name__}.{name}"
                checked += 1
            elif isinstance(field, forms.DateField):
                assert isinstance(field.widget, DateInput), f"{form.__name__}.{name}"
                checked += 1
    assert checked >= 10


@pytest.mark.parametrize("language", ["fr", "de", "nl", "en"])
def test_date_pickers_show_the_stored_value_in_every_language(language: str) -> None:
    with translation.override(language):
        date_html = DateInput().render("due", datetime.date(2028, 2, 29))
        time_html = DateTimeInput().render(
            "start", datetime.datetime.fromisoformat("2028-02-29T09:05")
        )
    assert 'type="date"' in date_html and 'value="2028-02-29"' in date_html
    assert 'type="datetime-local"' in time_html and 'value="2028-02-29T09:05"' in time_html


@pytest.mark.parametrize("language", ["fr", "de", "nl"])
def test_saving_a_partner_unchanged_keeps_its_membership_dates(
    client: Client, org: Any, admin: Any, language: str
) -> None:
    partner = factories.partner(
        org, member_since="2019-03-01", member_until=factories.days_ahead(400).date()
    )
    admin.language = language
    admin.save()
    client.force_login(admin)
    url = reverse("partner_edit", args=[org.slug, partner.pk])
    html = client.get(url).content.decode()
    assert 'value="2019-03-01"' in html
    assert f'value="{partner.member_until.isoformat()}"' in html


def test_every_text_area_of_every_form_keeps_line_feeds_only() -> None:
    checked = 0
    for form in _all_forms():
        for name, field in form.base_fields.items():
            if isinstance(field.widget, forms.Textarea):
                assert isinstance(field, TextField), f"{form.__name__}.{name}"
                checked += 1
    assert checked >= 5
    assert TextField().clean("Ordre du jour\r\n1. Budget\r2. Divers\r\n") == (
        "Ordre du jour\n1. Budget\n2. Divers"
    )
