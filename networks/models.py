from zoneinfo import ZoneInfo, available_timezones

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.links import link
from networks.scoping import NetworkOwned
from networks.tree import with_ids_under


def validate_time_zone(value: str) -> None:
    # Checked against the machine's zone database, not stored as choices, so
    # that a tzdata update never asks for a migration.
    if value not in available_timezones():
        raise ValidationError(_("%(zone)s is not a known time zone."), params={"zone": value})


class NetworkKind(models.TextChoices):
    NATIONAL = "national", _("National")
    REGIONAL = "regional", _("Regional")
    # A provincial or municipal network under a regional one (section 6.5).
    LOCAL = "local", _("Provincial or municipal")


class NetworkStatus(models.TextChoices):
    LAUNCHING = "launching", _("Launching")
    ACTIVE = "active", _("Active")
    DORMANT = "dormant", _("Dormant")


class MembershipApproval(models.TextChoices):
    OPEN = "open", _("Open: new members are active at once")
    REVIEWED = "reviewed", _("Reviewed: a facilitator approves each application")


INTERLOCUTOR_POWERS = (
    "interlocutor_reviews_applications",
    "interlocutor_convenes_plenaries",
    "interlocutor_writes_announcements",
    "interlocutor_sees_activity",
    "interlocutor_receives_vacancy_alerts",
)


class Network(models.Model):
    """The tenant: a national network, one of its regional networks, or a local one under those.

    One installation may hold several national networks (one per country), each
    with its own facilitators, time zone and language; a network made under
    another takes those two from it unless told otherwise (`inherit_from_parent`).
    """

    # What a new network takes from the network it is made under.
    INHERITED_FROM_PARENT = ("time_zone", "default_language")

    name = models.CharField(_("name"), max_length=200, unique=True)
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    kind = models.CharField(
        _("kind"), max_length=20, choices=NetworkKind.choices, default=NetworkKind.REGIONAL
    )
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("parent network"),
    )
    region = models.CharField(_("region"), max_length=100, blank=True)
    time_zone = models.CharField(
        _("time zone"), max_length=64, default="America/Lima", validators=[validate_time_zone]
    )
    default_language = models.CharField(
        _("default language"), max_length=8, choices=settings.LANGUAGES, default="es"
    )
    founded_on = models.DateField(_("founding date"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=NetworkStatus.choices, default=NetworkStatus.ACTIVE
    )

    # Governance settings (sections 4.1 d and 4.2 b of the model).
    membership_approval = models.CharField(
        _("membership approval"),
        max_length=20,
        choices=MembershipApproval.choices,
        default=MembershipApproval.REVIEWED,
    )
    stall_after_days = models.PositiveSmallIntegerField(
        _("days without activity before a commission counts as stalled"),
        default=60,
        validators=[MinValueValidator(1)],
    )
    vacancy_grace_days = models.PositiveSmallIntegerField(
        _("days a commission may stay without promoter before it closes"),
        default=30,
        validators=[MinValueValidator(1)],
    )
    max_promoter_terms = models.PositiveSmallIntegerField(
        _("maximum active promoter terms per entity"),
        default=3,
        validators=[MinValueValidator(1)],
    )
    commission_on_joining = models.BooleanField(
        _("new members pick or propose a commission on joining"), default=False
    )
    # The facilitator's powers the regional interlocutor holds beside them (4.2 c): each
    # network decides. The interlocutor keeps its entity's voice and stays no facilitator.
    interlocutor_reviews_applications = models.BooleanField(
        _("the interlocutor reviews applications"), default=False
    )
    interlocutor_convenes_plenaries = models.BooleanField(
        _("the interlocutor convenes plenaries and the network's own events"), default=True
    )
    interlocutor_writes_announcements = models.BooleanField(
        _("the interlocutor writes announcements to the whole network"), default=True
    )
    interlocutor_sees_activity = models.BooleanField(
        _("the interlocutor sees the activity history and the commissions needing attention"),
        default=False,
    )
    interlocutor_receives_vacancy_alerts = models.BooleanField(
        _("the interlocutor receives the alerts of commissions without promoter"), default=False
    )

    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("network")
        verbose_name_plural = _("networks")
        ordering = ["kind", "name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(parent__isnull=True) | ~models.Q(kind="national"),
                name="network_national_has_no_parent",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return link("networks:detail", "network_slug", self.slug)

    def ids_under(self) -> list[int]:
        """Its id and those of every network under it, at any depth, sorted.

        One query, once per object; none for a network loaded `with_ids_under`
        (`networks.tree`), as the network middleware loads the request's.
        """
        known: list[int] | None = self.__dict__.get("_ids_under")
        if known is None:
            text = self.__dict__.get("under_ids")
            if text is None:
                loaded = with_ids_under(Network.objects.filter(pk=self.pk))
                text = loaded.values_list("under_ids", flat=True)[0]
            known = self.__dict__["_ids_under"] = sorted(int(pk) for pk in text.split(","))
        return known

    @property
    def networks_under_exist(self) -> bool:
        """Does any network sit under this one (the national network over its regions)?"""
        return len(self.ids_under()) > 1

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.time_zone)

    def inherit_from_parent(self, *, given: "set[str] | frozenset[str]" = frozenset()) -> None:
        """Take the parent's time zone and language, but for the fields named in `given`."""
        if self.parent is None:
            return
        for name in self.INHERITED_FROM_PARENT:
            if name not in given:
                setattr(self, name, getattr(self.parent, name))


class CharterVersion(NetworkOwned):
    """One adopted version of a network's charter; members accept the current one."""

    version = models.PositiveIntegerField(_("version"))
    mission = models.TextField(_("mission"))
    vision = models.TextField(_("vision"))
    principles = models.TextField(_("principles"))
    code_of_ethics = models.TextField(_("code of ethics"))
    commitment = models.TextField(_("commitment"), blank=True)
    adopted_on = models.DateField(_("adopted on"), default=timezone.localdate)

    class Meta:
        verbose_name = _("charter version")
        verbose_name_plural = _("charter versions")
        ordering = ["network", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["network", "version"], name="charter_version_unique"),
        ]

    def __str__(self) -> str:
        return _("%(network)s, charter v%(version)s") % {
            "network": self.network,
            "version": self.version,
        }


class Facilitator(NetworkOwned):
    """A person who facilitates a network: neutral, with no vote (section 4.2 a)."""

    network = models.ForeignKey(
        Network, on_delete=models.PROTECT, related_name="facilitators", verbose_name=_("network")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="facilitations",
        verbose_name=_("user"),
    )
    started_on = models.DateField(_("since"), default=timezone.localdate)
    ended_on = models.DateField(_("until"), null=True, blank=True)

    class Meta:
        verbose_name = _("facilitator")
        verbose_name_plural = _("facilitators")
        ordering = ["network", "started_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["network", "user"],
                condition=models.Q(ended_on__isnull=True),
                name="facilitator_one_open_term",
            ),
            models.CheckConstraint(
                condition=models.Q(ended_on__isnull=True)
                | models.Q(ended_on__gte=models.F("started_on")),
                name="facilitator_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.network})"


class Interlocutor(NetworkOwned):
    """The member entity that animates a regional network with the facilitator (4.2 c).

    Replaceable at any moment: a network has at most one open term, and every
    term keeps its dates and the reason it ended.
    """

    network = models.ForeignKey(
        Network, on_delete=models.PROTECT, related_name="interlocutors", verbose_name=_("network")
    )
    entity = models.ForeignKey(
        "members.Entity", on_delete=models.PROTECT, related_name="+", verbose_name=_("entity")
    )
    started_at = models.DateTimeField(_("since"), default=timezone.now)
    ended_at = models.DateTimeField(_("until"), null=True, blank=True)
    end_reason = models.TextField(_("reason for the change"), blank=True)

    class Meta:
        verbose_name = _("regional interlocutor")
        verbose_name_plural = _("regional interlocutors")
        ordering = ["network", "-started_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["network"],
                condition=models.Q(ended_at__isnull=True),
                name="interlocutor_one_at_a_time",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.entity} ({self.network})"


class HistoryEntry(NetworkOwned):
    """Who changed what, and when, in a network: memberships, roles, commissions."""

    at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("who"),
    )
    action = models.CharField(_("action"), max_length=60)
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    object_id = models.PositiveBigIntegerField()
    subject = GenericForeignKey("content_type", "object_id")
    changes = models.JSONField(_("changes"), default=dict, blank=True)
    reason = models.TextField(_("reason"), blank=True)

    class Meta:
        verbose_name = _("history entry")
        verbose_name_plural = _("history")
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["network", "-at"], name="history_network_at"),
            models.Index(fields=["network", "content_type", "object_id"], name="history_subject"),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action}"


class NetworkChange(models.Model):
    """One committed write in a network, for the public pages' cache (`networks.changes`).

    Written by the database itself: a trigger on every table that public pages
    show appends a row per statement and per network it touched (`network_id`
    0 for what belongs to no single network: entities, the networks
    themselves). The sum of `weight` over the networks a page shows is that
    page's version; compaction folds rows into one per network without changing
    any sum.
    """

    network_id = models.BigIntegerField(_("network"))
    weight = models.BigIntegerField(_("changes"), default=1)

    class Meta:
        verbose_name = _("change")
        verbose_name_plural = _("changes")
        indexes = [models.Index(fields=["network_id"], name="network_change_network")]

    def __str__(self) -> str:
        return f"{self.network_id}: {self.weight}"
