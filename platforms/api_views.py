"""A network's platforms in the API."""

from django.db.models import QuerySet
from rest_framework import generics

from core.api import NetworkScopedView
from platforms.models import Platform
from platforms.selectors import platforms_in_order
from platforms.serializers import PlatformSerializer


class PlatformList(NetworkScopedView, generics.ListAPIView[Platform]):
    """The sector platforms of a network."""

    model = Platform
    serializer_class = PlatformSerializer
    filterset_fields = ["sector"]
    ordering_fields = ["position", "name"]

    def get_network_queryset(self) -> QuerySet[Platform]:
        return platforms_in_order()
