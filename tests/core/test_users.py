"""A user's own preferences: saved by one service from the profile page and the language menu."""

from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from secretariat.core import services
from tests import factories


def test_the_profile_and_the_language_menu_save_through_the_users_service(
    client: Client, db: Any
) -> None:
    user = factories.user()
    client.force_login(user)
    client.post(reverse("set_language"), {"language": "de", "next": "/"})
    user.refresh_from_db()
    assert user.language == "de"
    client.post(
        reverse("profile"), {"save_profile": "1", "full_name": "  Anna Weber ", "language": "nl"}
    )
    user.refresh_from_db()
    assert (user.full_name, user.language) == ("Anna Weber", "nl")
    with pytest.raises(ValidationError) as error:
        services.user_update(user=user, language="xx")
    assert "language" in error.value.message_dict
    user.refresh_from_db()
    assert user.language == "nl"
