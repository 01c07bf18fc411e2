from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AgendaConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "agenda"
    verbose_name = _("Annual agenda")

    def ready(self):
        # Imported here, not at the top: these read models, which exist only once apps are ready.
        from agenda.history import AGENDA_SENTENCES
        from networks.history import register_sentences

        register_sentences(AGENDA_SENTENCES)
