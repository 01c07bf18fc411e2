from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommissionsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "commissions"
    verbose_name = _("Commissions")

    def ready(self):
        # Imported here, not at the top: these read models, which exist only once apps are ready.
        from commissions.history import COMMISSION_SENTENCES
        from commissions.joining import CommissionsOnJoining
        from commissions.notifications import DIGEST, MESSAGES, CommissionNotice
        from commissions.workspace_section import commissions_of_entities
        from members.commission_choice import register_commission_choice
        from members.notifications import register_messages
        from members.workspace_sections import register_entity_section
        from networks.history import register_sentences

        register_sentences(COMMISSION_SENTENCES)
        register_messages(CommissionNotice, MESSAGES, digest=DIGEST)
        register_commission_choice(CommissionsOnJoining())
        register_entity_section(commissions_of_entities, order=10)
