"""The annual agenda in the API: read only, what the agenda's pages show.

Everyone reads a network's published agendas with their lines, and a line
with the commissions working on it from every region, each with its network,
latest progress and next public events. A drafted or open agenda is read by
the same people as on the pages (`agenda.selectors.readable_agendas`): whoever
runs the network, and, while it is open, those who comment on it for a
network under it; to anyone else it is a 404. Members-only events are never
listed, as on the line's page. The comments of the networks are left out:
they name the person who wrote them.
"""

from django.db.models import QuerySet
from django.http import Http404
from rest_framework import generics
from rest_framework.request import Request
from rest_framework.response import Response

from agenda import selectors
from agenda.models import Agenda
from agenda.serializers import AgendaSerializer, LineDetailSerializer
from core.api import NetworkScopedView
from networks.middleware import network_of_request


class AgendaList(NetworkScopedView, generics.ListAPIView):
    """The network's annual agendas this person may read, newest first, with their lines."""

    model = Agenda
    serializer_class = AgendaSerializer
    filterset_fields = ["state"]
    ordering_fields = ["year"]

    def get_network_queryset(self) -> QuerySet[Agenda]:
        return selectors.agendas_with_lines(self.request.user, network_of_request(self.request))


class AgendaDetail(NetworkScopedView, generics.RetrieveAPIView):
    """One year's agenda with its lines, each with how many commissions work on it."""

    model = Agenda
    serializer_class = AgendaSerializer
    lookup_field = "year"

    def get_network_queryset(self) -> QuerySet[Agenda]:
        return selectors.agendas_with_lines(self.request.user, network_of_request(self.request))


class LineDetail(generics.GenericAPIView):
    """A line of work with the commissions attached to it, from the network and those under it."""

    serializer_class = LineDetailSerializer

    def get(self, request: Request, *args: object, **kwargs: int) -> Response:
        line = selectors.get_line(
            request.user,
            network=network_of_request(request),
            year=kwargs["year"],
            line_id=kwargs["line_id"],
        )
        if line is None:
            raise Http404
        line.rows = selectors.commissions_on_line(line)  # type: ignore[attr-defined]
        return Response(self.get_serializer(line).data)
