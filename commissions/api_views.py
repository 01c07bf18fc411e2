"""Commissions in the API: public facts about entities, never about the people behind them.

Reads mirror the commission page (members with their platforms, promoter
terms, the work plan, the timeline of updates and state changes) and go
through `commissions.selectors`. Writes are the acts of `commissions.acts`,
the same the pages take: `core.api.RulesPermission` asks the act whether the
person may (a facilitator never acts for a member entity: 403), the body is
checked with the act's form, the entity named by its slug, and the act's
service decides again; its refusal becomes a 409 with its message.
"""

from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import exceptions, filters, generics, status
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from commissions import acts, selectors, services
from commissions.models import (
    Comment,
    Commission,
    CommissionMember,
    ProgressUpdate,
    PromoterTerm,
    StateChange,
    Topic,
)
from commissions.serializers import (
    ActingSerializer,
    ChoicesSerializer,
    CloseInputSerializer,
    CommentInputSerializer,
    CommentSerializer,
    CommissionDetailSerializer,
    CommissionMemberSerializer,
    CommissionSerializer,
    ProgressUpdateSerializer,
    PromoterTermSerializer,
    ReopenInputSerializer,
    ReopenStateSerializer,
    StateChangeSerializer,
    StepDownInputSerializer,
    TermResultSerializer,
    TopicSerializer,
    UpdateInputSerializer,
)
from core.api import JSONParser, NetworkScopedView, plain_data
from members.rules import acts_for
from members.selectors import regions_of_entities
from networks.acts import Act


class CommissionChildView(NetworkScopedView):
    """A view under one commission: the commission is looked up in the request's network."""

    def get_commission(self) -> Commission:
        if not hasattr(self, "_commission"):
            commission = selectors.get_commission(
                network=self.request.network, commission_id=self.kwargs["commission_id"]
            )
            if commission is None:
                raise Http404
            self._commission = commission
        return self._commission

    def get_permission_object(self) -> Commission:
        return self.get_commission()


def checked_form(request, act: Act, commission: Commission):
    """Check the body with the act's form, as the page does; the API names the entity by slug."""
    entities = list(selectors.entities_by_id(act.entities_for(request.user, commission)).values())
    data = plain_data(request)
    slug = data.get("entity")
    if not isinstance(slug, str) or not slug:
        raise exceptions.ValidationError({"entity": [_("Name the entity you act for.")]})
    entity = {entity.slug: entity for entity in entities}.get(slug)
    if entity is None or not acts_for(request.user, entity, request.network):
        raise exceptions.ValidationError(
            {"entity": [_("You cannot act for this entity here, or it cannot do this.")]}
        )
    data["entity"] = str(entity.pk)
    form = act.form(commission, data, request.FILES or None, entities=entities)
    if not form.is_valid():
        raise exceptions.ValidationError(form.errors)
    return form


def commission_result(request, commission: Commission, message) -> Response:
    commission = selectors.commission_with_plan(commission.pk)
    context = {
        "request": request,
        "platforms_by_commission": selectors.platforms_by_commission(
            network=request.network, commission_ids=[commission.pk]
        ),
    }
    return Response(
        {
            "detail": message,
            "commission": CommissionDetailSerializer(commission, context=context).data,
        }
    )


class CommissionList(NetworkScopedView, generics.ListAPIView):
    """The commissions of a network, with member count and the platforms they bring together."""

    model = Commission
    serializer_class = CommissionSerializer
    filter_backends = [
        *generics.ListAPIView.filter_backends,
        filters.SearchFilter,
    ]
    filterset_fields = ["state", "kind"]
    search_fields = ["name"]
    ordering_fields = ["name", "started_on", "closed_on", "member_count"]
    ordering = ["name"]

    def get_network_queryset(self):
        return selectors.commissions_with_counts().order_by("name", "id")

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        context = self.get_serializer_context()
        context["platforms_by_commission"] = selectors.platforms_by_commission(
            network=request.network, commission_ids=[commission.pk for commission in page]
        )
        serializer = self.get_serializer_class()(page, many=True, context=context)
        return self.get_paginated_response(serializer.data)


class CommissionDetail(NetworkScopedView, generics.RetrieveAPIView):
    """One commission: purpose, topics and where it stands in its lifecycle."""

    model = Commission
    serializer_class = CommissionDetailSerializer
    lookup_url_kwarg = "commission_id"

    def get_network_queryset(self):
        return selectors.commission_details()

    def get_serializer_context(self):
        context = super().get_serializer_context()
        if "commission_id" in self.kwargs and not getattr(self, "swagger_fake_view", False):
            context["platforms_by_commission"] = selectors.platforms_by_commission(
                network=self.request.network, commission_ids=[self.kwargs["commission_id"]]
            )
        return context


class CommissionMemberList(CommissionChildView, generics.ListAPIView):
    """The entities sitting in the commission, with their platforms and regional networks.

    Active members of the network or of a network under it (a region of the
    national network); a regional member's platform is named by the network's
    own platform of the same sector.
    """

    model = CommissionMember
    serializer_class = CommissionMemberSerializer
    filterset_fields = ["entity__slug"]
    ordering_fields = ["joined_on", "entity__name"]

    def get_network_queryset(self):
        return selectors.sitting_members(self.get_commission())

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        context = self.get_serializer_context()
        context["platforms"] = selectors.platforms_in_reach(request.network)
        context["regions"] = regions_of_entities(
            [member.entity_id for member in page], network=request.network
        )
        serializer = self.get_serializer_class()(page, many=True, context=context)
        return self.get_paginated_response(serializer.data)


class PromoterTermList(CommissionChildView, generics.ListAPIView):
    """Who promoted the commission, from when to when, and why they stepped down."""

    model = PromoterTerm
    serializer_class = PromoterTermSerializer
    filterset_fields = ["entity__slug"]
    ordering_fields = ["started_at", "ended_at"]

    def get_network_queryset(self):
        return selectors.promoter_terms(self.get_commission())


class WorkPlan(CommissionChildView, generics.ListAPIView):
    """The work plan: topics in priority order, each with its actions."""

    model = Topic
    serializer_class = TopicSerializer
    filterset_fields = ["priority"]
    ordering_fields = ["priority", "title"]

    def get_network_queryset(self):
        return selectors.work_plan(self.get_commission())


class StateChangeList(CommissionChildView, generics.ListAPIView):
    """Every dated, explained transition of the commission's lifecycle."""

    model = StateChange
    serializer_class = StateChangeSerializer
    filterset_fields = ["to_state", "reason"]
    ordering_fields = ["at"]

    def get_network_queryset(self):
        return selectors.state_changes(self.get_commission())


class ProgressUpdateList(CommissionChildView, generics.ListCreateAPIView):
    """The commission's progress updates, newest first; promoters post new ones."""

    model = ProgressUpdate
    serializer_class = ProgressUpdateSerializer
    parser_classes = [JSONParser, MultiPartParser, FormParser]
    filterset_fields = ["entity__slug"]
    ordering_fields = ["created_at"]
    act = acts.POST_UPDATE

    def get_network_queryset(self):
        return selectors.progress_updates(self.get_commission())

    @extend_schema(request=UpdateInputSerializer, responses={201: ProgressUpdateSerializer})
    def post(self, request, *args, **kwargs):
        commission = self.get_commission()
        form = checked_form(request, self.act, commission)
        update = self.act.run(commission, form.act_data(), by=request.user)
        update = self.get_network_queryset().get(pk=update.pk)
        return Response(self.get_serializer(update).data, status=status.HTTP_201_CREATED)


class CommentList(CommissionChildView, generics.ListCreateAPIView):
    """Comments on one progress update, oldest first; entities sitting in the commission comment."""

    model = Comment
    serializer_class = CommentSerializer
    filterset_fields = ["entity__slug"]
    ordering_fields = ["created_at"]
    act = acts.COMMENT

    def get_update(self) -> ProgressUpdate:
        update = selectors.update_of(
            commission=self.get_commission(), update_id=self.kwargs["update_id"]
        )
        if update is None:
            raise Http404
        return update

    def get_permission_object(self) -> Commission:
        self.get_update()  # another commission's update is a 404 before anything else
        return self.get_commission()

    def get_network_queryset(self):
        return selectors.comments_on(self.get_update())

    @extend_schema(request=CommentInputSerializer, responses={201: CommentSerializer})
    def post(self, request, *args, **kwargs):
        commission = self.get_commission()
        form = checked_form(request, self.act, commission)
        created = self.act.run(commission, form.act_data(update=self.get_update()), by=request.user)
        return Response(self.get_serializer(created).data, status=status.HTTP_201_CREATED)


# --- Acting on a commission ------------------------------------------------


class CommissionAction(CommissionChildView, APIView):
    """A POST takes the view's act for an entity; GET lists the entities this person may use."""

    model = Commission
    act: Act

    @property
    def read_act(self) -> Act:
        return self.act

    @extend_schema(responses=ChoicesSerializer)
    def get(self, request, *args, **kwargs):
        commission = self.get_commission()
        ids = self.act.entities_for(request.user, commission)
        entities = list(selectors.entities_by_id(ids).values())
        return Response(ChoicesSerializer({"entities": entities}).data)

    def post(self, request, *args, **kwargs):
        commission = self.get_commission()
        form = checked_form(request, self.act, commission)
        self.act.run(commission, form.act_data(), by=request.user)
        selectors.forget_standing(request.user)
        return commission_result(request, commission, self.act.message())


def _acting(request_serializer):
    return extend_schema_view(
        post=extend_schema(request=request_serializer, responses=TermResultSerializer)
    )


@_acting(ActingSerializer)
class Join(CommissionAction):
    """An entity the person acts for joins the commission."""

    act = acts.JOIN


@_acting(ActingSerializer)
class Leave(CommissionAction):
    """An entity the person acts for leaves the commission (ending its promoter term, if any)."""

    act = acts.LEAVE


@_acting(ActingSerializer)
class StepUp(CommissionAction):
    """An entity the person acts for steps up as promoter."""

    act = acts.STEP_UP


@_acting(StepDownInputSerializer)
class StepDown(CommissionAction):
    """A promoter entity steps down, saying why."""

    act = acts.STEP_DOWN


@_acting(CloseInputSerializer)
class Close(CommissionAction):
    """A promoter entity closes the commission as completed; members and facilitators are told."""

    act = acts.CLOSE


class Reopen(CommissionChildView, APIView):
    """The facilitator reopens a commission closed by mistake, within 30 days, with a reason.

    GET says whether it can be reopened now and until when.
    """

    model = Commission
    permission_required = read_permission = "networks.run_network"

    def get_permission_object(self):
        self.get_commission()  # another network's commission is a 404 first
        return self.request.network

    @extend_schema(responses=ReopenStateSerializer)
    def get(self, request, *args, **kwargs):
        commission = self.get_commission()
        reopenable = commission.is_reopenable and request.user.has_perm(
            "commissions.reopen", commission
        )
        return Response(
            ReopenStateSerializer(
                {
                    "reopenable": reopenable,
                    "reopen_until": commission.reopen_deadline if reopenable else None,
                }
            ).data
        )

    @extend_schema(request=ReopenInputSerializer, responses=TermResultSerializer)
    def post(self, request, *args, **kwargs):
        commission = self.get_commission()
        body = ReopenInputSerializer(data=plain_data(request))
        body.is_valid(raise_exception=True)
        services.reopen_commission(
            commission=commission, by=request.user, reason=body.validated_data["reason"]
        )
        return commission_result(
            request, commission, _("The commission is open again; its members are told.")
        )
