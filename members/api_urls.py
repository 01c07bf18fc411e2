from django.urls import path

from members import api_views as api

urlpatterns = [
    path("entities/", api.EntityList.as_view(), name="entities"),
    path("entities/<slug:entity_slug>/", api.EntityDetail.as_view(), name="entity"),
    path("memberships/", api.MembershipList.as_view(), name="memberships"),
    path("memberships/<int:membership_id>/", api.MembershipDetail.as_view(), name="membership"),
    path("applications/", api.ApplicationCreate.as_view(), name="applications"),
]
