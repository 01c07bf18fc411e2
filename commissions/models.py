from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from networks.scoping import NetworkOwned


class CommissionKind(models.TextChoices):
    THEMATIC = "thematic", _("Thematic")
    EVENT = "event", _("Organises an event")


class CommissionState(models.TextChoices):
    ACTIVE = "active", _("Active")
    STALLED = "stalled", _("Stalled")
    VACANT = "vacant", _("Without promoter")
    CLOSED = "closed", _("Closed")


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
    state = models.CharField(
        _("state"), max_length=20, choices=CommissionState.choices, default=CommissionState.ACTIVE
    )
    started_on = models.DateField(_("started on"), default=timezone.localdate)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
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
        indexes = [models.Index(fields=["network", "state"], name="commission_state")]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse(
            "commissions:detail",
            kwargs={"network_slug": self.network.slug, "commission_id": self.pk},
        )

    @property
    def is_open(self):
        return self.state != CommissionState.CLOSED


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
