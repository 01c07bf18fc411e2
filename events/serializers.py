"""The shapes of events in the API: times in the network's zone, people only for who runs it."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from events.models import AgendaItem, Event, Registration
from members.models import Entity


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
