from django.urls import path

from members import views

app_name = "members"

urlpatterns = [
    path("directorio/", views.directory, name="directory"),
    path("entidades/<slug:entity_slug>/", views.entity_profile, name="entity"),
]
