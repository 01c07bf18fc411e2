"""Proposals in the API: what the proposal page shows, with entities' names, never people's.

Reads are for the network's members and whoever runs it, like the pages, and
go through `decisions.selectors`; the shapes are in `decisions.serializers`.
Taking a position names the entity by its slug; the rules registry refuses a
facilitator (403), and `decisions.services` decide again: a refusal there is a
409 with its message.
"""

from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, generics, status
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api import NetworkScopedView
from decisions import selectors, services
from decisions.models import Proposal
from decisions.serializers import (
    OpenVoteInputSerializer,
    PositionInputSerializer,
    PositionSerializer,
    ProposalSerializer,
)
from members.rules import acts_for


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
        return selectors.standing_positions(self.get_proposal())

    @extend_schema(request=PositionInputSerializer, responses={201: PositionSerializer})
    def post(self, request, *args, **kwargs):
        proposal = self.get_proposal()
        body = PositionInputSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        network = request.network
        entity = selectors.member_entity(network=network, slug=body.validated_data["entity"])
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
