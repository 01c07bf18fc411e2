from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class NetworksConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "networks"
    verbose_name = _("Networks")

    def ready(self):
        # Imported here, not at the top: these read models, which exist only once apps are ready.
        from networks.admin_access import sync_after_migrate
        from networks.changes import install_triggers
        from networks.history import ADMIN_SENTENCES, NETWORK_SENTENCES, register_sentences

        post_migrate.connect(
            sync_after_migrate, sender=self, dispatch_uid="networks.sync_facilitators_group"
        )
        post_migrate.connect(
            install_triggers, sender=self, dispatch_uid="networks.install_change_triggers"
        )
        register_sentences(NETWORK_SENTENCES)
        register_sentences(ADMIN_SENTENCES)
