"""The tenancy mechanism: every network-owned row is reached inside a network scope.

A model that inherits `NetworkOwned` gets a `network` foreign key and a
manager that refuses to run a query unless a scope is active (pretix's
django-scopes). The network middleware opens the scope for a request under
`/redes/<network_slug>/`; jobs, admin and national roll-ups open it
themselves with `network_scope(network)` or, when they really span networks,
with `all_networks()`.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, Self, TypeVar

from django.db import models
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager, get_scope, scope, scopes_disabled
from django_scopes.exceptions import ScopeError
from django_scopes.manager import DisabledQuerySet

_M = TypeVar("_M", bound=models.Model)

__all__ = ["NetworkOwned", "NetworkScopedManager", "ScopeError", "all_networks", "network_scope"]


class UnscopedQuerySet(DisabledQuerySet):
    """What a network-owned model gives outside a scope: every query raises.

    django-scopes lets `exists()` (and so `contains()`) through, which would
    tell whether another network has a matching row; refuse them as well.
    """

    exists = DisabledQuerySet.error
    contains = DisabledQuerySet.error
    explain = DisabledQuerySet.error


if TYPE_CHECKING:

    class _ScopedManager(models.Manager[_M]):
        """What django-scopes adds to a manager, for the type checker."""

        def with_scope(self, **scope: Any) -> Self: ...
        def with_scopes_disabled(self) -> Self: ...

else:
    # django-scopes builds its manager class in a function; take it once, for the scope
    # named "network", and name the subclass here so that it has a place of its own.
    _ScopedManager = type(ScopedManager(network="network"))


class NetworkScopedManager(_ScopedManager[_M]):
    """The manager of every network-owned model: no query outside a network scope."""

    def get_queryset(self) -> models.QuerySet[_M]:
        queryset = super().get_queryset()
        if type(queryset) is DisabledQuerySet:
            return UnscopedQuerySet(
                self.model,
                using=self._db,
                missing_scopes=queryset.missing_scopes,  # type: ignore[attr-defined]
            )
        return queryset


@contextmanager
def network_scope(network: models.Model | None) -> Iterator[None]:
    """Activate one network: scoped queries see its rows and nothing else.

    Inside another network's scope this refuses: code running for network A
    (a request, a job) never reaches into network B by opening B's scope.
    Re-entering the same network, or narrowing from `all_networks()`, is fine.
    """
    if network is None or network.pk is None:
        # django-scopes reads a None scope as "do not filter": never allow it.
        raise ValueError("network_scope needs a saved network.")
    current = get_scope()
    if current.get("_enabled") and current.get("network") not in (None, network.pk):
        raise ScopeError(
            f"Network {network.pk} asked for inside the scope of network {current['network']}."
        )
    with scope(network=network.pk):
        yield


@contextmanager
def all_networks() -> Iterator[None]:
    """Lift scoping for work that spans networks on purpose (admin, jobs, roll-ups)."""
    with scopes_disabled():
        yield


class NetworkOwned(models.Model):
    network = models.ForeignKey(
        "networks.Network", on_delete=models.PROTECT, related_name="+", verbose_name=_("network")
    )

    objects = NetworkScopedManager()

    class Meta:
        abstract = True
