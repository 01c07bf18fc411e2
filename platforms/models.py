from django.db import models
from django.utils.translation import gettext_lazy as _

from core.choices import label_of
from networks.scoping import NetworkOwned


class Sector(models.TextChoices):
    """The six platforms of the model (section 4.3 a), in the order it lists them."""

    PUBLIC = "public", _("Public sector")
    PRIVATE = "private", _("Private sector")
    CIVIL_SOCIETY = "civil_society", _("Civil society")
    YOUTH = "youth", _("Youth")
    UNIVERSITY = "university", _("Universities")
    INTERNATIONAL = "international", _("International sector")


class Platform(NetworkOwned):
    """A sector grouping inside one network; seeded for every new network, editable."""

    network = models.ForeignKey(
        "networks.Network",
        on_delete=models.PROTECT,
        related_name="platforms",
        verbose_name=_("network"),
    )
    sector = models.CharField(_("sector"), max_length=20, choices=Sector.choices)
    name = models.CharField(
        _("name"),
        max_length=120,
        blank=True,
        help_text=_("Leave empty to use the sector's name in each reader's language."),
    )
    description = models.TextField(_("description"), blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("platform")
        verbose_name_plural = _("platforms")
        ordering = ["network", "position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["network", "sector"], name="platform_one_per_sector"),
        ]

    def __str__(self) -> str:
        return self.name or str(label_of(self, "sector"))

    @property
    def label(self) -> str:
        return str(self)
