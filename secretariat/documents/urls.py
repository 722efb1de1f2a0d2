from django.urls import path

from secretariat.documents import views

urlpatterns = [
    path("templates/", views.TemplatesView.as_view(), name="document_templates"),
    path(
        "templates/default/<str:name>", views.DefaultTemplateView.as_view(), name="default_template"
    ),
]
