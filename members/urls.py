from django.urls import path

from members import views

app_name = "members"

urlpatterns = [
    path("directorio/", views.directory, name="directory"),
    path("unirse/", views.apply, name="apply"),
    path("entidades/<slug:entity_slug>/", views.entity_profile, name="entity"),
    path("entidades/<slug:entity_slug>/carta/", views.accept_charter, name="accept_charter"),
    path(
        "entidades/<slug:entity_slug>/representantes/",
        views.representatives,
        name="representatives",
    ),
]
