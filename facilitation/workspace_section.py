"""The networks a person facilitates, at the top of "My network" (`members.workspace_sections`)."""

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from facilitation.selectors.landing import facilitated_networks
from members.workspace_sections import Section, Waiting


def networks_facilitated(*, user) -> list[Section]:
    """Per network: applications waiting, commissions needing attention, unread messages.

    Each application waiting is also something waiting for the person, so the
    page never says nothing waits while one does.
    """
    networks = facilitated_networks(user, with_applications=True)
    if not networks:
        return []
    waiting = []
    for row in networks:
        slug = {"network_slug": row.network.slug}
        if row.applications_waiting:
            waiting.append(
                Waiting(
                    text=ngettext(
                        "%(count)s application to %(network)s waits for your decision.",
                        "%(count)s applications to %(network)s wait for your decision.",
                        row.applications_waiting,
                    )
                    % {"count": row.applications_waiting, "network": row.network.name},
                    url=reverse("facilitation:applications", kwargs=slug),
                    link_text=_("Review the applications"),
                )
            )
        if row.commissions_needing_attention:
            waiting.append(
                Waiting(
                    text=ngettext(
                        "%(count)s commission of %(network)s needs your attention.",
                        "%(count)s commissions of %(network)s need your attention.",
                        row.commissions_needing_attention,
                    )
                    % {"count": row.commissions_needing_attention, "network": row.network.name},
                    url=reverse("facilitation:commissions", kwargs=slug),
                    link_text=_("See the commissions"),
                )
            )
    return [
        Section(
            title=_("The networks you facilitate"),
            template="facilitation/includes/workspace_networks.html",
            items=networks,
            waiting=waiting,
        )
    ]
