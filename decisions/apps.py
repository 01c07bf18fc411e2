from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DecisionsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "decisions"
    verbose_name = _("Decisions")

    def ready(self):
        # Imported here, not at the top: these read models, which exist only once apps are ready.
        from commissions.hooks import register_commission_section
        from decisions.history import DECISION_SENTENCES
        from decisions.notifications import MESSAGES, DecisionNotice
        from decisions.page_sections import proposals_of_commission, proposals_of_event
        from decisions.workspace_section import proposals_to_decide
        from events.hooks import register_event_section
        from members.notifications import register_messages
        from members.workspace_sections import register_entity_section
        from networks.history import register_sentences

        register_sentences(DECISION_SENTENCES)
        register_messages(DecisionNotice, MESSAGES)
        register_event_section(proposals_of_event)
        register_commission_section(proposals_of_commission)
        register_entity_section(proposals_to_decide, order=30)
