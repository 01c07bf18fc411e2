"""Reads of platforms."""

from django.db.models import QuerySet

from platforms.models import Platform


def platforms_in_order() -> QuerySet[Platform]:
    """The platforms of the network in scope, in the order the network gave them."""
    return Platform.objects.order_by("position", "id")
