from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class NetworksConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "networks"
    verbose_name = _("Networks")

    def ready(self):
        from networks.admin_access import sync_after_migrate

        post_migrate.connect(
            sync_after_migrate, sender=self, dispatch_uid="networks.sync_facilitators_group"
        )
