"""Networks in the API, with the members they count: the national roll-up (public facts only)."""

from django.db.models import Count, Q
from django.shortcuts import get_object_or_404
from rest_framework import generics, serializers

from members.models import MembershipStatus
from networks.models import Network
from networks.scoping import all_networks


class ChildNetworkSerializer(serializers.ModelSerializer):
    class Meta:
        model = Network
        fields = ["slug", "name", "kind", "region"]


class NetworkSerializer(serializers.ModelSerializer):
    # REST framework takes declared fields off the class: no clash with `Field.parent`.
    parent = serializers.SlugRelatedField(  # type: ignore[var-annotated,assignment]
        slug_field="slug", read_only=True, allow_null=True
    )
    children = ChildNetworkSerializer(many=True, read_only=True)
    active_members = serializers.IntegerField(read_only=True)

    class Meta:
        model = Network
        fields = [
            "slug",
            "name",
            "kind",
            "parent",
            "children",
            "region",
            "time_zone",
            "default_language",
            "founded_on",
            "status",
            "membership_approval",
            "stall_after_days",
            "vacancy_grace_days",
            "max_promoter_terms",
            "active_members",
        ]


def networks_with_counts():
    # The list spans networks on purpose: it is the national roll-up.
    with all_networks():
        return (
            Network.objects.select_related("parent")
            .prefetch_related("children")
            .annotate(
                active_members=Count(
                    "memberships", filter=Q(memberships__status=MembershipStatus.ACTIVE)
                )
            )
            .order_by("kind", "name")
        )


class NetworkList(generics.ListAPIView):
    """Every network, national first, with its regional children."""

    serializer_class = NetworkSerializer
    filterset_fields = ["kind", "status", "region"]
    ordering_fields = ["name", "founded_on", "active_members"]

    def get_queryset(self):
        return networks_with_counts()


class NetworkDetail(generics.RetrieveAPIView):
    serializer_class = NetworkSerializer

    def get_object(self):
        return get_object_or_404(networks_with_counts(), pk=self.request.network.pk)
