"""The shapes of commissions in the API: public facts about entities, never about the people."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from commissions.models import (
    Action,
    Comment,
    Commission,
    CommissionMember,
    CommissionState,
    ProgressUpdate,
    PromoterTerm,
    StateChange,
    Topic,
)
from members.serializers import RegionalNetworkSerializer


class EntityRefSerializer(serializers.Serializer):
    slug = serializers.SlugField(read_only=True)
    name = serializers.CharField(read_only=True)


class PlatformRefSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    sector = serializers.CharField(read_only=True)
    name = serializers.CharField(read_only=True)
    label = serializers.CharField(read_only=True, help_text="The name, or the sector's name.")


class CommissionSerializer(serializers.ModelSerializer):
    member_count = serializers.IntegerField(read_only=True)
    platforms = serializers.SerializerMethodField()
    cross_sector = serializers.SerializerMethodField()

    class Meta:
        model = Commission
        fields = [
            "id",
            "name",
            "kind",
            "state",
            "started_on",
            "closed_on",
            "member_count",
            "platforms",
            "cross_sector",
        ]

    def _platforms(self, commission):
        return self.context.get("platforms_by_commission", {}).get(commission.pk, [])

    @extend_schema_field(PlatformRefSerializer(many=True))
    def get_platforms(self, commission):
        return PlatformRefSerializer(self._platforms(commission), many=True).data

    @extend_schema_field(OpenApiTypes.BOOL)
    def get_cross_sector(self, commission):
        return len(self._platforms(commission)) > 1


class CommissionDetailSerializer(CommissionSerializer):
    plan_topics = serializers.SerializerMethodField()
    # Days in the network's calendar, from its settings as they are now.
    stalls_on = serializers.DateField(
        read_only=True, allow_null=True, help_text="The day an active commission stalls."
    )
    closes_on = serializers.DateField(
        read_only=True,
        allow_null=True,
        help_text="The day a commission without promoter closes by itself.",
    )

    class Meta(CommissionSerializer.Meta):
        fields = [
            *CommissionSerializer.Meta.fields,
            "purpose",
            "topics",
            "plan_topics",
            "state_changed_at",
            "last_activity_at",
            "stalls_on",
            "vacant_since",
            "closes_on",
            "closed_reason",
        ]

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_plan_topics(self, commission):
        return [topic.title for topic in commission.plan_topics.all()]


class CommissionMemberSerializer(serializers.ModelSerializer):
    entity = EntityRefSerializer(read_only=True)
    platform = serializers.SerializerMethodField()
    regional_networks = serializers.SerializerMethodField(
        help_text="The networks under the commission's network that the entity is a member of, "
        "through which it sits here; empty for a member of the commission's network alone."
    )

    class Meta:
        model = CommissionMember
        fields = ["entity", "platform", "regional_networks", "joined_on"]

    @extend_schema_field(RegionalNetworkSerializer(many=True))
    def get_regional_networks(self, member):
        networks = self.context.get("regions", {}).get(member.entity_id, [])
        return RegionalNetworkSerializer(networks, many=True).data

    @extend_schema_field(PlatformRefSerializer(allow_null=True))
    def get_platform(self, member):
        platform = self.context.get("platforms", {}).get(member.platform_id)
        return PlatformRefSerializer(platform).data if platform else None


class PromoterTermSerializer(serializers.ModelSerializer):
    entity = EntityRefSerializer(read_only=True)
    reason = serializers.CharField(source="end_reason", read_only=True)

    class Meta:
        model = PromoterTerm
        fields = ["id", "entity", "started_at", "ended_at", "reason"]


class ActionSerializer(serializers.ModelSerializer):
    responsible = EntityRefSerializer(read_only=True)

    class Meta:
        model = Action
        fields = ["id", "title", "responsible", "due_on", "status", "updated_at"]


class TopicSerializer(serializers.ModelSerializer):
    actions = ActionSerializer(many=True, read_only=True)

    class Meta:
        model = Topic
        fields = ["id", "title", "priority", "actions"]


class ProgressUpdateSerializer(serializers.ModelSerializer):
    entity = EntityRefSerializer(read_only=True)
    actions = serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    image = serializers.FileField(read_only=True, use_url=True, allow_null=True)
    attachment = serializers.FileField(read_only=True, use_url=True, allow_null=True)
    comment_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = ProgressUpdate
        fields = [
            "id",
            "entity",
            "text",
            "actions",
            "image",
            "attachment",
            "attachment_name",
            "created_at",
            "comment_count",
        ]


class CommentSerializer(serializers.ModelSerializer):
    entity = EntityRefSerializer(read_only=True)

    class Meta:
        model = Comment
        fields = ["id", "entity", "text", "created_at"]


@extend_schema_field({"type": "string", "enum": ["", *CommissionState.values]})
class StateBeforeField(serializers.CharField):
    """The state a change left (blank for the first one), described as the commission's states."""


class StateChangeSerializer(serializers.ModelSerializer):
    from_state = StateBeforeField(read_only=True)
    # Described without an enum of its own: the commission's `state` already names the states.
    to_state = serializers.CharField(
        read_only=True, help_text="The state entered: active, stalled, vacant or closed."
    )

    class Meta:
        model = StateChange
        fields = ["id", "from_state", "to_state", "reason", "note", "at"]


class ActingSerializer(serializers.Serializer):
    """What every write names: the entity the person acts for (its slug)."""

    entity = serializers.SlugField()


class StepDownInputSerializer(ActingSerializer):
    reason = serializers.CharField(max_length=2000)


class UpdateInputSerializer(ActingSerializer):
    text = serializers.CharField(max_length=10000)
    actions = serializers.ListField(child=serializers.IntegerField(), required=False)
    image = serializers.ImageField(required=False)
    attachment = serializers.FileField(required=False)


class CommentInputSerializer(ActingSerializer):
    text = serializers.CharField(max_length=4000)


class CloseInputSerializer(ActingSerializer):
    note = serializers.CharField(max_length=4000, help_text="What the commission achieved.")
    confirm = serializers.BooleanField(help_text="True: it becomes a read-only archive.")


class ReopenInputSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=2000)


class ReopenStateSerializer(serializers.Serializer):
    reopenable = serializers.BooleanField()
    reopen_until = serializers.DateField(allow_null=True)


class ChoicesSerializer(serializers.Serializer):
    entities = EntityRefSerializer(many=True, read_only=True)


class TermResultSerializer(serializers.Serializer):
    detail = serializers.CharField()
    commission = CommissionDetailSerializer()
