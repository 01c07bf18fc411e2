"""The shapes of proposals in the API: entities' names and slugs, never people's."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from commissions.serializers import EntityRefSerializer
from decisions import selectors
from decisions.models import DecidedBy, Position, Proposal, Stance


@extend_schema_field({"type": "string", "enum": ["", *DecidedBy.values]})
class DecidedByField(serializers.CharField):
    """How it was decided, or "" while it is not."""


class ProposalSerializer(serializers.ModelSerializer):
    proposer = EntityRefSerializer(read_only=True)
    decided_by = DecidedByField(read_only=True)
    commission = serializers.IntegerField(source="commission_id", allow_null=True, read_only=True)
    threshold = serializers.CharField(source="threshold_label", read_only=True)
    status = serializers.SerializerMethodField()

    class Meta:
        model = Proposal
        fields = [
            "id",
            "title",
            "text",
            "state",
            "proposer",
            "commission",
            "opens_at",
            "closes_at",
            "rule",
            "threshold",
            "quorum_percent",
            "vote_closes_at",
            "decided_at",
            "decided_by",
            "agree_count",
            "stand_aside_count",
            "object_count",
            "yes_count",
            "no_count",
            "abstain_count",
            "quorum_met",
            "review_on",
            "status",
        ]
        read_only_fields = fields

    @extend_schema_field(OpenApiTypes.STR)
    def get_status(self, proposal: Proposal) -> str:
        # The list counts the standing objections in its query; a single proposal reads them.
        objections = getattr(proposal, "objections", None)
        if objections is None:
            objections = selectors.standing_objections(proposal)
        return selectors.status_sentence(proposal, objections=objections)


class PositionSerializer(serializers.ModelSerializer):
    entity = EntityRefSerializer(read_only=True)
    in_plenary = serializers.SerializerMethodField()

    class Meta:
        model = Position
        fields = ["entity", "stance", "note", "needs_review", "in_plenary", "taken_at"]
        read_only_fields = fields

    @extend_schema_field(OpenApiTypes.BOOL)
    def get_in_plenary(self, position: Position) -> bool:
        return position.recorded_in_plenary_by_id is not None


class PositionInputSerializer(serializers.Serializer):
    entity = serializers.SlugField()
    stance = serializers.ChoiceField(choices=Stance.choices)
    note = serializers.CharField(required=False, allow_blank=True, max_length=4000, default="")


class OpenVoteInputSerializer(serializers.Serializer):
    closes_at = serializers.DateTimeField()
