"""A network's annual agenda: its lines of work for a year, and the commissions on each.

The interregional work lines of section 6.3 made visible: the national network
(or any network with networks under it) publishes, for a year, the lines it
works on; the commissions of its own and of the networks under it attach
themselves to a line, so that each line shows who works on it in every region.
An agenda is drafted by the network's facilitator, opened to the networks under
it for comments, then published, optionally as a proposal adopted by consent.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from networks.scoping import NetworkOwned


class AgendaState(models.TextChoices):
    DRAFTED = "drafted", _("Drafted")
    OPEN = "open", _("Open for comments")
    PUBLISHED = "published", _("Published")


class Agenda(NetworkOwned):
    """The lines of work of one network for one year."""

    FIRST_YEAR = 2000
    LAST_YEAR = 2100

    network = models.ForeignKey(
        "networks.Network",
        on_delete=models.PROTECT,
        related_name="agendas",
        verbose_name=_("network"),
    )
    year = models.PositiveSmallIntegerField(
        _("year"), validators=[MinValueValidator(FIRST_YEAR), MaxValueValidator(LAST_YEAR)]
    )
    introduction = models.TextField(_("introduction"), blank=True)
    state = models.CharField(
        _("state"), max_length=20, choices=AgendaState.choices, default=AgendaState.DRAFTED
    )
    drafted_at = models.DateTimeField(_("drafted at"), default=timezone.now)
    opened_at = models.DateTimeField(_("opened for comments at"), null=True, blank=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    # The proposal of the network that adopted it, when it was put to the members (optional).
    proposal = models.ForeignKey(
        "decisions.Proposal",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("adopted as"),
    )

    class Meta:
        verbose_name = _("annual agenda")
        verbose_name_plural = _("annual agendas")
        ordering = ["network", "-year"]
        constraints = [
            models.UniqueConstraint(fields=["network", "year"], name="agenda_one_per_year"),
        ]

    def __str__(self) -> str:
        return _("%(network)s, agenda %(year)s") % {"network": self.network, "year": self.year}

    def get_absolute_url(self) -> str:
        return reverse("agenda:year", kwargs={"network_slug": self.network.slug, "year": self.year})

    @property
    def is_published(self) -> bool:
        return self.state == AgendaState.PUBLISHED

    @property
    def is_open(self) -> bool:
        return self.state == AgendaState.OPEN


class Line(NetworkOwned):
    """One line of work of an agenda: what it is for and the topics it covers."""

    TITLE_LENGTH = 200
    PURPOSE_LENGTH = 4000
    TOPICS_LENGTH = 500

    agenda = models.ForeignKey(
        Agenda, on_delete=models.CASCADE, related_name="lines", verbose_name=_("agenda")
    )
    title = models.CharField(_("title"), max_length=TITLE_LENGTH)
    purpose = models.TextField(_("purpose"))
    topics = models.CharField(
        _("topics"),
        max_length=TOPICS_LENGTH,
        blank=True,
        help_text=_("Separated by commas."),
    )
    position = models.PositiveSmallIntegerField(_("position"), default=1)

    class Meta:
        verbose_name = _("line of work")
        verbose_name_plural = _("lines of work")
        ordering = ["agenda", "position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["agenda", "title"], name="agenda_line_unique_title"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse(
            "agenda:line",
            kwargs={
                "network_slug": self.agenda.network.slug,
                "year": self.agenda.year,
                "line_id": self.pk,
            },
        )

    @property
    def topic_list(self) -> list[str]:
        return [topic.strip() for topic in self.topics.split(",") if topic.strip()]


class AgendaComment(NetworkOwned):
    """What a network under the agenda's network said while the agenda was open for comments.

    Written by that network's facilitator or by someone acting for its
    interlocutor entity, in the name of the network.
    """

    TEXT_LENGTH = 4000

    agenda = models.ForeignKey(
        Agenda, on_delete=models.CASCADE, related_name="comments", verbose_name=_("agenda")
    )
    commenting_network = models.ForeignKey(
        "networks.Network",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("on behalf of"),
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("written by"),
    )
    text = models.TextField(_("comment"))
    created_at = models.DateTimeField(_("written at"), default=timezone.now)

    class Meta:
        verbose_name = _("comment on an agenda")
        verbose_name_plural = _("comments on agendas")
        ordering = ["agenda", "created_at", "id"]

    def __str__(self) -> str:
        return f"{self.commenting_network}: {self.text[:60]}"


class Attachment(NetworkOwned):
    """A commission working on a line: of the agenda's network or of a network under it.

    The row belongs to the agenda's network and points down at a commission of
    one of the networks under it on purpose (`members.reach`): never sideways.
    """

    # Foreign keys that may point at a row of a network under this row's network.
    REACHES_DOWN = ("commission",)

    line = models.ForeignKey(
        Line, on_delete=models.CASCADE, related_name="attachments", verbose_name=_("line of work")
    )
    commission = models.ForeignKey(
        "commissions.Commission",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("commission"),
    )
    attached_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("attached by"),
    )
    attached_at = models.DateTimeField(_("attached at"), default=timezone.now)

    class Meta:
        verbose_name = _("commission on a line")
        verbose_name_plural = _("commissions on lines")
        ordering = ["line", "attached_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["line", "commission"], name="agenda_attachment_once_per_line"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.commission} → {self.line}"
