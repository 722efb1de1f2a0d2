from django.urls import path

from secretariat.governance import feeds, invitation_views

urlpatterns = [
    path("m/<str:token>/", invitation_views.invitation_page, name="invitation"),
    path("calendar/<str:token>.ics", feeds.feed_view, name="calendar_feed"),
]
