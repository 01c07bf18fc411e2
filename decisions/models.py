"""Decisions of a network or a commission: consent first, then a vote when the rule allows.

One entity, one voice (4.1 d.3): positions and votes belong to member entities,
taken by their representative or alternate; the facilitator has no vote (4.2 a).
The two rules a network may choose, and the three-quarters majority, come from
the governance models of the network manual (step 2).
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from networks.scoping import NetworkOwned


class DecisionRule(models.TextChoices):
    CONSENT_ONLY = "consent_only", _("Consent only: objections must be resolved, no vote")
    CONSENT_THEN_VOTE = "consent_then_vote", _("Consent first, then a vote if objections stand")


class GovernanceSettings(NetworkOwned):
    """How a network decides; copied into each proposal when it opens."""

    network = models.OneToOneField(
        "networks.Network",
        on_delete=models.PROTECT,
        related_name="governance",
        verbose_name=_("network"),
    )
    rule = models.CharField(
        _("decision rule"),
        max_length=20,
        choices=DecisionRule.choices,
        default=DecisionRule.CONSENT_THEN_VOTE,
    )
    threshold_numerator = models.PositiveSmallIntegerField(
        _("majority needed (numerator)"), default=3, validators=[MinValueValidator(1)]
    )
    threshold_denominator = models.PositiveSmallIntegerField(
        _("majority needed (denominator)"), default=4, validators=[MinValueValidator(1)]
    )
    quorum_percent = models.PositiveSmallIntegerField(
        _("quorum (percent of active member entities)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
        help_text=_("Empty: no quorum."),
    )
    min_membership_days = models.PositiveSmallIntegerField(
        _("days of membership before an entity takes part in decisions"),
        null=True,
        blank=True,
        help_text=_("Empty: every active member entity takes part."),
    )

    class Meta:
        verbose_name = _("governance settings")
        verbose_name_plural = _("governance settings")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(threshold_numerator__gte=1)
                & models.Q(threshold_numerator__lte=models.F("threshold_denominator")),
                name="governance_threshold_is_a_share",
            ),
            models.CheckConstraint(
                condition=models.Q(quorum_percent__isnull=True)
                | models.Q(quorum_percent__gte=1, quorum_percent__lte=100),
                name="governance_quorum_is_a_percent",
            ),
        ]

    def __str__(self):
        return str(self.network)


class ProposalState(models.TextChoices):
    DRAFT = "draft", _("Not open yet")
    OPEN = "open", _("Open for positions")
    OBJECTED = "objected", _("Objections stand")
    VOTING = "voting", _("Being voted")
    ADOPTED = "adopted", _("Adopted")
    NOT_ADOPTED = "not_adopted", _("Not adopted")
    WITHDRAWN = "withdrawn", _("Withdrawn")


DECIDED_STATES = (ProposalState.ADOPTED, ProposalState.NOT_ADOPTED)
CLOSED_STATES = (*DECIDED_STATES, ProposalState.WITHDRAWN)


class DecidedBy(models.TextChoices):
    CONSENT = "consent", _("by consent")
    VOTE = "vote", _("by vote")


class Proposal(NetworkOwned):
    """A proposal put to the member entities of a network, or of one of its commissions."""

    TITLE_LENGTH = 200
    TEXT_LENGTH = 10000

    network = models.ForeignKey(
        "networks.Network",
        on_delete=models.PROTECT,
        related_name="proposals",
        verbose_name=_("network"),
    )
    commission = models.ForeignKey(
        "commissions.Commission",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="proposals",
        verbose_name=_("commission"),
        help_text=_("Empty: decided by the member entities of the whole network."),
    )
    title = models.CharField(_("title"), max_length=TITLE_LENGTH)
    text = models.TextField(_("proposal"))
    proposer = models.ForeignKey(
        "members.Entity", on_delete=models.PROTECT, related_name="+", verbose_name=_("proposed by")
    )
    tabled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("tabled by"),
    )
    agenda_item = models.OneToOneField(
        "events.AgendaItem",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="decision_proposal",
        verbose_name=_("agenda item"),
    )
    created_at = models.DateTimeField(_("tabled at"), default=timezone.now)
    opens_at = models.DateTimeField(_("opens at"))
    closes_at = models.DateTimeField(_("closes at"))
    state = models.CharField(
        _("state"), max_length=20, choices=ProposalState.choices, default=ProposalState.DRAFT
    )
    # The network's rules as they stood when the proposal opened.
    rule = models.CharField(_("decision rule"), max_length=20, choices=DecisionRule.choices)
    threshold_numerator = models.PositiveSmallIntegerField(_("majority (numerator)"), default=3)
    threshold_denominator = models.PositiveSmallIntegerField(_("majority (denominator)"), default=4)
    quorum_percent = models.PositiveSmallIntegerField(_("quorum (percent)"), null=True, blank=True)
    min_membership_days = models.PositiveSmallIntegerField(
        _("days of membership needed"), null=True, blank=True
    )
    vote_opened_at = models.DateTimeField(_("vote opened at"), null=True, blank=True)
    vote_closes_at = models.DateTimeField(_("vote closes at"), null=True, blank=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decided_by = models.CharField(
        _("decided"), max_length=10, choices=DecidedBy.choices, blank=True
    )
    # The count at closing, kept so that the outcome reads the same forever.
    agree_count = models.PositiveIntegerField(_("agree"), default=0)
    stand_aside_count = models.PositiveIntegerField(_("stand aside"), default=0)
    object_count = models.PositiveIntegerField(_("objections"), default=0)
    yes_count = models.PositiveIntegerField(_("yes"), default=0)
    no_count = models.PositiveIntegerField(_("no"), default=0)
    abstain_count = models.PositiveIntegerField(_("abstain"), default=0)
    eligible_count = models.PositiveIntegerField(_("entities that could take part"), default=0)
    quorum_met = models.BooleanField(_("quorum met"), null=True, blank=True)
    review_on = models.DateField(_("review on"), null=True, blank=True)
    # The decision of the plenary's minutes an adopted proposal was carried into, so
    # that it can become a commission action like any other decision of the minutes.
    minutes_decision = models.OneToOneField(
        "events.Decision",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="proposal",
        verbose_name=_("decision of the minutes"),
    )
    closing_reminder_sent_at = models.DateTimeField(null=True, blank=True, editable=False)
    vote_reminder_sent_at = models.DateTimeField(null=True, blank=True, editable=False)
    review_reminder_sent_at = models.DateTimeField(null=True, blank=True, editable=False)
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)

    class Meta:
        verbose_name = _("proposal")
        verbose_name_plural = _("proposals")
        ordering = ["-opens_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(closes_at__gt=models.F("opens_at")),
                name="proposal_closes_after_opening",
            ),
        ]
        indexes = [
            models.Index(fields=["network", "state", "closes_at"], name="proposal_list"),
            models.Index(fields=["network", "commission", "state"], name="proposal_commission"),
            models.Index(fields=["state", "opens_at"], name="proposal_open_due"),
            models.Index(fields=["state", "closes_at"], name="proposal_close_due"),
            models.Index(fields=["state", "vote_closes_at"], name="proposal_vote_due"),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse(
            "decisions:detail",
            kwargs={"network_slug": self.network.slug, "proposal_id": self.pk},
        )

    @property
    def is_decided(self):
        return self.state in DECIDED_STATES

    @property
    def is_closed(self):
        return self.state in CLOSED_STATES

    @property
    def threshold_label(self):
        return f"{self.threshold_numerator}/{self.threshold_denominator}"


class Amendment(NetworkOwned):
    """A new text of a proposal, written by its proposer while positions are taken."""

    proposal = models.ForeignKey(
        Proposal, on_delete=models.CASCADE, related_name="amendments", verbose_name=_("proposal")
    )
    number = models.PositiveSmallIntegerField(_("number"))
    previous_text = models.TextField(_("text before"))
    text = models.TextField(_("text after"))
    note = models.TextField(_("what changed and why"), blank=True)
    made_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("made by"),
    )
    made_at = models.DateTimeField(_("made at"), default=timezone.now)

    class Meta:
        verbose_name = _("amendment")
        verbose_name_plural = _("amendments")
        ordering = ["proposal", "number"]
        constraints = [
            models.UniqueConstraint(fields=["proposal", "number"], name="amendment_number_unique"),
        ]
        indexes = [models.Index(fields=["network", "proposal"], name="amendment_proposal")]

    def __str__(self):
        return f"{self.proposal} #{self.number}"


class Stance(models.TextChoices):
    AGREE = "agree", _("Agree")
    STAND_ASIDE = "stand_aside", _("Stand aside")
    OBJECT = "object", _("Object")


class Choice(models.TextChoices):
    YES = "yes", _("Yes")
    NO = "no", _("No")
    ABSTAIN = "abstain", _("Abstain")


class Voice(NetworkOwned):
    """What one entity said, online or in the plenary; a later one supersedes it, both kept."""

    entity = models.ForeignKey(
        "members.Entity", on_delete=models.PROTECT, related_name="+", verbose_name=_("entity")
    )
    taken_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("taken by"),
    )
    recorded_in_plenary_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded in the plenary by"),
    )
    taken_at = models.DateTimeField(_("taken at"), default=timezone.now)
    superseded_at = models.DateTimeField(_("replaced at"), null=True, blank=True)

    class Meta:
        abstract = True

    @property
    def is_current(self):
        return self.superseded_at is None


class Position(Voice):
    """An entity's position while consent is sought: agree, stand aside or object."""

    proposal = models.ForeignKey(
        Proposal, on_delete=models.CASCADE, related_name="positions", verbose_name=_("proposal")
    )
    stance = models.CharField(_("position"), max_length=20, choices=Stance.choices)
    note = models.TextField(
        _("note or reason"),
        blank=True,
        help_text=_("An objection says what would make the proposal acceptable."),
    )
    # Taken before an amendment: the entity is asked to look at the new text.
    needs_review = models.BooleanField(_("taken before an amendment"), default=False)

    class Meta:
        verbose_name = _("position")
        verbose_name_plural = _("positions")
        ordering = ["proposal", "taken_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["proposal", "entity"],
                condition=models.Q(superseded_at__isnull=True),
                name="position_one_current_per_entity",
            ),
            models.CheckConstraint(
                condition=~models.Q(stance="object") | ~models.Q(note=""),
                name="position_objection_has_a_reason",
            ),
        ]
        indexes = [
            models.Index(fields=["network", "proposal", "superseded_at"], name="position_current"),
        ]

    def __str__(self):
        return f"{self.entity}: {self.get_stance_display()}"


class Vote(Voice):
    """An entity's vote, once a proposal with standing objections is put to the vote."""

    proposal = models.ForeignKey(
        Proposal, on_delete=models.CASCADE, related_name="votes", verbose_name=_("proposal")
    )
    choice = models.CharField(_("vote"), max_length=10, choices=Choice.choices)

    class Meta:
        verbose_name = _("vote")
        verbose_name_plural = _("votes")
        ordering = ["proposal", "taken_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["proposal", "entity"],
                condition=models.Q(superseded_at__isnull=True),
                name="vote_one_current_per_entity",
            ),
        ]
        indexes = [
            models.Index(fields=["network", "proposal", "superseded_at"], name="vote_current"),
        ]

    def __str__(self):
        return f"{self.entity}: {self.get_choice_display()}"
