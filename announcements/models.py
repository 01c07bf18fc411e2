from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from networks.scoping import NetworkOwned


class Announcement(NetworkOwned):
    """A message to the whole network (facilitator, interlocutor) or to a commission's members.

    Written once and never rewritten: a correction is a `Correction` row, sent
    on its own, and shown under the text it corrects.
    """

    TITLE_MAX_LENGTH = 200
    BODY_MAX_LENGTH = 5000

    network = models.ForeignKey(
        "networks.Network",
        on_delete=models.PROTECT,
        related_name="announcements",
        verbose_name=_("network"),
    )
    # Empty: to every member of the network. Set: to the members of this commission.
    commission = models.ForeignKey(
        "commissions.Commission",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="announcements",
        verbose_name=_("commission"),
    )
    # The entity that speaks (a promoter, the interlocutor); empty for the facilitator.
    entity = models.ForeignKey(
        "members.Entity",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("on behalf of"),
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("written by"),
    )
    title = models.CharField(_("title"), max_length=TITLE_MAX_LENGTH)
    body = models.TextField(_("text"))
    public = models.BooleanField(
        _("published as news"),
        default=False,
        help_text=_("Also shown on the network's public page."),
    )
    created_at = models.DateTimeField(_("sent at"), default=timezone.now)

    class Meta:
        verbose_name = _("announcement")
        verbose_name_plural = _("announcements")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["network", "public", "-created_at"], name="announcement_news"),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse(
            "announcements:detail",
            kwargs={"network_slug": self.network.slug, "announcement_id": self.pk},
        )


class Correction(NetworkOwned):
    """What was wrong in an announcement, said after it was sent; sent on its own."""

    TEXT_MAX_LENGTH = 2000

    network = models.ForeignKey(
        "networks.Network", on_delete=models.PROTECT, related_name="+", verbose_name=_("network")
    )
    announcement = models.ForeignKey(
        Announcement,
        on_delete=models.CASCADE,
        related_name="corrections",
        verbose_name=_("announcement"),
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("written by"),
    )
    text = models.TextField(_("correction"))
    created_at = models.DateTimeField(_("sent at"), default=timezone.now)

    class Meta:
        verbose_name = _("correction")
        verbose_name_plural = _("corrections")
        ordering = ["created_at", "id"]

    def __str__(self):
        return f"{self.announcement}: {self.text[:40]}"
