"""The shape of a platform in the API."""

from rest_framework import serializers

from platforms.models import Platform


class PlatformSerializer(serializers.ModelSerializer[Platform]):
    label = serializers.CharField(read_only=True)  # type: ignore[assignment]

    class Meta:
        model = Platform
        fields = ["id", "sector", "name", "label", "description", "position"]
