from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EventsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "events"
    verbose_name = _("Events")

    def ready(self):
        # Imported here, not at the top: these read models, which exist only once apps are ready.
        from events.history import EVENT_SENTENCES
        from events.news import attachment_of
        from events.notifications import MESSAGES, EventNotice
        from events.workspace_section import events_of_entities
        from members.notifications import register_attachment, register_messages
        from members.workspace_sections import register_entity_section
        from networks.history import register_sentences

        register_sentences(EVENT_SENTENCES)
        register_messages(EventNotice, MESSAGES)
        register_attachment(EventNotice.CHANGED, attachment_of)
        register_attachment(EventNotice.CANCELLED, attachment_of)
        register_entity_section(events_of_entities, order=20)
