"""A network's platforms in the API."""

from django.db.models import QuerySet
from rest_framework import generics, serializers

from core.api import NetworkScopedView
from platforms.models import Platform


class PlatformSerializer(serializers.ModelSerializer):
    label = serializers.CharField(read_only=True)  # type: ignore[assignment]

    class Meta:
        model = Platform
        fields = ["id", "sector", "name", "label", "description", "position"]


class PlatformList(NetworkScopedView, generics.ListAPIView):
    """The sector platforms of a network."""

    model = Platform
    serializer_class = PlatformSerializer
    filterset_fields = ["sector"]
    ordering_fields = ["position", "name"]

    def get_network_queryset(self) -> QuerySet[Platform]:
        return Platform.objects.order_by("position", "id")
