from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EvidenceConfig(AppConfig):
    """The network's ties, their analysis (section 5.3) and the data a facilitator takes out."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "evidence"
    verbose_name = _("Evidence")
