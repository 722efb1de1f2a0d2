from django.urls import path

from secretariat.governance import views

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
    path("presidency/", views.PresidencyView.as_view(), name="presidency"),
    path("presidency/<int:pk>/", views.PresidencyEditView.as_view(), name="presidency_edit"),
]
