from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from commissions import deadlines
from commissions.uploads import update_attachment_path, update_image_path
from core.links import link
from core.media import download_url
from networks.scoping import NetworkOwned


class CommissionKind(models.TextChoices):
    THEMATIC = "thematic", _("Thematic")
    EVENT = "event", _("Organises an event")


class CommissionState(models.TextChoices):
    ACTIVE = "active", _("Active")
    STALLED = "stalled", _("Stalled")
    VACANT = "vacant", _("Without promoter")
    CLOSED = "closed", _("Closed")


class ClosingReason(models.TextChoices):
    NO_PROMOTER = "no_promoter", _("No entity stepped up as promoter")
    COMPLETED = "completed", _("Completed, closed by its promoters")


# A commission closed by mistake may be reopened by the facilitator for this long.
REOPEN_WITHIN_DAYS = 30


class Commission(NetworkOwned):
    """A cross-sector working group inside a network (sections 4.3 b and 4.4)."""

    network = models.ForeignKey(
        "networks.Network",
        on_delete=models.PROTECT,
        related_name="commissions",
        verbose_name=_("network"),
    )
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(
        _("kind"), max_length=20, choices=CommissionKind.choices, default=CommissionKind.THEMATIC
    )
    purpose = models.TextField(_("purpose"), blank=True)
    topics = models.TextField(_("topics of interest"), blank=True)
    state = models.CharField(
        _("state"), max_length=20, choices=CommissionState.choices, default=CommissionState.ACTIVE
    )
    state_changed_at = models.DateTimeField(_("state changed at"), default=timezone.now)
    started_on = models.DateField(_("started on"), default=timezone.localdate)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    closed_reason = models.CharField(
        _("reason for closing"), max_length=20, choices=ClosingReason.choices, blank=True
    )
    # The moments the deadlines count from; the deadlines themselves follow from
    # the network's settings as they are when read (`commissions.deadlines`).
    last_activity_at = models.DateTimeField(_("last activity"), default=timezone.now)
    vacant_since = models.DateTimeField(_("without promoter since"), null=True, blank=True)
    sweep_token = models.UUIDField(null=True, blank=True, editable=False)
    members = models.ManyToManyField(
        "members.Entity",
        through="CommissionMember",
        related_name="commissions",
        verbose_name=_("members"),
    )

    class Meta:
        verbose_name = _("commission")
        verbose_name_plural = _("commissions")
        ordering = ["network", "name"]
        constraints = [
            models.UniqueConstraint(fields=["network", "name"], name="commission_name_unique"),
        ]
        indexes = [
            models.Index(fields=["network", "state"], name="commission_state"),
            models.Index(fields=["state", "last_activity_at"], name="commission_stall_due"),
            models.Index(fields=["state", "vacant_since"], name="commission_close_due"),
            models.Index(fields=["sweep_token"], name="commission_sweep_token"),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return link("commissions:detail", "commission_id", self.pk, network_slug=self.network.slug)

    @property
    def stalls_on(self):
        """The day an active commission stalls without news, by the network's setting now."""
        if self.state != CommissionState.ACTIVE:
            return None
        return deadlines.stalls_on(
            last_activity_at=self.last_activity_at,
            stall_after_days=self.network.stall_after_days,
            zone=self.network.zone,
        )

    @property
    def closes_on(self):
        """The day a commission without promoter closes, by the network's setting now."""
        if self.state != CommissionState.VACANT or self.vacant_since is None:
            return None
        return deadlines.closes_on(
            vacant_since=self.vacant_since,
            vacancy_grace_days=self.network.vacancy_grace_days,
            zone=self.network.zone,
        )

    @property
    def is_open(self):
        return self.state != CommissionState.CLOSED

    @property
    def reopen_deadline(self):
        """The last day (in the network's time zone) on which a closed commission may reopen."""
        if self.state != CommissionState.CLOSED or self.closed_on is None:
            return None
        return self.closed_on + timedelta(days=REOPEN_WITHIN_DAYS)

    @property
    def is_reopenable(self):
        """Closed, and its reopening deadline not passed today in the network's calendar."""
        deadline = self.reopen_deadline
        return deadline is not None and timezone.localdate(timezone.now(), self.network.zone) <= (
            deadline
        )


class CommissionMember(NetworkOwned):
    """An entity sitting in a commission, from a date and, once it leaves, to a date."""

    commission = models.ForeignKey(
        Commission,
        on_delete=models.PROTECT,
        related_name="memberships",
        verbose_name=_("commission"),
    )
    entity = models.ForeignKey(
        "members.Entity", on_delete=models.PROTECT, related_name="+", verbose_name=_("entity")
    )
    joined_on = models.DateField(_("joined on"), default=timezone.localdate)
    left_on = models.DateField(_("left on"), null=True, blank=True)

    class Meta:
        verbose_name = _("commission member")
        verbose_name_plural = _("commission members")
        constraints = [
            models.UniqueConstraint(
                fields=["commission", "entity"], name="commission_member_unique"
            ),
        ]
        indexes = [models.Index(fields=["network", "entity"], name="commission_member_entity")]

    def __str__(self):
        return f"{self.entity} — {self.commission}"


class Post(NetworkOwned):
    """A message in a commission's conversation, or a reply to one (`parent`).

    Its author edits it (it then shows "edited") or withdraws it; the
    facilitator hides it with a reason. Nothing is deleted: a withdrawn or
    hidden post keeps its row and its text, shown to nobody but the record.
    """

    TEXT_MAX_LENGTH = 4000

    commission = models.ForeignKey(
        Commission, on_delete=models.PROTECT, related_name="posts", verbose_name=_("commission")
    )
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="replies",
        verbose_name=_("in reply to"),
    )
    entity = models.ForeignKey(
        "members.Entity", on_delete=models.PROTECT, related_name="+", verbose_name=_("entity")
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("author"),
    )
    text = models.TextField(_("text"))
    created_at = models.DateTimeField(_("posted at"), default=timezone.now)
    edited_at = models.DateTimeField(_("edited at"), null=True, blank=True)
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    hidden_at = models.DateTimeField(_("hidden at"), null=True, blank=True)
    hidden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("hidden by"),
    )
    hidden_reason = models.TextField(_("reason for hiding"), blank=True)

    class Meta:
        verbose_name = _("post")
        verbose_name_plural = _("posts")
        ordering = ["created_at", "id"]
        indexes = [
            models.Index(fields=["network", "commission", "created_at"], name="post_timeline"),
        ]

    def __str__(self):
        return f"{self.entity}: {self.text[:40]}"

    @property
    def is_shown(self):
        return self.withdrawn_at is None and self.hidden_at is None


class Follower(NetworkOwned):
    """A member entity that follows a commission's progress without sitting in it.

    Following hears of its progress updates; it gives no voice in the commission.
    Stopping keeps the row, with the date.
    """

    commission = models.ForeignKey(
        Commission, on_delete=models.PROTECT, related_name="followers", verbose_name=_("commission")
    )
    entity = models.ForeignKey(
        "members.Entity", on_delete=models.PROTECT, related_name="+", verbose_name=_("entity")
    )
    started_at = models.DateTimeField(_("since"), default=timezone.now)
    ended_at = models.DateTimeField(_("until"), null=True, blank=True)

    class Meta:
        verbose_name = _("follower")
        verbose_name_plural = _("followers")
        constraints = [
            models.UniqueConstraint(
                fields=["commission", "entity"],
                condition=models.Q(ended_at__isnull=True),
                name="commission_follower_once",
            ),
        ]

    def __str__(self):
        return f"{self.entity} → {self.commission}"


class StateChange(NetworkOwned):
    """One dated, explained transition of a commission's lifecycle (section 4.2 b)."""

    class Reason(models.TextChoices):
        PROPOSED = "proposed", _("Proposed by a member entity")
        NO_ACTIVITY = "no_activity", _("No update or action change for the stall period")
        ACTIVITY = "activity", _("New activity")
        LAST_PROMOTER_LEFT = "last_promoter_left", _("The last promoter stepped down")
        PROMOTER_STEPPED_UP = "promoter_stepped_up", _("An entity stepped up as promoter")
        NO_PROMOTER = "no_promoter", _("No entity stepped up as promoter within the grace period")
        COMPLETED = "completed", _("Closed as completed by its promoters")
        REOPENED = "reopened", _("Reopened by the facilitator: it had been closed by mistake")

    commission = models.ForeignKey(
        Commission,
        on_delete=models.PROTECT,
        related_name="state_changes",
        verbose_name=_("commission"),
    )
    from_state = models.CharField(
        _("from"), max_length=20, choices=CommissionState.choices, blank=True
    )
    to_state = models.CharField(_("to"), max_length=20, choices=CommissionState.choices)
    reason = models.CharField(_("reason"), max_length=30, choices=Reason.choices)
    note = models.TextField(_("note"), blank=True)
    at = models.DateTimeField(_("when"), default=timezone.now)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("who"),
    )

    class Meta:
        verbose_name = _("state change")
        verbose_name_plural = _("state changes")
        ordering = ["at", "id"]
        indexes = [
            models.Index(fields=["network", "commission", "at"], name="state_change_commission")
        ]

    def __str__(self):
        return f"{self.commission}: {self.from_state} → {self.to_state}"


class PromoterTerm(NetworkOwned):
    """An entity promoting a commission from a date to a date: never a permanent post (4.1 d.6)."""

    commission = models.ForeignKey(
        Commission,
        on_delete=models.PROTECT,
        related_name="promoter_terms",
        verbose_name=_("commission"),
    )
    entity = models.ForeignKey(
        "members.Entity", on_delete=models.PROTECT, related_name="+", verbose_name=_("entity")
    )
    started_at = models.DateTimeField(_("from"), default=timezone.now)
    ended_at = models.DateTimeField(_("to"), null=True, blank=True)
    end_reason = models.TextField(_("reason for stepping down"), blank=True)
    continuation_asked_at = models.DateTimeField(
        _("asked whether to continue at"), null=True, blank=True
    )

    class Meta:
        verbose_name = _("promoter term")
        verbose_name_plural = _("promoter terms")
        ordering = ["started_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["commission", "entity"],
                condition=models.Q(ended_at__isnull=True),
                name="promoter_term_one_open_per_entity",
            ),
        ]
        indexes = [
            models.Index(
                fields=["network", "entity"],
                condition=models.Q(ended_at__isnull=True),
                name="promoter_term_open_by_entity",
            ),
        ]

    def __str__(self):
        return f"{self.entity} — {self.commission}"

    @property
    def is_active(self):
        return self.ended_at is None


class Topic(NetworkOwned):
    """A topic of interest of the work plan, in priority order (template of section 6.2 b)."""

    commission = models.ForeignKey(
        Commission,
        on_delete=models.PROTECT,
        related_name="plan_topics",
        verbose_name=_("commission"),
    )
    title = models.CharField(_("topic"), max_length=200)
    priority = models.PositiveSmallIntegerField(_("priority"), default=1)

    class Meta:
        verbose_name = _("work plan topic")
        verbose_name_plural = _("work plan topics")
        ordering = ["commission", "priority", "id"]

    def __str__(self):
        return self.title


class ActionStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")
    DROPPED = "dropped", _("Dropped")


class Action(NetworkOwned):
    """An action of the work plan with its responsible promoter entity (template of 6.2 b)."""

    commission = models.ForeignKey(
        Commission, on_delete=models.PROTECT, related_name="actions", verbose_name=_("commission")
    )
    topic = models.ForeignKey(
        Topic,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="actions",
        verbose_name=_("topic"),
    )
    title = models.CharField(_("action"), max_length=300)
    responsible = models.ForeignKey(
        "members.Entity",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("responsible promoter entity"),
    )
    due_on = models.DateField(_("due date"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=ActionStatus.choices, default=ActionStatus.PLANNED
    )
    updated_at = models.DateTimeField(_("updated at"), default=timezone.now)

    class Meta:
        verbose_name = _("action")
        verbose_name_plural = _("actions")
        ordering = ["commission", "due_on", "id"]
        indexes = [models.Index(fields=["network", "status", "due_on"], name="action_due")]

    def __str__(self):
        return self.title

    @property
    def is_open(self):
        return self.status in {ActionStatus.PLANNED, ActionStatus.IN_PROGRESS}


class ProgressUpdate(NetworkOwned):
    """A promoter's report of what the commission did (section 4.2 b)."""

    commission = models.ForeignKey(
        Commission, on_delete=models.PROTECT, related_name="updates", verbose_name=_("commission")
    )
    entity = models.ForeignKey(
        "members.Entity",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("promoter entity"),
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("author"),
    )
    text = models.TextField(_("text"))
    # Stored under random names; the image re-encoded (`commissions.uploads`).
    image = models.ImageField(_("image"), upload_to=update_image_path, blank=True)
    attachment = models.FileField(_("attachment"), upload_to=update_attachment_path, blank=True)
    attachment_name = models.CharField(_("attachment's name"), max_length=200, blank=True)
    actions = models.ManyToManyField(
        Action, blank=True, related_name="updates", verbose_name=_("actions")
    )
    created_at = models.DateTimeField(_("posted at"), default=timezone.now)

    class Meta:
        verbose_name = _("progress update")
        verbose_name_plural = _("progress updates")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["network", "commission", "-created_at"], name="update_timeline")
        ]

    def __str__(self):
        return f"{self.commission} — {self.created_at:%Y-%m-%d}"

    @property
    def attachment_url(self) -> str:
        """The attachment's address, downloaded under the name it was sent with."""
        return download_url(self.attachment, self.attachment_name or self.attachment.name or "")


class Comment(NetworkOwned):
    """A member's comment on a progress update."""

    update = models.ForeignKey(
        ProgressUpdate, on_delete=models.PROTECT, related_name="comments", verbose_name=_("update")
    )
    entity = models.ForeignKey(
        "members.Entity", on_delete=models.PROTECT, related_name="+", verbose_name=_("entity")
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("author"),
    )
    text = models.TextField(_("comment"))
    created_at = models.DateTimeField(_("posted at"), default=timezone.now)

    class Meta:
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        ordering = ["created_at", "id"]

    def __str__(self):
        return f"{self.entity}: {self.text[:40]}"


class ClosingSheet(NetworkOwned):
    """The systematisation sheet of recommendation 1 (section 8): on closing, and yearly."""

    class Occasion(models.TextChoices):
        CLOSING = "closing", _("Closing")
        YEARLY = "yearly", _("Yearly evaluation")

    commission = models.ForeignKey(
        Commission, on_delete=models.PROTECT, related_name="sheets", verbose_name=_("commission")
    )
    occasion = models.CharField(_("occasion"), max_length=20, choices=Occasion.choices)
    year = models.PositiveSmallIntegerField(_("year"))
    participants = models.TextField(_("participants"))
    objectives = models.TextField(_("objectives"))
    methodology = models.TextField(_("methodology"))
    activities = models.TextField(_("activities"))
    results = models.TextField(_("results"))
    evaluation = models.TextField(_("evaluation"))
    entity = models.ForeignKey(
        "members.Entity", on_delete=models.PROTECT, related_name="+", verbose_name=_("filled by")
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    filled_at = models.DateTimeField(_("filled at"), default=timezone.now)

    class Meta:
        verbose_name = _("closing sheet")
        verbose_name_plural = _("closing sheets")
        ordering = ["commission", "-year"]
        constraints = [
            models.UniqueConstraint(
                fields=["commission", "occasion", "year"], name="closing_sheet_once_per_year"
            ),
        ]

    def __str__(self):
        return f"{self.commission} — {self.get_occasion_display()} {self.year}"
