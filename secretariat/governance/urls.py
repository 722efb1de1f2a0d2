from django.urls import path

from secretariat.governance import (
    document_views,
    meeting_views,
    session_views,
    views,
    written_views,
)

urlpatterns = [
    path("bodies/", views.BodyListView.as_view(), name="body_list"),
    path("bodies/new/", views.BodyEditView.as_view(), name="body_create"),
    path("bodies/<int:pk>/", views.BodyDetailView.as_view(), name="body_detail"),
    path("bodies/<int:pk>/edit/", views.BodyEditView.as_view(), name="body_edit"),
    path(
        "bodies/<int:body_pk>/members/new/",
        views.MembershipEditView.as_view(),
        name="membership_create",
    ),
    path(
        "bodies/<int:body_pk>/members/<int:pk>/",
        views.MembershipEditView.as_view(),
        name="membership_edit",
    ),
    path("bodies/<int:body_pk>/rules/", meeting_views.RulesView.as_view(), name="body_rules"),
    path(
        "bodies/<int:body_pk>/meetings/new/",
        meeting_views.MeetingEditView.as_view(),
        name="meeting_create",
    ),
    path("bodies/<int:body_pk>/dates/", meeting_views.DateFinderView.as_view(), name="date_finder"),
    path("meetings/", meeting_views.MeetingListView.as_view(), name="meeting_list"),
    path("meetings/<int:pk>/", meeting_views.MeetingDetailView.as_view(), name="meeting_detail"),
    path("meetings/<int:pk>/edit/", meeting_views.MeetingEditView.as_view(), name="meeting_edit"),
    path("meetings/<int:pk>/letters/", meeting_views.LettersView.as_view(), name="meeting_letters"),
    path(
        "meetings/<int:pk>/documents/<str:kind>.<str:fmt>",
        document_views.MeetingDocumentView.as_view(),
        name="meeting_document",
    ),
    path(
        "meetings/<int:meeting_pk>/items/new/",
        meeting_views.ItemEditView.as_view(),
        name="item_create",
    ),
    path(
        "meetings/<int:meeting_pk>/items/<int:pk>/",
        meeting_views.ItemEditView.as_view(),
        name="item_edit",
    ),
    path("meetings/<int:pk>/session/", session_views.SessionView.as_view(), name="meeting_session"),
    path("decisions/", session_views.RegisterView.as_view(), name="register"),
    path("decisions/<int:pk>/", session_views.DecisionView.as_view(), name="decision_detail"),
    path("actions/", session_views.FollowUpView.as_view(), name="follow_up"),
    path("actions/<int:pk>/", session_views.ActionEditView.as_view(), name="action_edit"),
    path(
        "meetings/<int:meeting_pk>/items/<int:pk>/documents/",
        meeting_views.ItemDocumentsView.as_view(),
        name="item_documents",
    ),
    path("files/<int:pk>/", meeting_views.DocumentFileView.as_view(), name="document_file"),
    path(
        "bodies/<int:body_pk>/written/", written_views.ProceduresView.as_view(), name="written_list"
    ),
    path("written/<int:pk>/", written_views.ProcedureView.as_view(), name="written_detail"),
    path("presidency/", views.PresidencyView.as_view(), name="presidency"),
    path("presidency/<int:pk>/", views.PresidencyEditView.as_view(), name="presidency_edit"),
]
