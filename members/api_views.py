"""Members in the API: the public directory and entity profiles, memberships
for the network's facilitators, and applications to join.

Kept apart from `members.api`, which holds the token authentication: REST
framework imports that module while it loads its own views, so it cannot
define views itself.
"""

import django_filters
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import generics, serializers
from rest_framework.response import Response

from core.api import NetworkScopedView
from members.facilitator_selectors import member_list, membership_for_facilitator
from members.models import (
    Entity,
    EntityKind,
    Membership,
    MembershipStatus,
    PriorityArea,
    PriorityAreaCode,
    User,
)
from members.selectors import (
    directory,
    entities_represented_by,
    entity_profile,
    network_platforms,
    open_commissions,
)
from members.services import apply_for_membership
from networks.selectors import current_charter
from platforms.models import Platform

# Serializers -----------------------------------------------------------------


class PlatformSummarySerializer(serializers.ModelSerializer):
    label = serializers.CharField(read_only=True)

    class Meta:
        model = Platform
        fields = ["id", "sector", "label"]


class DirectoryEntrySerializer(serializers.ModelSerializer):
    """An active member as the public directory shows it: the entity, never its people."""

    slug = serializers.SlugField(source="entity.slug", read_only=True)
    name = serializers.CharField(source="entity.name", read_only=True)
    kind = serializers.ChoiceField(source="entity.kind", choices=EntityKind.choices, read_only=True)
    kind_label = serializers.CharField(source="entity.get_kind_display", read_only=True)
    legally_registered = serializers.BooleanField(
        source="entity.legally_registered", read_only=True
    )
    region = serializers.CharField(source="entity.region", read_only=True)
    city = serializers.CharField(source="entity.city", read_only=True)
    website = serializers.URLField(source="entity.website", read_only=True, allow_blank=True)
    description = serializers.CharField(source="entity.description", read_only=True)
    platform = PlatformSummarySerializer(read_only=True)
    priority_areas = serializers.SlugRelatedField(
        source="entity.priority_areas", slug_field="code", many=True, read_only=True
    )

    class Meta:
        model = Membership
        fields = [
            "slug",
            "name",
            "kind",
            "kind_label",
            "legally_registered",
            "region",
            "city",
            "website",
            "description",
            "platform",
            "priority_areas",
        ]


# A commission the entity sits in: a seat of the commissions app, read through
# `members.commission_choice` (a comment, not a docstring, which the schema would show).
class CommissionSeatSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="commission_id", read_only=True)
    name = serializers.CharField(source="commission.name", read_only=True)
    is_open = serializers.BooleanField(source="commission.is_open", read_only=True)


class EntityProfileSerializer(DirectoryEntrySerializer):
    """The public profile: the directory's facts and the commissions the entity sits in here."""

    priority_areas = serializers.SerializerMethodField()
    commissions = serializers.SerializerMethodField()

    class Meta(DirectoryEntrySerializer.Meta):
        fields = [*DirectoryEntrySerializer.Meta.fields, "commissions"]

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_priority_areas(self, membership):
        return [area.code for area in self.context["profile"].priority_areas]

    @extend_schema_field(CommissionSeatSerializer(many=True))
    def get_commissions(self, membership):
        return CommissionSeatSerializer(self.context["profile"].commissions, many=True).data


class PersonSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="get_full_name", read_only=True)

    class Meta:
        model = User
        fields = ["name", "email"]


class EntitySummarySerializer(serializers.ModelSerializer):
    class Meta:
        model = Entity
        fields = ["slug", "name", "kind"]


class MembershipSerializer(serializers.ModelSerializer):
    """A membership as the facilitator's workspace shows it, people included."""

    entity = EntitySummarySerializer(read_only=True)
    platform = PlatformSummarySerializer(read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    representative = PersonSerializer(read_only=True, allow_null=True)
    alternate = PersonSerializer(read_only=True, allow_null=True)

    class Meta:
        model = Membership
        fields = [
            "id",
            "entity",
            "platform",
            "status",
            "status_label",
            "status_reason",
            "status_changed_at",
            "applied_at",
            "joined_at",
            "left_at",
            "representative",
            "alternate",
            "charter_accepted_at",
        ]


class ApplicationSerializer(serializers.Serializer):
    """What applying to join asks, as the application page does."""

    entity = serializers.SlugField(
        max_length=220, help_text=_("Slug of an entity you act for (or registered).")
    )
    platform = serializers.IntegerField(help_text=_("Id of one of this network's platforms."))
    charter_version = serializers.IntegerField(
        required=False,
        allow_null=True,
        help_text=_("Id of the charter version you read and accept (the network's current one)."),
    )
    alternate_email = serializers.EmailField(required=False, allow_blank=True)
    commission = serializers.IntegerField(
        required=False,
        allow_null=True,
        help_text=_("Where the network asks for it: an open commission to join on approval."),
    )
    proposed_commission_name = serializers.CharField(
        required=False, allow_blank=True, max_length=200
    )
    proposed_commission_purpose = serializers.CharField(
        required=False, allow_blank=True, max_length=Membership.PROPOSED_PURPOSE_MAX_LENGTH
    )

    def validate_entity(self, slug):
        user = self.context["request"].user
        entity = next(
            (entity for entity in entities_represented_by(user) if entity.slug == slug), None
        )
        if entity is None:
            raise serializers.ValidationError(_("You do not act for an entity with this slug."))
        return entity

    def validate_platform(self, platform_id):
        network = self.context["request"].network
        platform = next(
            (p for p in network_platforms(network=network) if p.pk == platform_id), None
        )
        if platform is None:
            raise serializers.ValidationError(_("Choose one of this network's platforms."))
        return platform

    def validate_commission(self, commission_id):
        network = self.context["request"].network
        if commission_id is None or not network.commission_on_joining:
            return None
        commission = next(
            (c for c in open_commissions(network=network) if c.pk == commission_id), None
        )
        if commission is None:
            raise serializers.ValidationError(_("Choose one of this network's open commissions."))
        return commission


# Filters ---------------------------------------------------------------------
# The selectors do the narrowing, as for the pages; these sets check the
# query string (bad input is a 400) and describe it in the schema.


def _platforms_here(request):
    return Platform.objects.order_by("position", "id")


class DirectoryFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Entity name contains"), max_length=100)
    platform = django_filters.ModelChoiceFilter(queryset=_platforms_here)
    kind = django_filters.ChoiceFilter(choices=EntityKind.choices)
    area = django_filters.ChoiceFilter(choices=PriorityAreaCode.choices, label=_("Priority area"))

    class Meta:
        model = Membership
        fields = ["q", "platform", "kind", "area"]

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
    """The public directory: the active member entities of the network, without their people."""

    model = Membership
    serializer_class = DirectoryEntrySerializer
    filterset_class = DirectoryFilter
    ordering_fields = ENTITY_ORDERING

    def get_network_queryset(self):
        return directory(network=self.request.network)


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
