"""Registering an entity for an event and cancelling a registration, defined once.

The event page and the API take these same acts (`networks.acts.Act`); the
secret link mailed with a confirmation cancels through `CANCEL_REGISTRATION`
too, with the link's token standing in for the permission.
"""

from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from events import services
from events.models import Event, Registration, RegistrationStatus
from members.reach import acting_entity_ids
from members.rules import entity_roles
from networks.acts import Act


def _entities_here(user: Any, event: Event) -> set[int]:
    """Entities of the network, or of a network under it, this person acts for (`members.reach`)."""
    return acting_entity_ids(entity_roles(user), event.network)


def _registered(registration: Registration) -> Promise:
    if registration.status == RegistrationStatus.WAITLISTED:
        return _(
            "The event is full: you are on the waiting list and will be told if a place opens."
        )
    return _("You are registered. A confirmation is on its way by email.")


# The facilitator may register for the network: registering is no vote.
REGISTER_ENTITY = Act[Event](
    permission="events.register_entity",
    neutral=False,
    entity_ids=_entities_here,
    perform=lambda event, data, *, by: services.register_entity(
        event=event, entity=data["entity"], people=data["people"], by=by
    ),
    success=_registered,
)

CANCEL_REGISTRATION = Act[Registration](
    permission="events.cancel_registration",
    neutral=False,
    perform=lambda registration, data, *, by: services.cancel_registration(
        registration=registration, by=by, cancel_token=data.get("cancel_token")
    ),
    success=_("The registration was cancelled."),
)
