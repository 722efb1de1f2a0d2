from django.urls import path

from secretariat.governance import invitation_views

urlpatterns = [path("m/<str:token>/", invitation_views.invitation_page, name="invitation")]
