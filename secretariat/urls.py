from django.urls import include, path

from secretariat.core.views import health, media

urlpatterns = [
    path("accounts/", include("allauth.urls")),
    path("", include("secretariat.core.urls")),
    path("", include("secretariat.governance.urls_public")),
    path("", include("secretariat.translation.urls_public")),
    path("o/<slug:org>/", include("secretariat.network.urls")),
    path("o/<slug:org>/", include("secretariat.governance.urls")),
    path("o/<slug:org>/", include("secretariat.documents.urls")),
    path("o/<slug:org>/", include("secretariat.translation.urls")),
    path("api/v1/", include("secretariat.api.urls")),
    path("media/logos/<path:path>", media.logo, name="logo"),
    path("health/", health.health, name="health"),
]

# JSON for the API's addresses, Django's pages elsewhere.
handler404 = "secretariat.api.errors.page_not_found"
handler500 = "secretariat.api.errors.server_error"
