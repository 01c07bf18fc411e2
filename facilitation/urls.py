from django.urls import path

from facilitation import views

app_name = "facilitation"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("solicitudes/", views.applications, name="applications"),
    path("miembros/", views.members, name="members"),
    path("miembros/<int:membership_id>/", views.membership, name="membership"),
    path("interlocutor/", views.interlocutor, name="interlocutor"),
    path("actividad/", views.activity, name="activity"),
    path("comisiones/", views.commissions, name="commissions"),
    path("regiones/", views.regions, name="regions"),
]
