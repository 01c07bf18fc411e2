"""Commissions on joining (footnote 16): what members asks of the commissions app.

Where a network asks every new member to join or propose a commission, the
application offers the network's open commissions, the service checks the
choice, and approval (or an open network, at once) carries it out; an entity's
pages list the commissions it sits in. Members sits below commissions and never
imports it: the commissions app registers its `CommissionChoice` from its
`AppConfig.ready()`, and members reaches it through `commission_choice()`.
"""

from typing import Protocol

from django.core.exceptions import ImproperlyConfigured


class CommissionChoice(Protocol):
    def open_commissions(self, network) -> list:
        """The network's commissions a new member may join (in the network's scope)."""

    def check_choice(self, *, network, commission, proposed_name) -> None:
        """Refuse, with a `DomainError`, a choice that cannot be carried out."""

    def carry_out_choice(self, membership) -> bool:
        """Join or propose the commission the membership chose, acting through its
        representative; False when it chose none."""

    def seats(self, *, entity_ids, network_ids=None) -> list:
        """The entities' current seats in commissions, with their commission and network."""


_registered: list[CommissionChoice] = []


def register_commission_choice(choice: CommissionChoice) -> None:
    _registered[:] = [choice]


def commission_choice() -> CommissionChoice:
    if not _registered:
        raise ImproperlyConfigured("No app registered the commissions members may choose.")
    return _registered[0]
