from django.urls import path

from secretariat.translation import views

urlpatterns = [
    path("translation/callback/<str:reference>/", views.machine_callback, name="machine_callback"),
    path(
        "translation/callback/<str:reference>/error/",
        views.machine_error_callback,
        name="machine_error_callback",
    ),
]
