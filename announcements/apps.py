from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AnnouncementsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "announcements"
    verbose_name = _("Announcements")

    def ready(self):
        # Imported here, not at the top: these read models, which exist only once apps are ready.
        from announcements.notifications import MESSAGES, AnnouncementNotice
        from members.notifications import register_messages

        register_messages(AnnouncementNotice, MESSAGES)
