from typing import Any

from allauth.mfa.models import Authenticator
from django.test import Client
from django.urls import reverse

from secretariat.core import services
from tests import factories


def test_an_organisation_requiring_two_factor_sends_staff_without_it_to_enrol(
    client: Client, org: Any
) -> None:
    services.organisation_update(organisation=org, by=None, require_two_factor=True)
    staff = factories.member_of(org, "staff")
    reader = factories.member_of(org, "readonly")
    client.force_login(staff)
    response = client.get(reverse("dashboard", args=[org.slug]))
    assert response.status_code == 302 and response["Location"] == reverse("mfa_activate_totp")
    Authenticator.objects.create(user=staff, type=Authenticator.Type.TOTP, data={"secret": "x"})
    assert client.get(reverse("dashboard", args=[org.slug])).status_code == 200
    client.force_login(reader)
    assert client.get(reverse("dashboard", args=[org.slug])).status_code == 200


def test_without_the_requirement_nobody_is_asked(client: Client, org: Any) -> None:
    client.force_login(factories.member_of(org, "admin"))
    assert client.get(reverse("dashboard", args=[org.slug])).status_code == 200
    # Activating an authenticator asks for the password again first (allauth).
    response = client.get(reverse("mfa_activate_totp"), follow=True)
    assert response.status_code == 200
    assert response.redirect_chain[-1][0].startswith(reverse("account_reauthenticate"))
