from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FacilitationConfig(AppConfig):
    """The facilitator's pages and the network roll-ups: it reads every app, and no app reads it."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "facilitation"
    verbose_name = _("Facilitation")

    def ready(self):
        # Imported here, not at the top: these read models, which exist only once apps are ready.
        from facilitation.context_processors import NAVIGATION
        from facilitation.selectors.landing import navigation_column, navigation_rows
        from facilitation.workspace_section import networks_facilitated
        from members.rules import register_role_column
        from members.workspace_sections import register_person_section
        from networks.rules import register_shown_role

        register_person_section(networks_facilitated, order=10)
        register_role_column(NAVIGATION, navigation_column, navigation_rows)
        register_shown_role(NAVIGATION)
