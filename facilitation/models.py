"""The home page's counts of each network, kept so that the page reads one row per network."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class NetworkCounters(models.Model):
    """A network's counts as the home page shows them, and the version they were counted at.

    A cache of counts, never a source: `facilitation.counters` counts them from
    the memberships and commissions and stamps the row with the version of the
    network and of every network under it (`networks.changes.versions_of_reach`).
    A write anywhere in that reach, whoever makes it, moves the version, and the
    next read counts the network again; a nightly job counts every network and
    reports a row that was wrong although its stamp was current.
    """

    network = models.OneToOneField(
        "networks.Network",
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="counters",
        verbose_name=_("network"),
    )
    active_members = models.PositiveIntegerField(_("active member entities"), default=0)
    open_commissions = models.PositiveIntegerField(_("open commissions"), default=0)
    # Over the network and every network under it: an entity in two of them counts once.
    entities_in_reach = models.PositiveIntegerField(_("member entities in reach"), default=0)
    commissions_in_reach = models.PositiveIntegerField(_("open commissions in reach"), default=0)
    version = models.BigIntegerField(_("counted at version"), default=0)
    reach = models.CharField(_("networks counted"), max_length=32, blank=True)
    counted_at = models.DateTimeField(_("counted at"))

    class Meta:
        verbose_name = _("network counters")
        verbose_name_plural = _("network counters")

    def __str__(self) -> str:
        return str(self.network_id)
