import secrets

from django.conf import settings
from django.db import models
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.dates import validate_moment
from networks.scoping import NetworkOwned

# Reminders go out at most this many days before an event.
MAX_REMINDER_DAYS = 30


def local_time(moment, network):
    """A moment in the network's time zone, with the zone's name, readable in any language."""
    local = timezone.localtime(moment, network.zone)
    return f"{local:%Y-%m-%d %H:%M} ({network.time_zone})"


class EventKind(models.TextChoices):
    """The events of a network's year (sections 6.2 and 8 of the model)."""

    PLENARY = "plenary", _("Plenary")
    COMMISSION_MEETING = "commission_meeting", _("Commission meeting")
    FOUNDING_MEETING = "founding_meeting", _("Volunteering Entities Meeting (founding)")
    VOLUNTEER_DAY = "volunteer_day", _("International Volunteer Day")
    YOUTH_SERVICE_DAY = "youth_service_day", _("Global Youth Service Day")
    INDUCTION_WORKSHOP = "induction_workshop", _("Induction workshop")
    CONGRESS = "congress", _("Congress")
    TRAINING = "training", _("Training")
    OTHER = "other", _("Other")


# Kinds that gather the whole network to decide: they need an agenda with concrete
# proposals before they are announced (functional principle, section 4.1 d.1).
KINDS_NEEDING_AGENDA = {EventKind.PLENARY, EventKind.FOUNDING_MEETING, EventKind.CONGRESS}

# Kinds that speak for the whole network: convened by its facilitator or by its regional
# interlocutor (4.2 a, 4.2 c, 6.2). The induction workshop, where newcomers learn the
# model, is the network's too. A commission meeting is called by the commission's
# promoters; every other kind is organised by member entities.
KINDS_CONVENED_BY_THE_NETWORK = {
    EventKind.PLENARY,
    EventKind.FOUNDING_MEETING,
    EventKind.CONGRESS,
    EventKind.INDUCTION_WORKSHOP,
}


class EventFormat(models.TextChoices):
    IN_PERSON = "in_person", _("In person")
    VIRTUAL = "virtual", _("Virtual")
    HYBRID = "hybrid", _("In person and virtual")


class Visibility(models.TextChoices):
    PUBLIC = "public", _("Public")
    MEMBERS = "members", _("Members only")


class EventStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    ANNOUNCED = "announced", _("Announced")
    CANCELLED = "cancelled", _("Cancelled")


DEFAULT_REMINDER_DAYS = "7,1"


class Event(NetworkOwned):
    """A plenary, a commission meeting, International Volunteer Day… of one network."""

    network = models.ForeignKey(
        "networks.Network",
        on_delete=models.PROTECT,
        related_name="events",
        verbose_name=_("network"),
    )
    commission = models.ForeignKey(
        "commissions.Commission",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="events",
        verbose_name=_("commission"),
    )
    kind = models.CharField(_("kind"), max_length=30, choices=EventKind.choices)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    format = models.CharField(
        _("format"), max_length=20, choices=EventFormat.choices, default=EventFormat.IN_PERSON
    )
    place = models.CharField(_("place"), max_length=300, blank=True)
    online_link = models.URLField(_("link to join online"), blank=True)
    starts_at = models.DateTimeField(_("starts at"), validators=[validate_moment])
    ends_at = models.DateTimeField(_("ends at"), validators=[validate_moment])
    visibility = models.CharField(
        _("who may see it"), max_length=20, choices=Visibility.choices, default=Visibility.PUBLIC
    )
    capacity = models.PositiveIntegerField(
        _("capacity (people)"), null=True, blank=True, help_text=_("Empty: no limit.")
    )
    registration_closes_at = models.DateTimeField(
        _("registration closes at"), validators=[validate_moment]
    )
    status = models.CharField(
        _("status"), max_length=20, choices=EventStatus.choices, default=EventStatus.DRAFT
    )
    announced_at = models.DateTimeField(_("announced at"), null=True, blank=True)
    # The calendar entry's SEQUENCE (RFC 5545): one more each time its time or
    # place changes or it is cancelled, so calendars replace the entry they hold.
    sequence = models.PositiveIntegerField(_("calendar revision"), default=0, editable=False)
    organisers = models.ManyToManyField(
        "members.Entity",
        through="EventOrganiser",
        related_name="organised_events",
        verbose_name=_("organising entities"),
    )
    reminders_enabled = models.BooleanField(_("send reminders"), default=True)
    reminder_days = models.CharField(
        _("days before the event to remind"), max_length=40, default=DEFAULT_REMINDER_DAYS
    )
    reminder_message = models.TextField(_("message added to the reminders"), blank=True)
    attendance_recorded_at = models.DateTimeField(
        _("attendance recorded at"), null=True, blank=True
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    # The organising entities' ids, read once per loaded event (`events.rules.organiser_ids`).
    _organiser_ids: set[int]

    class Meta:
        verbose_name = _("event")
        verbose_name_plural = _("events")
        ordering = ["starts_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")), name="event_ends_after_start"
            ),
        ]
        indexes = [
            models.Index(fields=["network", "status", "starts_at"], name="event_calendar"),
            models.Index(fields=["network", "commission", "starts_at"], name="event_commission"),
            models.Index(fields=["status", "starts_at"], name="event_reminder_due"),
            models.Index(fields=["status", "ends_at"], name="event_minutes_due"),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse(
            "events:detail", kwargs={"network_slug": self.network.slug, "event_id": self.pk}
        )

    @property
    def is_announced(self):
        return self.status == EventStatus.ANNOUNCED

    @property
    def is_public(self):
        return self.visibility == Visibility.PUBLIC

    @property
    def needs_agenda(self):
        return self.kind in KINDS_NEEDING_AGENDA

    @property
    def reminder_day_list(self):
        return parse_reminder_days(self.reminder_days)


def parse_reminder_days(text):
    """'7, 1' → [7, 1]; anything that is not a whole number is dropped by the form first."""
    days = set()
    for part in (text or "").replace(";", ",").split(","):
        part = part.strip()
        if part.isdigit():
            days.add(int(part))
    return sorted(days, reverse=True)


class EventOrganiser(NetworkOwned):
    """An entity organising an event; a cross-sector event may have several."""

    event = models.ForeignKey(
        Event, on_delete=models.CASCADE, related_name="organiser_rows", verbose_name=_("event")
    )
    entity = models.ForeignKey(
        "members.Entity", on_delete=models.PROTECT, related_name="+", verbose_name=_("entity")
    )

    class Meta:
        verbose_name = _("organising entity")
        verbose_name_plural = _("organising entities")
        constraints = [
            models.UniqueConstraint(fields=["event", "entity"], name="event_organiser_unique"),
        ]
        indexes = [models.Index(fields=["network", "entity"], name="event_organiser_entity")]

    def __str__(self):
        return f"{self.entity} — {self.event}"


class AgendaItem(NetworkOwned):
    """A point of the agenda, proposed by an entity with a concrete proposal (4.1 d.1)."""

    event = models.ForeignKey(
        Event, on_delete=models.CASCADE, related_name="agenda_items", verbose_name=_("event")
    )
    position = models.PositiveSmallIntegerField(_("position"), default=1)
    title = models.CharField(_("item"), max_length=200)
    proposer = models.ForeignKey(
        "members.Entity",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("proposed by"),
    )
    proposal = models.TextField(_("concrete proposal"))

    class Meta:
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")
        ordering = ["event", "position", "id"]
        indexes = [models.Index(fields=["network", "event", "position"], name="agenda_order")]

    def __str__(self):
        return self.title


class RegistrationStatus(models.TextChoices):
    # A person without an account asked to register; nothing counts until they
    # confirm through the link mailed to them, and the request lapses if they do not.
    PENDING = "pending", _("Waiting for email confirmation")
    CONFIRMED = "confirmed", _("Confirmed")
    WAITLISTED = "waitlisted", _("On the waiting list")
    CANCELLED = "cancelled", _("Cancelled")
    EXPIRED = "expired", _("Not confirmed in time")


# Registrations that hold (or wait for) a place.
ACTIVE_REGISTRATION_STATUSES = (RegistrationStatus.CONFIRMED, RegistrationStatus.WAITLISTED)
# Registrations that keep the address or the entity from registering again.
LIVE_REGISTRATION_STATUSES = (RegistrationStatus.PENDING, *ACTIVE_REGISTRATION_STATUSES)


def new_token():
    return secrets.token_urlsafe(24)


class Registration(NetworkOwned):
    """A member entity (with a number of people) or one person registered for an event.

    An individual's name and email are personal data: only organisers see them.
    """

    event = models.ForeignKey(
        Event, on_delete=models.PROTECT, related_name="registrations", verbose_name=_("event")
    )
    entity = models.ForeignKey(
        "members.Entity",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("entity"),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="event_registrations",
        verbose_name=_("registered by"),
    )
    name = models.CharField(_("name"), max_length=200, blank=True)
    email = models.EmailField(_("email"), blank=True)
    language = models.CharField(
        _("language"), max_length=8, choices=settings.LANGUAGES, default="es"
    )
    people = models.PositiveSmallIntegerField(_("number of people"), default=1)
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=RegistrationStatus.choices,
        default=RegistrationStatus.CONFIRMED,
    )
    created_at = models.DateTimeField(_("registered at"), default=timezone.now)
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    attended_people = models.PositiveSmallIntegerField(
        _("people who attended"), null=True, blank=True
    )
    # The secret of the links mailed to a person without an account (confirm, cancel).
    cancel_token = models.CharField(max_length=64, default=new_token, unique=True, editable=False)
    confirmation_sent_at = models.DateTimeField(null=True, blank=True, editable=False)
    # A pending registration: the mail asking to confirm it (claimed by the job that
    # sends it, so a retry mails nobody twice), and when the request lapses.
    request_sent_at = models.DateTimeField(null=True, blank=True, editable=False)
    expires_at = models.DateTimeField(_("confirm before"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        ordering = ["event", "created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "entity"],
                condition=models.Q(entity__isnull=False) & ~models.Q(status="cancelled"),
                name="registration_once_per_entity",
            ),
            models.UniqueConstraint(
                "event",
                Lower("email"),
                condition=models.Q(entity__isnull=True)
                & models.Q(status__in=["pending", "confirmed", "waitlisted"]),
                name="registration_once_per_email",
            ),
            models.CheckConstraint(
                condition=models.Q(people__gte=1), name="registration_at_least_one_person"
            ),
            models.CheckConstraint(
                condition=models.Q(entity__isnull=False) | ~models.Q(email=""),
                name="registration_entity_or_email",
            ),
        ]
        indexes = [
            models.Index(
                fields=["network", "event", "status", "created_at"], name="registration_queue"
            ),
            models.Index(fields=["network", "entity", "status"], name="registration_entity"),
            models.Index(fields=["network", "user", "status"], name="registration_user"),
        ]

    def __str__(self):
        return f"{self.entity or self.name} — {self.event}"

    @property
    def is_active(self):
        return self.status in ACTIVE_REGISTRATION_STATUSES

    @property
    def is_pending(self):
        return self.status == RegistrationStatus.PENDING

    @property
    def attended(self):
        return bool(self.attended_people)


class Minutes(NetworkOwned):
    """What an event decided, published to the members."""

    event = models.OneToOneField(
        Event, on_delete=models.PROTECT, related_name="minutes", verbose_name=_("event")
    )
    summary = models.TextField(_("summary"))
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("written by"),
    )
    updated_at = models.DateTimeField(_("updated at"), default=timezone.now)

    class Meta:
        verbose_name = _("minutes")
        verbose_name_plural = _("minutes")
        indexes = [models.Index(fields=["network", "published_at"], name="minutes_published")]

    def __str__(self):
        return str(self.event)

    @property
    def is_published(self):
        return self.published_at is not None


class Decision(NetworkOwned):
    """A decision of the minutes, with its follow-up action; it may become a commission action."""

    minutes = models.ForeignKey(
        Minutes, on_delete=models.CASCADE, related_name="decisions", verbose_name=_("minutes")
    )
    position = models.PositiveSmallIntegerField(_("position"), default=1)
    text = models.TextField(_("decision"))
    follow_up = models.CharField(_("follow-up action"), max_length=300, blank=True)
    commission = models.ForeignKey(
        "commissions.Commission",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("commission that follows it up"),
    )
    action = models.OneToOneField(
        "commissions.Action",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="decision",
        verbose_name=_("commission action"),
    )

    class Meta:
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")
        ordering = ["minutes", "position", "id"]
        indexes = [models.Index(fields=["network", "minutes", "position"], name="decision_order")]

    def __str__(self):
        return self.text[:60]


class CalendarToken(models.Model):
    """The secret of a person's private calendar feed; a new one revokes the old."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="calendar_token",
        verbose_name=_("user"),
    )
    token = models.CharField(max_length=64, unique=True, default=new_token, editable=False)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("calendar link")
        verbose_name_plural = _("calendar links")

    def __str__(self):
        return str(self.user)
