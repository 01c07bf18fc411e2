from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EventsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "events"
    verbose_name = _("Events")

    def ready(self):
        from events.notifications import MESSAGES as EVENT_MESSAGES
        from members.notifications import MESSAGES

        MESSAGES.update(EVENT_MESSAGES)
