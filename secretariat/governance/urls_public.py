from django.urls import path

from secretariat.governance import feeds, invitation_views, item_documents, written_views

urlpatterns = [
    path("m/<str:token>/", invitation_views.invitation_page, name="invitation"),
    path("calendar/<str:token>.ics", feeds.feed_view, name="calendar_feed"),
    path("m/<str:token>/files/<int:pk>/", item_documents.file_for_member, name="member_file"),
    path("w/<str:token>/", written_views.answer_page, name="written_answer"),
]
