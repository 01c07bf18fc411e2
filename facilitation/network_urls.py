"""A network's public page, at the root of its address (namespace `networks`)."""

from django.urls import path

from facilitation import public_views

app_name = "networks"

urlpatterns = [
    path("", public_views.network_detail, name="detail"),
]
