from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class MembersConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "members"
    verbose_name = _("Members")

    def ready(self):
        # Imported here, not at the top: these read models, which exist only once apps are ready.
        # `api_tokens` and `receivers` connect their signal receivers when imported.
        from members import api_tokens, receivers  # noqa: F401
        from members.history import INTERLOCUTOR_SENTENCES, MEMBERSHIP_SENTENCES
        from members.notifications import (
            MEMBERSHIP_MESSAGES,
            UNREAD_NOTIFICATIONS,
            MembershipNotice,
            register_messages,
        )
        from members.rules import read_every_role
        from networks.history import register_sentences
        from networks.rules import register_role_reader, register_shown_role

        register_sentences(MEMBERSHIP_SENTENCES)
        register_sentences(INTERLOCUTOR_SENTENCES)
        register_messages(MembershipNotice, MEMBERSHIP_MESSAGES)
        register_role_reader(read_every_role)
        register_shown_role(UNREAD_NOTIFICATIONS)
        post_migrate.connect(receivers.ensure_priority_areas, sender=self)
