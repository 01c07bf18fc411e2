"""Events in the API: the calendar, agendas, registrations and attendance.

Anonymous readers and members see what the event pages show them: announced
events they may view, and for registrations only the confirmed entities with
their numbers of people. Organisers and facilitators (`events.manage_event`)
also see individuals' names and emails, the waiting list and attendance.
Registering and cancelling are the acts of `events.acts`, which the pages
take too; `core.api.RulesPermission` asks them, or the permission a view
names, of the event (or registration) of the URL.
"""

from datetime import datetime, time, timedelta

import django_filters
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, generics, status
from rest_framework.response import Response

from core.api import NetworkScopedView
from core.dates import validate_day
from events import acts, selectors
from events.forms import member_entities
from events.models import (
    Event,
    EventFormat,
    EventKind,
    EventStatus,
    Registration,
    RegistrationStatus,
    Visibility,
)
from events.serializers import (
    AttendanceSerializer,
    EntityRegistrationSerializer,
    EventDetailSerializer,
    EventSerializer,
    RegistrationSerializer,
)
from members.rules import has_verified_email

# The largest id a database column holds: a bigger number in a URL names nothing.
LARGEST_ID = 2**63 - 1


def _id_from_url(view, name):
    value = view.kwargs[name]
    if value > LARGEST_ID:
        raise Http404
    return value


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
        return selectors.events_with_counts(
            network=self.request.network, user=self.request.user
        ).order_by("starts_at", "id")


class EventView(NetworkScopedView):
    """An event of the request's network that this person may see, else 404."""

    model = Event

    def get_event(self):
        if not hasattr(self, "_event"):
            events = selectors.events_with_counts(
                network=self.request.network, user=self.request.user
            )
            event = get_object_or_404(events, pk=_id_from_url(self, "event_id"))
            event._organiser_ids = {row.entity_id for row in event.organiser_rows.all()}
            self._event = event
        return self._event

    def get_permission_object(self):
        return self.get_event()


def _require_verified_email(request):
    if not has_verified_email(request.user):
        raise exceptions.PermissionDenied(_("Verify your email address first."))


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
    act = acts.REGISTER_ENTITY

    def get_serializer_context(self):
        context = super().get_serializer_context()
        context["personal_data"] = self._manages()
        return context

    def _manages(self):
        if getattr(self, "swagger_fake_view", False):
            return False
        return self.request.user.has_perm("events.manage_event", self.get_event())

    def get_network_queryset(self):
        return selectors.registrations_listed(self.get_event(), everyone=self._manages())

    @extend_schema(request=EntityRegistrationSerializer, responses={201: RegistrationSerializer})
    def post(self, request, *args, **kwargs):
        event = self.get_event()
        _require_verified_email(request)
        body = EntityRegistrationSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        entity = (
            member_entities(request.network)
            .filter(pk__in=self.act.entities_for(request.user, event))
            .filter(slug=body.validated_data["entity"])
            .first()
        )
        if entity is None:
            raise exceptions.ValidationError(
                {"entity": [_("Choose a member entity of this network that you act for.")]}
            )
        data = {"entity": entity, "people": body.validated_data["people"]}
        registration = self.act.run(event, data, by=request.user)
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
    act = read_act = acts.CANCEL_REGISTRATION

    def get_network_queryset(self):
        return Registration.objects.all()

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "personal_data": True}

    def get_registration(self) -> Registration:
        if not hasattr(self, "_registration"):
            event = self.get_event()
            registration = get_object_or_404(
                Registration.objects.filter(event=event).select_related("entity"),
                pk=_id_from_url(self, "registration_id"),
            )
            registration.event = event
            self._registration = registration
        return self._registration

    def get_permission_object(self):
        return self.get_registration()

    def get(self, request, *args, **kwargs):
        return Response(self.get_serializer(self.get_registration()).data)

    @extend_schema(request=None, responses={200: RegistrationSerializer})
    def post(self, request, *args, **kwargs):
        registration = self.get_registration()
        _require_verified_email(request)
        registration = self.act.run(registration, {}, by=request.user)
        return Response(self.get_serializer(registration).data)


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

    read_permission = "events.manage_event"

    def get_network_queryset(self):
        return selectors.attendance_of(self.get_event())
