from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FacilitationConfig(AppConfig):
    """The facilitator's pages and the network roll-ups: it reads every app, and no app reads it."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "facilitation"
    verbose_name = _("Facilitation")
