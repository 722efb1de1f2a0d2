from django.urls import path

from secretariat.documents import views

urlpatterns = [
    path(
        "meetings/<int:pk>/documents/<str:kind>.<str:fmt>",
        views.MeetingDocumentView.as_view(),
        name="meeting_document",
    ),
    path("templates/", views.TemplatesView.as_view(), name="document_templates"),
    path(
        "templates/default/<str:name>", views.DefaultTemplateView.as_view(), name="default_template"
    ),
]
