"""Events in the API: the calendar, agendas, registrations and attendance.

Anonymous readers and members see what the event pages show them: announced
events they may view, and for registrations only the confirmed entities with
their numbers of people. Organisers and facilitators (`events.manage_event`)
also see individuals' names and emails, the waiting list and attendance.
Registering and cancelling call `events.services`, like the pages.
"""

from datetime import datetime, time, timedelta

import django_filters
from django.db.models import Count, Prefetch, Q, Sum
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import exceptions, generics, serializers, status
from rest_framework.response import Response

from core.api import NetworkScopedView
from core.dates import validate_day
from events import services
from events.models import (
    AgendaItem,
    Event,
    EventFormat,
    EventKind,
    EventOrganiser,
    EventStatus,
    Registration,
    RegistrationStatus,
    Visibility,
)
from events.selectors import viewable_events
from members.models import Entity
from members.rules import acts_for, has_verified_email


class LocalDateTimeField(serializers.DateTimeField):
    """ISO 8601 with the offset of the network's time zone (America/Lima: -05:00)."""

    def to_representation(self, value):
        if value is None:
            return None
        return timezone.localtime(value, self.context["request"].network.zone).isoformat()


class EntityReferenceSerializer(serializers.ModelSerializer):
    class Meta:
        model = Entity
        fields = ["slug", "name"]


class AgendaItemSerializer(serializers.ModelSerializer):
    proposer = EntityReferenceSerializer(read_only=True)

    class Meta:
        model = AgendaItem
        fields = ["position", "title", "proposer", "proposal"]


class EventSerializer(serializers.ModelSerializer):
    starts_at = LocalDateTimeField(read_only=True)
    ends_at = LocalDateTimeField(read_only=True)
    registration_closes_at = LocalDateTimeField(read_only=True)
    time_zone = serializers.SerializerMethodField()
    organisers = serializers.SerializerMethodField()
    confirmed_people = serializers.IntegerField(read_only=True)
    waiting_count = serializers.IntegerField(read_only=True)
    places_left = serializers.SerializerMethodField()
    url = serializers.SerializerMethodField()

    class Meta:
        model = Event
        fields = [
            "id",
            "kind",
            "title",
            "description",
            "format",
            "place",
            "starts_at",
            "ends_at",
            "time_zone",
            "visibility",
            "status",
            "commission",
            "organisers",
            "capacity",
            "confirmed_people",
            "waiting_count",
            "places_left",
            "registration_closes_at",
            "url",
        ]

    def get_time_zone(self, event) -> str:
        return self.context["request"].network.time_zone

    @extend_schema_field(EntityReferenceSerializer(many=True))
    def get_organisers(self, event):
        return EntityReferenceSerializer(
            [row.entity for row in event.organiser_rows.all()], many=True
        ).data

    def get_places_left(self, event) -> int | None:
        """Empty when the event has no limit."""
        if event.capacity is None:
            return None
        return max(event.capacity - (event.confirmed_people or 0), 0)

    def get_url(self, event) -> str:
        return self.context["request"].build_absolute_uri(event.get_absolute_url())


class EventDetailSerializer(EventSerializer):
    agenda = AgendaItemSerializer(source="agenda_items", many=True, read_only=True)

    class Meta(EventSerializer.Meta):
        fields = [*EventSerializer.Meta.fields, "agenda"]


class RegistrationSerializer(serializers.ModelSerializer):
    """Public readers get the entity and its number of people; names and emails stay empty."""

    entity = EntityReferenceSerializer(read_only=True, allow_null=True)
    name = serializers.CharField(read_only=True, allow_null=True)
    email = serializers.EmailField(read_only=True, allow_null=True)
    created_at = LocalDateTimeField(read_only=True)
    confirmed_at = LocalDateTimeField(read_only=True, allow_null=True)
    cancelled_at = LocalDateTimeField(read_only=True, allow_null=True)

    class Meta:
        model = Registration
        fields = [
            "id",
            "entity",
            "name",
            "email",
            "people",
            "status",
            "created_at",
            "confirmed_at",
            "cancelled_at",
            "attended_people",
        ]
        read_only_fields = fields

    PERSONAL = ("name", "email")

    def to_representation(self, registration):
        data = super().to_representation(registration)
        if not self.context.get("personal_data"):
            for key in self.PERSONAL:
                data[key] = None
        else:
            for key in self.PERSONAL:
                data[key] = data[key] or None
        return data


class EntityRegistrationSerializer(serializers.Serializer):
    entity = serializers.SlugField(
        max_length=220, help_text=_("The slug of a member entity you act for.")
    )
    people = serializers.IntegerField(min_value=1, max_value=32767, default=1)


# The largest id a database column holds: a bigger number in a URL names nothing.
LARGEST_ID = 2**63 - 1


def _id_from_url(view, name):
    value = view.kwargs[name]
    if value > LARGEST_ID:
        raise Http404
    return value


def visible_events(request):
    """The events this person may see (`events.selectors.viewable_events`), with their counts."""
    events = viewable_events(network=request.network, user=request.user)
    return events.select_related("network").annotate(
        confirmed_people=Sum("registrations__people", filter=Q(registrations__status="confirmed")),
        waiting_count=Count("registrations", filter=Q(registrations__status="waitlisted")),
    )


def with_organisers(events):
    return events.prefetch_related(
        Prefetch(
            "organiser_rows",
            queryset=EventOrganiser.objects.select_related("entity").order_by("entity__name"),
        )
    )


def _start_of_day(day, network):
    return datetime.combine(day, time.min, tzinfo=network.zone)


class EventFilter(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(choices=EventKind.choices)
    status = django_filters.ChoiceFilter(choices=EventStatus.choices)
    visibility = django_filters.ChoiceFilter(choices=Visibility.choices)
    format = django_filters.ChoiceFilter(choices=EventFormat.choices)
    commission = django_filters.NumberFilter(
        field_name="commission_id", min_value=1, max_value=LARGEST_ID
    )
    # Days within the bounds of `core.dates`; another day is a 400 that says which.
    date_from = django_filters.DateFilter(
        method="filter_from",
        label=_("Events that end on or after this day"),
        validators=[validate_day],
    )
    date_to = django_filters.DateFilter(
        method="filter_to",
        label=_("Events that start on or before this day"),
        validators=[validate_day],
    )

    class Meta:
        model = Event
        fields = []

    def filter_from(self, queryset, name, value):
        return queryset.filter(ends_at__gte=_start_of_day(value, self.request.network))

    def filter_to(self, queryset, name, value):
        next_day = _start_of_day(value + timedelta(days=1), self.request.network)
        return queryset.filter(starts_at__lt=next_day)


class EventList(NetworkScopedView, generics.ListAPIView):
    """The network's events this person may see, soonest first; times in the network's zone."""

    model = Event
    serializer_class = EventSerializer
    filterset_class = EventFilter
    ordering_fields = ["starts_at", "ends_at", "title", "created_at"]

    def get_network_queryset(self):
        return with_organisers(visible_events(self.request)).order_by("starts_at", "id")


class EventView(NetworkScopedView):
    """An event of the request's network that this person may see, else 404."""

    model = Event

    def get_event(self):
        event = get_object_or_404(
            with_organisers(visible_events(self.request)), pk=_id_from_url(self, "event_id")
        )
        event._organiser_ids = {row.entity_id for row in event.organiser_rows.all()}
        return event

    def check_event_permission(self, event, perm):
        if not self.request.user.has_perm(perm, event):
            self.permission_denied(self.request)


class EventDetail(EventView, generics.RetrieveAPIView):
    """One event with its agenda (who proposes what), organisers, capacity and places left."""

    serializer_class = EventDetailSerializer

    def get_object(self):
        return self.get_event()

    def get_network_queryset(self):
        return Event.objects.all()


class RegistrationFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=RegistrationStatus.choices)
    entity = django_filters.CharFilter(field_name="entity__slug")

    class Meta:
        model = Registration
        fields = []


class RegistrationList(EventView, generics.ListCreateAPIView):
    """GET: the confirmed entities (everyone) or every registration (organisers, facilitators).

    POST: a member registers an entity it acts for; 201 with status confirmed or
    waitlisted, 409 when the services refuse (closed, full, already registered).
    """

    model = Registration
    serializer_class = RegistrationSerializer
    filterset_class = RegistrationFilter
    ordering_fields = ["created_at", "people", "status"]

    def get_serializer_context(self):
        context = super().get_serializer_context()
        context["personal_data"] = self._manages()
        return context

    def _manages(self):
        if getattr(self, "swagger_fake_view", False):
            return False
        if not hasattr(self, "_event"):
            self._event = self.get_event()
        return self.request.user.has_perm("events.manage_event", self._event)

    def get_network_queryset(self):
        if not hasattr(self, "_event"):
            self._event = self.get_event()
        registrations = Registration.objects.filter(event=self._event).select_related("entity")
        if not self._manages():
            registrations = registrations.filter(
                status=RegistrationStatus.CONFIRMED, entity__isnull=False
            )
        return registrations.order_by("created_at", "id")

    @extend_schema(request=EntityRegistrationSerializer, responses={201: RegistrationSerializer})
    def post(self, request, *args, **kwargs):
        event = self._event = self.get_event()
        self.check_event_permission(event, "events.register_entity")
        if not has_verified_email(request.user):
            raise exceptions.PermissionDenied(_("Verify your email address first."))
        body = EntityRegistrationSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        entity = Entity.objects.filter(slug=body.validated_data["entity"]).first()
        if entity is None or not acts_for(request.user, entity, request.network):
            raise exceptions.ValidationError(
                {"entity": [_("Choose a member entity of this network that you act for.")]}
            )
        registration = services.register_entity(
            event=event, entity=entity, people=body.validated_data["people"], by=request.user
        )
        registration.entity = entity
        data = RegistrationSerializer(registration, context=self.get_serializer_context()).data
        return Response(data, status=status.HTTP_201_CREATED)


class RegistrationCancel(EventView, generics.GenericAPIView):
    """GET: the registration that would be cancelled. POST: cancel it; the waiting list moves up.

    For the entity's representative or alternate, the person who registered, and
    the event's organisers and facilitators.
    """

    model = Registration
    serializer_class = RegistrationSerializer

    def get_network_queryset(self):
        return Registration.objects.all()

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "personal_data": True}

    def get_registration(self):
        event = self.get_event()
        registration = get_object_or_404(
            Registration.objects.filter(event=event).select_related("entity"),
            pk=_id_from_url(self, "registration_id"),
        )
        user = self.request.user
        own = user.is_authenticated and (
            registration.user_id == user.pk
            or (registration.entity_id and acts_for(user, registration.entity, event.network))
        )
        if not (own or user.has_perm("events.manage_event", event)):
            self.permission_denied(self.request)
        registration.event = event
        return registration

    def get(self, request, *args, **kwargs):
        return Response(self.get_serializer(self.get_registration()).data)

    @extend_schema(request=None, responses={200: RegistrationSerializer})
    def post(self, request, *args, **kwargs):
        registration = self.get_registration()
        if not has_verified_email(request.user):
            raise exceptions.PermissionDenied(_("Verify your email address first."))
        registration = services.cancel_registration(registration=registration, by=request.user)
        return Response(self.get_serializer(registration).data)


class AttendanceSerializer(serializers.ModelSerializer):
    entity = EntityReferenceSerializer(read_only=True, allow_null=True)
    name = serializers.CharField(read_only=True, allow_null=True)
    attended = serializers.BooleanField(read_only=True)

    class Meta:
        model = Registration
        fields = ["id", "entity", "name", "people", "attended_people", "attended"]
        read_only_fields = fields

    def to_representation(self, registration):
        data = super().to_representation(registration)
        data["name"] = data["name"] or None
        return data


class AttendanceFilter(django_filters.FilterSet):
    attended = django_filters.BooleanFilter(
        field_name="attended_people", lookup_expr="gt", method="filter_attended"
    )
    entity = django_filters.CharFilter(field_name="entity__slug")

    class Meta:
        model = Registration
        fields = []

    def filter_attended(self, queryset, name, value):
        came = Q(attended_people__gt=0)
        return queryset.filter(came if value else ~came)


class AttendanceList(EventView, generics.ListAPIView):
    """Who came to the event, registration by registration: for its organisers and facilitators."""

    model = Registration
    serializer_class = AttendanceSerializer
    filterset_class = AttendanceFilter
    ordering_fields = ["created_at", "people", "attended_people"]

    def get_network_queryset(self):
        event = self.get_event()
        self.check_event_permission(event, "events.manage_event")
        return (
            Registration.objects.filter(event=event, status=RegistrationStatus.CONFIRMED)
            .select_related("entity")
            .order_by("created_at", "id")
        )
