from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EvidenceConfig(AppConfig):
    """The network's ties, their analysis (section 5.3) and the data a facilitator takes out."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "evidence"
    verbose_name = _("Evidence")

    def ready(self):
        from evidence.notifications import MESSAGES, EvidenceNotice
        from members.notifications import register_messages

        register_messages(EvidenceNotice, MESSAGES)
