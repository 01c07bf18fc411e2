"""Members in the API: the public directory and entity profiles, memberships
for the network's facilitators, and applications to join (their shapes are in
`members.serializers`).

Kept apart from `members.api`, which holds the token authentication: REST
framework imports that module while it loads its own views, so it cannot
define views itself.
"""

import django_filters
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import generics
from rest_framework.response import Response

from core.api import NetworkScopedView
from members.facilitator_selectors import member_list, membership_for_facilitator
from members.models import (
    EntityKind,
    Membership,
    MembershipStatus,
    PriorityArea,
    PriorityAreaCode,
)
from members.selectors import directory, entity_profile, networks_under, regions_of_entities
from members.serializers import (
    ApplicationSerializer,
    DirectoryEntrySerializer,
    EntityProfileSerializer,
    MembershipSerializer,
)
from members.services import apply_for_membership
from networks.models import Network
from networks.selectors import current_charter
from platforms.selectors import platforms_in_order

# Filters ---------------------------------------------------------------------
# The selectors do the narrowing, as for the pages; these sets check the
# query string (bad input is a 400) and describe it in the schema.


def _platforms_here(request):
    return platforms_in_order()


@extend_schema_field(OpenApiTypes.STR)
class NetworkSlugFilter(django_filters.ModelChoiceFilter):
    """A network named by its slug (the directory's memberships have no such field to read)."""


def _regions_here(request):
    if request is None:  # the schema is built without a request
        return Network.objects.none()
    return networks_under(network=request.network)


class DirectoryFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Entity name contains"), max_length=100)
    platform = django_filters.ModelChoiceFilter(queryset=_platforms_here)
    kind = django_filters.ChoiceFilter(choices=EntityKind.choices)
    area = django_filters.ChoiceFilter(choices=PriorityAreaCode.choices, label=_("Priority area"))
    region = NetworkSlugFilter(
        queryset=_regions_here,
        to_field_name="slug",
        label=_("Regional network"),
    )

    class Meta:
        model = Membership
        fields = ["q", "platform", "kind", "area", "region"]

    def filter_queryset(self, queryset):
        data = self.form.cleaned_data
        return directory(
            network=self.request.network,
            query=data.get("q") or "",
            platform=data.get("platform"),
            kind=data.get("kind") or "",
            area=PriorityArea.objects.filter(code=data["area"]).first()
            if data.get("area")
            else None,
            region=data.get("region"),
        )


class MemberListFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Entity name contains"), max_length=100)
    status = django_filters.ChoiceFilter(choices=MembershipStatus.choices)
    platform = django_filters.ModelChoiceFilter(queryset=_platforms_here)
    kind = django_filters.ChoiceFilter(choices=EntityKind.choices)

    class Meta:
        model = Membership
        fields = ["q", "status", "platform", "kind"]

    def filter_queryset(self, queryset):
        data = self.form.cleaned_data
        return member_list(
            network=self.request.network,
            query=data.get("q") or "",
            status=data.get("status") or "",
            platform=data.get("platform"),
            kind=data.get("kind") or "",
        )


# Views -----------------------------------------------------------------------

ENTITY_ORDERING = ["entity__name", "entity__kind", "entity__city", "entity__region"]


class EntityList(NetworkScopedView, generics.ListAPIView):
    """The public directory: the active member entities of the network, without their people.

    The national network (any network with networks under it) lists the members
    of those networks too, each entity once with the regional networks it
    belongs to, and narrows them to one of those with `region`, as its page does.
    """

    model = Membership
    serializer_class = DirectoryEntrySerializer
    filterset_class = DirectoryFilter
    ordering_fields = ENTITY_ORDERING

    def get_network_queryset(self):
        return directory(network=self.request.network)

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        context = self.get_serializer_context()
        context["regions"] = regions_of_entities(
            [membership.entity_id for membership in page], network=request.network
        )
        serializer = self.get_serializer_class()(page, many=True, context=context)
        return self.get_paginated_response(serializer.data)


class EntityDetail(generics.RetrieveAPIView):
    """An entity's public profile; a 404 unless it is an active member of this network."""

    serializer_class = EntityProfileSerializer

    def get(self, request, *args, **kwargs):
        profile = entity_profile(network=request.network, entity_slug=kwargs["entity_slug"])
        if profile is None:
            raise Http404
        serializer = self.get_serializer(profile.membership, context={"profile": profile})
        return Response(serializer.data)

    def get_serializer(self, *args, **kwargs):
        context = {**self.get_serializer_context(), **kwargs.pop("context", {})}
        return self.serializer_class(*args, context=context, **kwargs)


class MembershipList(NetworkScopedView, generics.ListAPIView):
    """Every membership with status, dates, reason and people: for the network's facilitators."""

    model = Membership
    serializer_class = MembershipSerializer
    read_permission = "networks.run_network"
    filterset_class = MemberListFilter
    ordering_fields = [
        "entity__name",
        "status",
        "applied_at",
        "joined_at",
        "left_at",
        "status_changed_at",
    ]

    def get_network_queryset(self):
        return member_list(network=self.request.network)


class MembershipDetail(generics.RetrieveAPIView):
    """One membership, for the network's facilitators."""

    serializer_class = MembershipSerializer
    read_permission = "networks.run_network"

    def get_object(self):
        membership = membership_for_facilitator(
            network=self.request.network, membership_id=self.kwargs["membership_id"]
        )
        if membership is None:
            raise Http404
        self.check_object_permissions(self.request, membership)
        return membership


class ApplicationCreate(generics.GenericAPIView):
    """Apply to join the network for an entity you act for, accepting its charter.

    The same service as the application page: where the network's membership
    is open the membership is active at once, otherwise it waits for a facilitator.
    """

    serializer_class = ApplicationSerializer
    permission_required = "members.apply"

    @extend_schema(request=ApplicationSerializer, responses={201: MembershipSerializer})
    def post(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        network = request.network
        charter = current_charter(network)
        chosen = data.get("charter_version")
        # Naming a version is accepting it; an outdated one is refused by the service.
        accepted = chosen is not None
        read = charter if charter is not None and chosen == charter.pk else None
        membership = apply_for_membership(
            network=network,
            by=request.user,
            entity=data["entity"],
            platform=data["platform"],
            charter_version=read,
            accept_charter=accepted,
            alternate_email=data.get("alternate_email") or "",
            commission=data.get("commission"),
            proposed_commission_name=data.get("proposed_commission_name") or "",
            proposed_commission_purpose=data.get("proposed_commission_purpose") or "",
        )
        membership = membership_for_facilitator(network=network, membership_id=membership.pk)
        return Response(MembershipSerializer(membership).data, status=201)
