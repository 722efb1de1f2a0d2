"""Pages read ids and years from the address: a value that is not one (superscript or
Arabic-Indic digits, a number beyond what the database or the calendar holds) is ignored, as
any unknown filter is, instead of answering a server error."""

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

HOSTILE = ["²", "١٢", "１２", "99999999999999999999999", "10000", "0"]
PAGES = [
    ("register", "year"),
    ("register", "body"),
    ("follow_up", "body"),
    ("follow_up", "partner"),
    ("meeting_list", "body"),
    ("translated_words", "year"),
]


@pytest.mark.parametrize(("page", "name"), PAGES)
def test_an_id_or_year_that_is_not_one_is_ignored(
    client: Client, org: Any, admin: Any, page: str, name: str
) -> None:
    client.force_login(admin)
    url = reverse(page, args=[org.slug])
    for value in HOSTILE:
        response = client.get(url, {name: value})
        assert response.status_code == 200, (value, response.status_code)
