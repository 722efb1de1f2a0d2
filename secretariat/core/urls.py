from django.urls import path

from secretariat.core.views import account, organisation

urlpatterns = [
    path("", account.home, name="home"),
    path("language/", account.set_language, name="set_language"),
    path("profile/", account.profile, name="profile"),
    path("profile/tokens/<int:pk>/revoke/", account.token_revoke, name="token_revoke"),
    path("o/<slug:org>/", organisation.DashboardView.as_view(), name="dashboard"),
    path(
        "o/<slug:org>/settings/", organisation.SettingsView.as_view(), name="organisation_settings"
    ),
    path("o/<slug:org>/roles/", organisation.RolesView.as_view(), name="organisation_roles"),
    path("o/<slug:org>/texts/review/", organisation.TextReviewView.as_view(), name="text_review"),
]
