"""Networks in the API: the national roll-up and each network's own facts."""

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from rest_framework import generics

from facilitation.selectors.public import networks_with_counts
from facilitation.serializers import NetworkSerializer
from networks.middleware import network_of_request
from networks.models import Network


class NetworkList(generics.ListAPIView[Network]):
    """Every network, national first, with its regional children."""

    serializer_class = NetworkSerializer
    filterset_fields = ["kind", "status", "region"]
    ordering_fields = ["name", "founded_on", "active_members"]

    def get_queryset(self) -> QuerySet[Network]:
        return networks_with_counts()


class NetworkDetail(generics.RetrieveAPIView[Network]):
    serializer_class = NetworkSerializer

    def get_object(self) -> Network:
        return get_object_or_404(networks_with_counts(), pk=network_of_request(self.request).pk)
