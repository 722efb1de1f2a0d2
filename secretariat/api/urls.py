"""The API, version 1: organisation-scoped, with the permissions of the UI. Every router is
registered here, in the order the OpenAPI document lists them."""

from django.urls import path

from secretariat.api import endpoints, governance, translation, written
from secretariat.api.auth import AUTH
from secretariat.api.errors import SecretariatAPI

api = SecretariatAPI(
    title="Secretariat API",
    version="1",
    description="Organisations, their network, bodies and memberships. Translatable fields are "
    "maps of language to text with the state of each language version.",
    auth=AUTH,
    urls_namespace="api-v1",
)

for router in (
    endpoints.organisations,
    endpoints.partners,
    endpoints.people,
    endpoints.bodies,
    governance.router,
    written.router,
    translation.router,
):
    api.add_router("/organisations", router)

urlpatterns = [path("", api.urls)]
