"""The shapes of members in the API: the public directory and profiles, memberships for
facilitators, and what applying to join asks."""

from typing import Any

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from members.models import Entity, EntityKind, Membership, User
from members.selectors import entities_represented_by, network_platforms, open_commissions
from platforms.models import Platform


class PlatformSummarySerializer(serializers.ModelSerializer):
    label = serializers.CharField(read_only=True)  # type: ignore[assignment]

    class Meta:
        model = Platform
        fields = ["id", "sector", "label"]


class RegionalNetworkSerializer(serializers.Serializer):
    """A network under the one asked about (a region under the national network)."""

    slug = serializers.SlugField(read_only=True)
    name = serializers.CharField(read_only=True)
    region = serializers.CharField(read_only=True)


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
    # A profile reads them from the selector's result instead (`EntityProfileSerializer`).
    priority_areas: serializers.Field = serializers.SlugRelatedField(
        source="entity.priority_areas", slug_field="code", many=True, read_only=True
    )
    regional_networks = serializers.SerializerMethodField(
        help_text="In a network with networks under it (the national one), those the entity is "
        "an active member of, where its profile is; empty in a network with none under it."
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
            "regional_networks",
        ]

    @extend_schema_field(RegionalNetworkSerializer(many=True))
    def get_regional_networks(self, membership: Membership) -> Any:
        networks = self.context.get("regions", {}).get(membership.entity_id, [])
        return RegionalNetworkSerializer(networks, many=True).data


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
    # A profile is the entity's in this network's own membership: no region to name.
    regional_networks = None  # type: ignore[assignment]

    class Meta(DirectoryEntrySerializer.Meta):
        fields = [
            *(name for name in DirectoryEntrySerializer.Meta.fields if name != "regional_networks"),
            "commissions",
        ]

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
