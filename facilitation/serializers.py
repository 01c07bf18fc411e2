"""The shapes of networks in the API, with the members they count (public facts only)."""

from typing import Any

from rest_framework import serializers

from networks.models import Network


class ChildNetworkSerializer(serializers.ModelSerializer[Network]):
    class Meta:
        model = Network
        fields = ["slug", "name", "kind", "region"]


class NetworkSerializer(serializers.ModelSerializer[Network]):
    # REST framework takes declared fields off the class: no clash with `Field.parent`.
    parent: Any = serializers.SlugRelatedField(slug_field="slug", read_only=True, allow_null=True)
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
