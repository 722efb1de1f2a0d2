from django.urls import path

from secretariat.network import views

urlpatterns = [
    path("partners/", views.PartnerListView.as_view(), name="partner_list"),
    path("partners/new/", views.PartnerEditView.as_view(), name="partner_create"),
    path("partners/<int:pk>/", views.PartnerDetailView.as_view(), name="partner_detail"),
    path("partners/<int:pk>/edit/", views.PartnerEditView.as_view(), name="partner_edit"),
    path("partners/<int:pk>/delete/", views.PartnerDeleteView.as_view(), name="partner_delete"),
    path("people/", views.PersonListView.as_view(), name="person_list"),
    path("people/new/", views.PersonEditView.as_view(), name="person_create"),
    path("people/<int:pk>/", views.PersonDetailView.as_view(), name="person_detail"),
    path("people/<int:pk>/edit/", views.PersonEditView.as_view(), name="person_edit"),
    path("people/<int:pk>/delete/", views.PersonDeleteView.as_view(), name="person_delete"),
    path(
        "people/<int:person_pk>/affiliations/new/",
        views.AffiliationEditView.as_view(),
        name="affiliation_create",
    ),
    path(
        "people/<int:person_pk>/affiliations/<int:pk>/",
        views.AffiliationEditView.as_view(),
        name="affiliation_edit",
    ),
    path("<str:kind>/export.<str:fmt>", views.ExportView.as_view(), name="export"),
    path("<str:kind>/import/", views.ImportView.as_view(), name="import"),
]
