"""Commissions in the API: public facts about entities, never about the people behind them.

Reads mirror the commission page (members with their platforms, promoter
terms, the work plan, the timeline of updates and state changes). Writes take
the entity the person acts for by its slug, check it with the same forms as
the pages, ask the rules registry (a facilitator never acts for a member
entity: 403) and call `commissions.services`, which decide again; a refusal
of the services becomes a 409 with its message.
"""

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, Subquery
from django.http import Http404, QueryDict
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import exceptions, filters, generics, serializers, status
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from commissions import forms, selectors, services
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
from core.api import JSONParser, NetworkScopedView
from core.errors import DomainError
from members.models import Membership, MembershipStatus
from members.rules import acts_for
from networks.rules import is_facilitator
from platforms.models import Platform

# --- Serializers -----------------------------------------------------------


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

    class Meta:
        model = CommissionMember
        fields = ["entity", "platform", "joined_on"]

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


# --- Helpers ---------------------------------------------------------------


def _active_membership():
    return Membership.objects.filter(
        entity_id=OuterRef("entity_id"), status=MembershipStatus.ACTIVE
    )


def platforms_by_commission(commission_ids):
    """The platforms of each commission's sitting members: two queries for any number.

    Runs in the request's network scope, like every read of this module.
    """
    rows = (
        CommissionMember.objects.filter(commission_id__in=commission_ids, left_on__isnull=True)
        .annotate(platform_id=Subquery(_active_membership().values("platform_id")[:1]))
        .filter(platform_id__isnull=False)
        .values_list("commission_id", "platform_id")
        .distinct()
    )
    pairs = list(rows)
    # A network has a handful of platforms: reading them all keeps the count fixed.
    platforms = {platform.pk: platform for platform in Platform.objects.all()}
    found = {}
    for commission_id, platform_id in pairs:
        found.setdefault(commission_id, []).append(platforms[platform_id])
    for listed in found.values():
        listed.sort(key=lambda platform: (platform.position, platform.pk))
    return found


def commissions_with_counts():
    return Commission.objects.annotate(
        member_count=Count("memberships", filter=Q(memberships__left_on__isnull=True))
    )


class CommissionChildView(NetworkScopedView):
    """A view under one commission: the commission is looked up in the request's network."""

    def get_commission(self):
        if not hasattr(self, "_commission"):
            commission = selectors.get_commission(
                network=self.request.network, commission_id=self.kwargs["commission_id"]
            )
            if commission is None:
                raise Http404
            self._commission = commission
        return self._commission


def _refuse_unless(request, permission, obj, *, neutral=True):
    """The permission the service asks too; member acts are refused to the facilitator (4.2 a)."""
    if not request.user.has_perm(permission, obj):
        if not request.user.is_authenticated:
            raise exceptions.NotAuthenticated()
        raise exceptions.PermissionDenied()
    if neutral and is_facilitator(request.user, obj):
        raise exceptions.PermissionDenied(
            _(
                "Facilitators stay neutral in the network they facilitate: they cannot act "
                "for a member entity there."
            )
        )


def _plain_data(request):
    """The body's fields (files apart) as the forms read them, whatever the body's format."""
    body = request.data
    if not isinstance(body, dict):
        raise exceptions.ValidationError({"non_field_errors": [_("Send an object of fields.")]})
    data = QueryDict(mutable=True)
    for key in body:
        if key in request.FILES:
            continue
        values = body.getlist(key) if isinstance(body, QueryDict) else body[key]
        if not isinstance(values, list):
            values = [values]
        data.setlist(key, ["" if value is None else str(value) for value in values])
    return data


def _checked_form(request, form_class, *, entities, **form_kwargs):
    """Check the body with the page's form; the API names the entity by its slug."""
    data = _plain_data(request)
    slug = data.get("entity")
    by_slug = {entity.slug: entity for entity in entities}
    network = request.network
    if not isinstance(slug, str) or not slug:
        raise exceptions.ValidationError({"entity": [_("Name the entity you act for.")]})
    entity = by_slug.get(slug)
    if entity is None or not acts_for(request.user, entity, network):
        raise exceptions.ValidationError(
            {"entity": [_("You cannot act for this entity here, or it cannot do this.")]}
        )
    data["entity"] = str(entity.pk)
    form = form_class(data, request.FILES or None, entities=entities, **form_kwargs)
    if not form.is_valid():
        raise exceptions.ValidationError(form.errors)
    return form


# --- Commissions -----------------------------------------------------------


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
        return commissions_with_counts().order_by("name", "id")

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        context = self.get_serializer_context()
        context["platforms_by_commission"] = platforms_by_commission(
            [commission.pk for commission in page]
        )
        serializer = self.get_serializer_class()(page, many=True, context=context)
        return self.get_paginated_response(serializer.data)


class CommissionDetail(NetworkScopedView, generics.RetrieveAPIView):
    """One commission: purpose, topics and where it stands in its lifecycle."""

    model = Commission
    serializer_class = CommissionDetailSerializer
    lookup_url_kwarg = "commission_id"

    def get_network_queryset(self):
        # The network's settings give the deadlines.
        return (
            commissions_with_counts()
            .select_related("network")
            .prefetch_related(
                Prefetch("plan_topics", queryset=Topic.objects.order_by("priority", "id"))
            )
        )

    def get_serializer_context(self):
        context = super().get_serializer_context()
        if "commission_id" in self.kwargs and not getattr(self, "swagger_fake_view", False):
            context["platforms_by_commission"] = platforms_by_commission(
                [self.kwargs["commission_id"]]
            )
        return context


class CommissionMemberList(CommissionChildView, generics.ListAPIView):
    """The entities sitting in the commission (active members of the network) and platforms."""

    model = CommissionMember
    serializer_class = CommissionMemberSerializer
    filterset_fields = ["entity__slug"]
    ordering_fields = ["joined_on", "entity__name"]

    def get_network_queryset(self):
        return (
            CommissionMember.objects.filter(commission=self.get_commission(), left_on__isnull=True)
            .filter(Exists(_active_membership()))
            .annotate(platform_id=Subquery(_active_membership().values("platform_id")[:1]))
            .select_related("entity")
            .order_by("entity__name", "id")
        )

    def get_serializer_context(self):
        context = super().get_serializer_context()
        if not getattr(self, "swagger_fake_view", False):
            context["platforms"] = {platform.pk: platform for platform in Platform.objects.all()}
        return context


class PromoterTermList(CommissionChildView, generics.ListAPIView):
    """Who promoted the commission, from when to when, and why they stepped down."""

    model = PromoterTerm
    serializer_class = PromoterTermSerializer
    filterset_fields = ["entity__slug"]
    ordering_fields = ["started_at", "ended_at"]

    def get_network_queryset(self):
        return (
            PromoterTerm.objects.filter(commission=self.get_commission())
            .select_related("entity")
            .order_by("started_at", "id")
        )


class WorkPlan(CommissionChildView, generics.ListAPIView):
    """The work plan: topics in priority order, each with its actions."""

    model = Topic
    serializer_class = TopicSerializer
    filterset_fields = ["priority"]
    ordering_fields = ["priority", "title"]

    def get_network_queryset(self):
        actions = Action.objects.select_related("responsible").order_by("due_on", "id")
        return (
            Topic.objects.filter(commission=self.get_commission())
            .prefetch_related(Prefetch("actions", queryset=actions))
            .order_by("priority", "id")
        )


class StateChangeList(CommissionChildView, generics.ListAPIView):
    """Every dated, explained transition of the commission's lifecycle."""

    model = StateChange
    serializer_class = StateChangeSerializer
    filterset_fields = ["to_state", "reason"]
    ordering_fields = ["at"]

    def get_network_queryset(self):
        return StateChange.objects.filter(commission=self.get_commission()).order_by("at", "id")


class ProgressUpdateList(CommissionChildView, generics.ListCreateAPIView):
    """The commission's progress updates, newest first; promoters post new ones."""

    model = ProgressUpdate
    serializer_class = ProgressUpdateSerializer
    parser_classes = [JSONParser, MultiPartParser, FormParser]
    filterset_fields = ["entity__slug"]
    ordering_fields = ["created_at"]

    def get_network_queryset(self):
        return (
            ProgressUpdate.objects.filter(commission=self.get_commission())
            .select_related("entity")
            .prefetch_related(Prefetch("actions", queryset=Action.objects.only("id")))
            .annotate(comment_count=Count("comments"))
            .order_by("-created_at", "-id")
        )

    @extend_schema(request=UpdateInputSerializer, responses={201: ProgressUpdateSerializer})
    def post(self, request, *args, **kwargs):
        commission = self.get_commission()
        _refuse_unless(request, "commissions.post_update", commission)
        standing = selectors.standing_of(request.user, commission)
        form = _checked_form(
            request,
            forms.ProgressUpdateForm,
            entities=list(selectors.entities_by_id(standing.promoting).values()),
            actions=selectors.actions_of(commission),
        )
        data = form.cleaned_data
        update = services.post_progress_update(
            commission=commission,
            entity=form.acting_entity,
            by=request.user,
            text=data["text"],
            image=data["image"],
            attachment=data["attachment"],
            actions=data["actions"],
        )
        update = self.get_network_queryset().get(pk=update.pk)
        serializer = self.get_serializer(update)
        return Response(serializer.data, status=status.HTTP_201_CREATED)


class CommentList(CommissionChildView, generics.ListCreateAPIView):
    """Comments on one progress update, oldest first; entities sitting in the commission comment."""

    model = Comment
    serializer_class = CommentSerializer
    filterset_fields = ["entity__slug"]
    ordering_fields = ["created_at"]

    def get_update(self):
        update = selectors.update_of(
            commission=self.get_commission(), update_id=self.kwargs["update_id"]
        )
        if update is None:
            raise Http404
        return update

    def get_network_queryset(self):
        return (
            Comment.objects.filter(update=self.get_update())
            .select_related("entity")
            .order_by("created_at", "id")
        )

    @extend_schema(request=CommentInputSerializer, responses={201: CommentSerializer})
    def post(self, request, *args, **kwargs):
        commission = self.get_commission()
        update = self.get_update()
        _refuse_unless(request, "commissions.comment", commission)
        standing = selectors.standing_of(request.user, commission)
        form = _checked_form(
            request,
            forms.CommentForm,
            entities=list(selectors.entities_by_id(standing.sitting).values()),
        )
        created = services.comment_on_update(
            update=update,
            entity=form.acting_entity,
            by=request.user,
            text=form.cleaned_data["text"],
        )
        return Response(self.get_serializer(created).data, status=status.HTTP_201_CREATED)


# --- Acting on a commission ------------------------------------------------


class CommissionAction(CommissionChildView, APIView):
    """A POST that acts for an entity; GET lists the entities this person may act for here."""

    model = Commission
    permission = None
    form_class = forms.EntityOnlyForm
    input_serializer = ActingSerializer

    def entities(self, standing):
        raise NotImplementedError

    def perform(self, commission, form):
        raise NotImplementedError

    def _choices(self, request):
        commission = self.get_commission()
        _refuse_unless(request, self.permission, commission)
        standing = selectors.standing_of(request.user, commission)
        return commission, list(selectors.entities_by_id(self.entities(standing)).values())

    @extend_schema(responses=ChoicesSerializer)
    def get(self, request, *args, **kwargs):
        _commission, entities = self._choices(request)
        return Response(ChoicesSerializer({"entities": entities}).data)

    def post(self, request, *args, **kwargs):
        commission, entities = self._choices(request)
        form = _checked_form(request, self.form_class, entities=entities)
        message = self.perform(commission, form)
        selectors.forget_standing(request.user)
        commission = commissions_with_counts().prefetch_related("plan_topics").get(pk=commission.pk)
        context = {
            "request": request,
            "platforms_by_commission": platforms_by_commission([commission.pk]),
        }
        return Response(
            {
                "detail": message,
                "commission": CommissionDetailSerializer(commission, context=context).data,
            }
        )


class Join(CommissionAction):
    """An entity the person acts for joins the commission."""

    permission = "commissions.join"

    def entities(self, standing):
        return standing.entity_ids - standing.sitting

    @extend_schema(request=ActingSerializer, responses=TermResultSerializer)
    def post(self, request, *args, **kwargs):
        return super().post(request, *args, **kwargs)

    def perform(self, commission, form):
        services.join_commission(
            commission=commission, entity=form.acting_entity, by=self.request.user
        )
        return _("Your entity now sits in the commission.")


class StepUp(CommissionAction):
    """An entity the person acts for steps up as promoter."""

    permission = "commissions.promote"

    def entities(self, standing):
        return standing.entity_ids - standing.promoting

    @extend_schema(request=ActingSerializer, responses=TermResultSerializer)
    def post(self, request, *args, **kwargs):
        return super().post(request, *args, **kwargs)

    def perform(self, commission, form):
        services.step_up_as_promoter(
            commission=commission, entity=form.acting_entity, by=self.request.user
        )
        return _("Your entity now promotes the commission.")


class StepDown(CommissionAction):
    """A promoter entity steps down, saying why."""

    permission = "commissions.step_down"
    form_class = forms.StepDownForm

    def entities(self, standing):
        return standing.promoting

    @extend_schema(request=StepDownInputSerializer, responses=TermResultSerializer)
    def post(self, request, *args, **kwargs):
        return super().post(request, *args, **kwargs)

    def perform(self, commission, form):
        term = selectors.open_term(commission=commission, entity=form.acting_entity)
        if term is None:
            raise DomainError(_("This promoter term has already ended."))
        services.step_down_as_promoter(
            term=term, by=self.request.user, reason=form.cleaned_data["reason"]
        )
        return _("Your entity stepped down as promoter. Thank you for the work done.")


class Close(CommissionAction):
    """A promoter entity closes the commission as completed; members and facilitators are told."""

    permission = "commissions.close"
    form_class = forms.CloseForm

    def entities(self, standing):
        return standing.promoting

    @extend_schema(request=CloseInputSerializer, responses=TermResultSerializer)
    def post(self, request, *args, **kwargs):
        return super().post(request, *args, **kwargs)

    def perform(self, commission, form):
        services.close_as_completed(
            commission=commission,
            entity=form.acting_entity,
            by=self.request.user,
            note=form.cleaned_data["note"],
        )
        return _("The commission is closed. Its record stays visible in the archive.")


class Reopen(CommissionChildView, APIView):
    """The facilitator reopens a commission closed by mistake, within 30 days, with a reason.

    GET says whether it can be reopened now and until when.
    """

    model = Commission

    def _allowed(self, request):
        commission = self.get_commission()
        _refuse_unless(request, "networks.run_network", request.network, neutral=False)
        return commission

    @extend_schema(responses=ReopenStateSerializer)
    def get(self, request, *args, **kwargs):
        commission = self._allowed(request)
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
        commission = self._allowed(request)
        body = ReopenInputSerializer(data=_plain_data(request))
        body.is_valid(raise_exception=True)
        services.reopen_commission(
            commission=commission, by=request.user, reason=body.validated_data["reason"]
        )
        commission = commissions_with_counts().prefetch_related("plan_topics").get(pk=commission.pk)
        context = {
            "request": request,
            "platforms_by_commission": platforms_by_commission([commission.pk]),
        }
        return Response(
            {
                "detail": _("The commission is open again; its members are told."),
                "commission": CommissionDetailSerializer(commission, context=context).data,
            }
        )
