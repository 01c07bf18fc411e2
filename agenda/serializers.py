"""The shapes of the annual agenda in the API: public facts about networks, commissions and
entities, never about the people behind them (a comment's author is left out with the comments)."""

from rest_framework import serializers

from agenda.models import Agenda, Line
from commissions.models import Commission, ProgressUpdate
from events.models import Event
from members.serializers import RegionalNetworkSerializer


class ProposalRefSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    title = serializers.CharField(read_only=True)


class LineSerializer(serializers.ModelSerializer):
    topics = serializers.ListField(
        source="topic_list", child=serializers.CharField(), read_only=True
    )
    commission_count = serializers.IntegerField(
        read_only=True, help_text="The commissions attached to the line, from every region."
    )

    class Meta:
        model = Line
        fields = ["id", "title", "purpose", "topics", "position", "commission_count"]


class AgendaSerializer(serializers.ModelSerializer):
    adopted_as = ProposalRefSerializer(
        source="proposal",
        read_only=True,
        allow_null=True,
        help_text="The network's adopted proposal the agenda was published as, if any.",
    )
    lines = LineSerializer(many=True, read_only=True)

    class Meta:
        model = Agenda
        fields = [
            "year",
            "state",
            "introduction",
            "drafted_at",
            "opened_at",
            "published_at",
            "adopted_as",
            "lines",
        ]


class CommissionRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Commission
        fields = ["id", "name", "kind", "state"]


class UpdateSummarySerializer(serializers.ModelSerializer):
    class Meta:
        model = ProgressUpdate
        fields = ["id", "text", "created_at"]


class EventRefSerializer(serializers.ModelSerializer):
    network = serializers.SlugField(
        source="network.slug", read_only=True, help_text="The network whose event it is."
    )

    class Meta:
        model = Event
        fields = ["id", "network", "title", "starts_at", "ends_at"]


class CommissionOnLineSerializer(serializers.Serializer):
    commission = CommissionRefSerializer(read_only=True)
    network = RegionalNetworkSerializer(
        source="region",
        read_only=True,
        help_text="The commission's network: the agenda's own or a network under it.",
    )
    attached_at = serializers.DateTimeField(source="attachment.attached_at", read_only=True)
    latest_update = UpdateSummarySerializer(read_only=True, allow_null=True)
    next_events = EventRefSerializer(
        source="events",
        many=True,
        read_only=True,
        help_text="Its next public events, soonest first (a few at most).",
    )


class LineDetailSerializer(serializers.ModelSerializer):
    year = serializers.IntegerField(source="agenda.year", read_only=True)
    topics = serializers.ListField(
        source="topic_list", child=serializers.CharField(), read_only=True
    )
    commissions = CommissionOnLineSerializer(
        source="rows",
        many=True,
        read_only=True,
        help_text="The commissions working on the line, from every region, by region and name.",
    )

    class Meta:
        model = Line
        fields = ["id", "year", "title", "purpose", "topics", "position", "commissions"]
