"""The entity's workspace, "My network": the person's own entities across networks."""

from django.urls import path

from members import views

app_name = "workspace"

urlpatterns = [
    path("", views.workspace, name="home"),
    path("entidades/nueva/", views.register_entity, name="register_entity"),
    path("entidades/similares/", views.similar_entities, name="similar_entities"),
    path("entidades/<slug:entity_slug>/editar/", views.edit_entity, name="edit_entity"),
    path("invitaciones/<str:token>/", views.invitation, name="invitation"),
]
