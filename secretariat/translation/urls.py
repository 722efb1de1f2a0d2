from django.urls import path

from secretariat.translation import views

urlpatterns = [
    path("meetings/<int:pk>/xliff/", views.MeetingXliffView.as_view(), name="meeting_xliff"),
    path("translation/xliff/", views.XliffImportView.as_view(), name="xliff_import"),
]
