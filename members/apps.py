from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def ensure_priority_areas(sender, using="default", **kwargs):
    """One row per priority area, made again after any flush (tests, a restored database)."""
    from members.models import PriorityArea, PriorityAreaCode

    for code in PriorityAreaCode.values:
        PriorityArea.objects.using(using).get_or_create(code=code)


class MembersConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "members"
    verbose_name = _("Members")

    def ready(self):
        # Connects the receiver that revokes a person's API tokens when their password changes.
        from members import api_tokens  # noqa: F401

        post_migrate.connect(ensure_priority_areas, sender=self)
