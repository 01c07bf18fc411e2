from typing import TYPE_CHECKING

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.choices import label_of
from core.links import link
from core.text import folded
from members.signals import password_changed
from networks.scoping import NetworkOwned

if TYPE_CHECKING:
    from networks.models import Network


class NotificationPreference(models.TextChoices):
    IMMEDIATELY = "immediately", _("By email, as it happens")
    WEEKLY_DIGEST = "weekly", _("By email, in a weekly digest")
    NEVER = "never", _("Not by email")


class User(AbstractUser):
    """A person: a representative, an alternate, a facilitator or a site admin.

    Name, email and phone are personal data: they never appear on public pages.
    """

    email = models.EmailField(_("email address"), unique=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    language = models.CharField(
        _("language"), max_length=8, choices=settings.LANGUAGES, default="es"
    )
    notification_preference = models.CharField(
        _("email notifications"),
        max_length=20,
        choices=NotificationPreference.choices,
        default=NotificationPreference.IMMEDIATELY,
        help_text=_("Everything also appears in your inbox on the site."),
    )

    class Meta(AbstractUser.Meta):
        swappable = "AUTH_USER_MODEL"

    def __str__(self):
        return self.get_full_name() or self.email or self.username

    def save(self, *args, **kwargs):
        # Django keeps a new password in `_password` from set_password() until the
        # row is saved (a hash upgrade at login clears it first), so every way a
        # password changes passes here: the account page, a reset link, the
        # admin, `manage.py changepassword`.
        changed = self._password is not None and not self._state.adding
        super().save(*args, **kwargs)
        if changed:
            password_changed.send(sender=type(self), user=self)


class EntityKind(models.TextChoices):
    ASSOCIATION = "association", _("Association")
    NGO = "ngo", _("NGO")
    FOUNDATION = "foundation", _("Foundation")
    UNIVERSITY = "university", _("University")
    PUBLIC_AGENCY = "public_agency", _("Public agency")
    COMPANY = "company", _("Company")
    INTERNATIONAL = "international", _("International organisation")
    YOUTH_GROUP = "youth_group", _("Youth group")
    INFORMAL_GROUP = "informal_group", _("Informal group")
    OTHER = "other", _("Other")


class PriorityAreaCode(models.TextChoices):
    """Areas of activity named in sections 4.3 and 5.1 of the model."""

    EDUCATION = "education", _("Education")
    VOLUNTEERING = "volunteering", _("Volunteering")
    VULNERABLE_POPULATIONS = "vulnerable_populations", _("Vulnerable populations")
    YOUTH = "youth", _("Youth")
    ENVIRONMENT = "environment", _("Environment")
    HEALTH = "health", _("Health")
    CULTURE = "culture", _("Culture")
    HUMAN_RIGHTS = "human_rights", _("Human rights")
    GENDER = "gender", _("Gender")
    OTHER = "other", _("Other")


class PriorityAreaManager(models.Manager):
    def get_by_natural_key(self, code):
        return self.get(code=code)


class PriorityArea(models.Model):
    """One row per `PriorityAreaCode` (made by a migration), so the directory can filter by area.

    Named by its code in dumps: every database makes its own rows when it
    migrates, so a load finds them by code, whatever their ids.
    """

    code = models.CharField(_("code"), max_length=40, choices=PriorityAreaCode.choices, unique=True)

    objects = PriorityAreaManager()

    class Meta:
        verbose_name = _("priority area")
        verbose_name_plural = _("priority areas")
        ordering = ["id"]

    def __str__(self):
        return str(label_of(self, "code"))

    def natural_key(self):
        return (self.code,)


class EntityManager(models.Manager):
    """Keeps `Entity.search_name` in step with the name in bulk writes too."""

    def bulk_create(self, objs, *args, **kwargs):
        objs = list(objs)
        for entity in objs:
            entity.search_name = folded(entity.name)
        return super().bulk_create(objs, *args, **kwargs)

    def bulk_update(self, objs, fields, *args, **kwargs):
        objs = list(objs)
        fields = list(fields)
        if "name" in fields:
            for entity in objs:
                entity.search_name = folded(entity.name)
            if "search_name" not in fields:
                fields.append("search_name")
        return super().bulk_update(objs, fields, *args, **kwargs)


class Entity(models.Model):
    """A volunteering organisation, formal or not (inclusive principle, section 4.1 d.3).

    An entity may belong to several networks through its memberships, so it is
    not owned by one network; it is shown under a network only while it is an
    active member there.
    """

    # The longest public description a form or the API accepts (the column has no limit).
    DESCRIPTION_MAX_LENGTH = 5000

    name = models.CharField(_("name"), max_length=200)
    # The name as searches compare it: no accents, no case (`core.text.folded`). On
    # PostgreSQL a trigram index on it answers "contains" searches without a scan.
    search_name = models.TextField(_("name for searching"), blank=True, editable=False)
    slug = models.SlugField(_("slug"), max_length=220, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=EntityKind.choices)
    legally_registered = models.BooleanField(_("legally registered"), default=False)
    priority_areas = models.ManyToManyField(
        PriorityArea, blank=True, related_name="entities", verbose_name=_("priority areas")
    )
    region = models.CharField(_("region"), max_length=100, blank=True)
    city = models.CharField(_("city"), max_length=100, blank=True)
    website = models.URLField(_("website"), blank=True)
    description = models.TextField(_("public description"), blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )

    objects = EntityManager()

    class Meta:
        verbose_name = _("entity")
        verbose_name_plural = _("entities")
        ordering = ["name"]
        indexes = [models.Index(Lower("name"), name="entity_name_lower")]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.search_name = folded(self.name)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "name" in update_fields:
            kwargs["update_fields"] = {*update_fields, "search_name"}
        super().save(*args, **kwargs)


class MembershipStatus(models.TextChoices):
    APPLIED = "applied", _("Applied")
    ACTIVE = "active", _("Active")
    SUSPENDED = "suspended", _("Suspended")
    LEFT = "left", _("Left")
    REJECTED = "rejected", _("Rejected")


class Membership(NetworkOwned):
    """An entity in a network: its status, platform, representative and alternate."""

    # The longest purpose of a commission proposed on joining that a form or the API accepts.
    PROPOSED_PURPOSE_MAX_LENGTH = 2000

    network = models.ForeignKey(
        "networks.Network",
        on_delete=models.PROTECT,
        related_name="memberships",
        verbose_name=_("network"),
    )
    entity = models.ForeignKey(
        Entity, on_delete=models.PROTECT, related_name="memberships", verbose_name=_("entity")
    )
    platform = models.ForeignKey(
        "platforms.Platform",
        on_delete=models.PROTECT,
        related_name="memberships",
        verbose_name=_("platform"),
    )
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=MembershipStatus.choices,
        default=MembershipStatus.APPLIED,
    )
    status_reason = models.TextField(_("reason for the status"), blank=True)
    status_changed_at = models.DateTimeField(_("status changed at"), default=timezone.now)
    applied_at = models.DateTimeField(_("applied at"), default=timezone.now)
    joined_at = models.DateTimeField(_("joined at"), null=True, blank=True)
    left_at = models.DateTimeField(_("left at"), null=True, blank=True)
    representative = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="represented_memberships",
        verbose_name=_("representative"),
    )
    alternate = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="alternate_memberships",
        verbose_name=_("alternate"),
    )
    charter_version = models.ForeignKey(
        "networks.CharterVersion",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("charter accepted"),
    )
    charter_accepted_at = models.DateTimeField(_("charter accepted at"), null=True, blank=True)
    # Where the network asks new members to take part in a commission on joining
    # (Arequipa, footnote 16): the choice made when applying, carried out on approval.
    pending_commission = models.ForeignKey(
        "commissions.Commission",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("commission to join on approval"),
    )
    pending_commission_name = models.CharField(
        _("commission to propose on approval"), max_length=200, blank=True
    )
    pending_commission_purpose = models.TextField(_("purpose of that commission"), blank=True)

    # Not stored: what the reads that list memberships set on each (`members.selectors`).
    regions: "list[Network]"
    home: "Network"
    charter_is_current: bool
    open_invitations: "list[Invitation]"

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        ordering = ["network", "entity__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["network", "entity"], name="membership_once_per_network"
            ),
            models.CheckConstraint(
                condition=models.Q(alternate__isnull=True)
                | models.Q(representative__isnull=True)
                | ~models.Q(alternate=models.F("representative")),
                name="membership_alternate_is_not_representative",
            ),
        ]
        indexes = [
            models.Index(fields=["network", "status", "platform"], name="membership_directory"),
        ]

    def __str__(self):
        return f"{self.entity} — {self.network}"

    def get_absolute_url(self):
        return link(
            "members:entity", "entity_slug", self.entity.slug, network_slug=self.network.slug
        )

    @property
    def is_active(self):
        return self.status == MembershipStatus.ACTIVE


class Notification(NetworkOwned):
    """A message for one person, shown in their inbox and mailed as they prefer.

    `key` names what the message is about (for example ``commission.closed:42``);
    one person gets one notification per key, whatever retries or concurrent
    jobs do, because the row is created under a uniqueness constraint before
    anything is sent.
    """

    network = models.ForeignKey(
        "networks.Network",
        on_delete=models.PROTECT,
        related_name="notifications",
        verbose_name=_("network"),
    )
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notifications",
        verbose_name=_("recipient"),
    )
    kind = models.CharField(_("kind"), max_length=60)
    key = models.CharField(_("key"), max_length=200)
    context = models.JSONField(_("details"), default=dict, blank=True)
    link = models.CharField(_("link"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    emailed_at = models.DateTimeField(_("emailed at"), null=True, blank=True)
    email_skipped = models.BooleanField(_("not emailed"), default=False)
    delivery_token = models.UUIDField(null=True, blank=True, editable=False)
    # A mail that failed is tried again by later deliveries, a few times, then
    # given up: the row stays, with the last error, for someone to look at.
    email_attempts = models.PositiveSmallIntegerField(_("failed email attempts"), default=0)
    email_error = models.CharField(_("last email error"), max_length=300, blank=True)
    email_failed_at = models.DateTimeField(_("email given up at"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["recipient", "key"], name="notification_once_per_key"),
        ]
        indexes = [
            models.Index(fields=["network", "recipient", "-created_at"], name="notification_inbox"),
            models.Index(
                fields=["created_at"],
                condition=models.Q(
                    emailed_at__isnull=True, email_skipped=False, email_failed_at__isnull=True
                ),
                name="notification_outbox",
            ),
        ]

    def __str__(self):
        return f"{self.recipient}: {self.kind}"


class InvitationRole(models.TextChoices):
    REPRESENTATIVE = "representative", _("Representative")
    ALTERNATE = "alternate", _("Alternate")


class Invitation(NetworkOwned):
    """An invitation, sent by email, to become an entity's representative or alternate.

    Used once, before it expires; a newer invitation for the same post
    replaces the older one. Nothing is deleted: the dates say what happened.
    """

    VALID_FOR_DAYS = 14

    network = models.ForeignKey(
        "networks.Network",
        on_delete=models.PROTECT,
        related_name="invitations",
        verbose_name=_("network"),
    )
    membership = models.ForeignKey(
        Membership,
        on_delete=models.PROTECT,
        related_name="invitations",
        verbose_name=_("membership"),
    )
    role = models.CharField(_("role"), max_length=20, choices=InvitationRole.choices)
    email = models.EmailField(_("email address"))
    token = models.CharField(_("token"), max_length=64, unique=True, editable=False)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("invited by"),
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    expires_at = models.DateTimeField(_("expires at"))
    used_at = models.DateTimeField(_("used at"), null=True, blank=True)
    used_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("used by"),
    )
    replaced_at = models.DateTimeField(_("replaced at"), null=True, blank=True)

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["network", "membership", "role"], name="invitation_post"),
            models.Index(Lower("email"), name="invitation_email_lower"),
        ]

    def __str__(self):
        return f"{self.email} ({self.get_role_display()})"

    def is_open(self, now=None):
        now = now or timezone.now()
        return self.used_at is None and self.replaced_at is None and self.expires_at > now


class TokenRevocation(models.TextChoices):
    BY_OWNER = "owner", _("Revoked by its owner")
    PASSWORD_CHANGED = "password", _("Revoked when the password changed")


class ApiTokenQuerySet(models.QuerySet):
    def usable(self, now=None):
        """Tokens that still authenticate: not revoked, not expired."""
        now = now or timezone.now()
        return self.filter(revoked_at__isnull=True).filter(
            models.Q(expires_at__isnull=True) | models.Q(expires_at__gt=now)
        )


class ApiToken(models.Model):
    """A personal token for the API, shown once at creation and revocable at any time.

    Only a hash of the token is stored, so a copy of the database reveals no token.
    A token may carry an expiry; every token of a person is revoked when their
    password changes, so a password change shuts out whoever had a copy.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="api_tokens",
        verbose_name=_("person"),
    )
    name = models.CharField(_("name"), max_length=100)
    prefix = models.CharField(_("begins with"), max_length=12)
    digest = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True)
    expires_at = models.DateTimeField(_("expires at"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoked_because = models.CharField(
        _("revoked because"), max_length=20, choices=TokenRevocation.choices, blank=True
    )

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_expired(self):
        return self.expires_at is not None and self.expires_at <= timezone.now()

    @property
    def is_active(self):
        return self.revoked_at is None and not self.is_expired


class NotificationSetting(NetworkOwned):
    """How one person wants mail from one network; without a row, their account's default.

    A person in several networks chooses for each; all the choices sit on one
    settings page, and the one-click link at the foot of every mail sets the
    network it came from to "not by email".
    """

    network = models.ForeignKey(
        "networks.Network",
        on_delete=models.CASCADE,
        related_name="notification_settings",
        verbose_name=_("network"),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notification_settings",
        verbose_name=_("person"),
    )
    preference = models.CharField(
        _("email notifications"), max_length=20, choices=NotificationPreference.choices
    )
    changed_at = models.DateTimeField(_("changed at"), default=timezone.now)

    class Meta:
        verbose_name = _("notification setting")
        verbose_name_plural = _("notification settings")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "network"], name="notification_setting_once_per_network"
            ),
        ]

    def __str__(self):
        return f"{self.user}: {self.network} ({self.preference})"
