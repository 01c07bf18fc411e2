from datetime import datetime

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class OutgoingMailQuerySet(models.QuerySet["OutgoingMail"]):
    def pending(self) -> "OutgoingMailQuerySet":
        """Not sent and not given up."""
        return self.filter(sent_at__isnull=True, given_up_at__isnull=True)

    def due(self, now: datetime) -> "OutgoingMailQuerySet":
        """Pending, past its backoff, and held by no live lease."""
        return (
            self.pending()
            .filter(available_at__lte=now)
            .filter(models.Q(claimed_until__isnull=True) | models.Q(claimed_until__lt=now))
        )


class OutgoingMail(models.Model):
    """One message to send: the mail outbox (`core.outbox`).

    Written in the transaction of the change that causes it, so a message
    exists exactly when the change does. Delivery leases a row (`claimed_by`,
    `claimed_until`), sends it, and marks it sent only once the mail server
    accepted it; a failure gives it back with a later `available_at`, and after
    `core.outbox.MAX_ATTEMPTS` it is given up, visible to the site admin.
    """

    # Names what the message is about when a job could write it twice (a
    # reminder offered again by a rerun): one row per key.
    key = models.CharField(_("key"), max_length=200, null=True, blank=True, unique=True)
    subject = models.CharField(_("subject"), max_length=300, blank=True)
    recipients = models.CharField(_("recipients"), max_length=500, blank=True)
    message = models.JSONField(_("message"))
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    available_at = models.DateTimeField(_("next attempt at"), default=timezone.now)
    claimed_by = models.CharField(_("claimed by"), max_length=100, blank=True)
    claimed_until = models.DateTimeField(_("claimed until"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("failed attempts"), default=0)
    last_error = models.CharField(_("last error"), max_length=500, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    given_up_at = models.DateTimeField(_("given up at"), null=True, blank=True)

    objects = OutgoingMailQuerySet.as_manager()

    class Meta:
        verbose_name = _("outgoing mail")
        verbose_name_plural = _("outgoing mail")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(
                fields=["available_at", "id"],
                condition=models.Q(sent_at__isnull=True, given_up_at__isnull=True),
                name="outgoing_mail_pending",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.recipients}: {self.subject}"
