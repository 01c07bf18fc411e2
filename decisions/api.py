"""Proposals in the API: what the proposal page shows, with entities' names, never people's.

Reads are for the network's members and whoever runs it, like the pages.
Taking a position names the entity by its slug; the rules registry refuses a
facilitator (403), and `decisions.services` decide again: a refusal there is a
409 with its message.
"""

from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import exceptions, generics, serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from commissions.serializers import EntityRefSerializer
from core.api import NetworkScopedView
from decisions import selectors, services
from decisions.models import DecidedBy, Position, Proposal, Stance
from members.models import Entity, MembershipStatus
from members.rules import acts_for


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
    def get_status(self, proposal) -> str:
        objections = getattr(proposal, "objections", None)
        if objections is None:
            objections = services.standing_objections(proposal)
        return selectors.status_sentence(proposal, objections=objections)


class PositionSerializer(serializers.ModelSerializer):
    entity = EntityRefSerializer(read_only=True)
    in_plenary = serializers.SerializerMethodField()

    class Meta:
        model = Position
        fields = ["entity", "stance", "note", "needs_review", "in_plenary", "taken_at"]
        read_only_fields = fields

    @extend_schema_field(OpenApiTypes.BOOL)
    def get_in_plenary(self, position) -> bool:
        return position.recorded_in_plenary_by_id is not None


class PositionInputSerializer(serializers.Serializer):
    entity = serializers.SlugField()
    stance = serializers.ChoiceField(choices=Stance.choices)
    note = serializers.CharField(required=False, allow_blank=True, max_length=4000, default="")


class OpenVoteInputSerializer(serializers.Serializer):
    closes_at = serializers.DateTimeField()


class ProposalView(NetworkScopedView):
    model = Proposal
    read_permission = "decisions.view_proposals"

    def get_proposal(self):
        if not hasattr(self, "_proposal"):
            proposal = selectors.get_proposal(
                network=self.request.network, proposal_id=self.kwargs["proposal_id"]
            )
            if proposal is None:
                raise Http404
            self._proposal = proposal
        return self._proposal


@extend_schema(
    parameters=[
        OpenApiParameter(
            "status", str, enum=list(selectors.LIST_FILTERS), description=_("open, closed…")
        )
    ]
)
class ProposalList(ProposalView, generics.ListAPIView):
    """The network's proposals, newest first; `status` narrows them as the page does."""

    serializer_class = ProposalSerializer

    def get_network_queryset(self):
        status_filter = self.request.query_params.get("status", "")
        return selectors.proposals(network=self.request.network, status=status_filter)


class ProposalDetail(ProposalView, generics.RetrieveAPIView):
    serializer_class = ProposalSerializer

    def get_object(self):
        return self.get_proposal()


class PositionList(ProposalView, generics.ListCreateAPIView):
    """The positions that stand (entities, never people); POST takes one for an entity."""

    serializer_class = PositionSerializer
    permission_required = "decisions.take_position"

    def get_network_queryset(self):
        return (
            Position.objects.filter(proposal=self.get_proposal(), superseded_at__isnull=True)
            .select_related("entity")
            .order_by("entity__name")
        )

    @extend_schema(request=PositionInputSerializer, responses={201: PositionSerializer})
    def post(self, request, *args, **kwargs):
        proposal = self.get_proposal()
        body = PositionInputSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        network = request.network
        entity = Entity.objects.filter(
            slug=body.validated_data["entity"],
            memberships__network=network,
            memberships__status=MembershipStatus.ACTIVE,
        ).first()
        if entity is None or not acts_for(request.user, entity, network):
            raise exceptions.ValidationError(
                {"entity": [_("You cannot act for this entity here, or it cannot do this.")]}
            )
        position = services.take_position(
            proposal=proposal,
            entity=entity,
            stance=body.validated_data["stance"],
            note=body.validated_data["note"],
            by=request.user,
        )
        return Response(PositionSerializer(position).data, status=status.HTTP_201_CREATED)


class OpenVote(ProposalView, APIView):
    """The facilitator or the proposer puts a proposal whose objections stand to the vote.

    GET answers, to whoever may call the vote, the proposal as it stands.
    """

    def _allowed_proposal(self, request):
        proposal = self.get_proposal()
        if not request.user.has_perm("decisions.open_vote", proposal):
            if not request.user.is_authenticated:
                raise exceptions.NotAuthenticated()
            raise exceptions.PermissionDenied()
        return proposal

    @extend_schema(responses=ProposalSerializer)
    def get(self, request, *args, **kwargs):
        return Response(ProposalSerializer(self._allowed_proposal(request)).data)

    @extend_schema(request=OpenVoteInputSerializer, responses=ProposalSerializer)
    def post(self, request, *args, **kwargs):
        proposal = self._allowed_proposal(request)
        body = OpenVoteInputSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        proposal = services.open_vote(
            proposal=proposal, by=request.user, closes_at=body.validated_data["closes_at"]
        )
        return Response(ProposalSerializer(self.get_proposal_again(proposal)).data)

    def get_proposal_again(self, proposal):
        return selectors.get_proposal(network=self.request.network, proposal_id=proposal.pk)
