from django.urls import path

from secretariat.api.endpoints import api

urlpatterns = [path("", api.urls)]
