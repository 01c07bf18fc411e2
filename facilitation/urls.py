from django.urls import path

from facilitation import views

app_name = "facilitation"

urlpatterns = [
    path("", views.workspace_overview, name="overview"),
    path("solicitudes/", views.workspace_applications, name="applications"),
    path("miembros/", views.workspace_members, name="members"),
    path("miembros/<int:membership_id>/", views.workspace_membership, name="membership"),
    path("interlocutor/", views.workspace_interlocutor, name="interlocutor"),
    path("actividad/", views.workspace_feed, name="feed"),
    path("comisiones/", views.workspace_commissions, name="commissions"),
]
