"""The job machinery every app's `tasks.py` builds on: retries, and a network's scope.

A job has no request to open a scope for it (DESIGN.md, "tenants leak through
jobs"). Work that concerns one network is a network-scoped job: it receives the
network's id and runs inside that network's scope, so a query it makes cannot
reach another network (`networks.tasks.NetworkJob` hands the task the `Network`
itself). A beat entry that covers every network fans out with
`networks.tasks.each_network`, one task per network. The few jobs that span
networks on purpose (the lifecycle sweep's set-based claim, the mail outbox)
are plain `Job`s and are named in the allow-list of
`tests/jobs/test_scope_allow_list.py` with their reason.

The retry policy is defined here, once: late acknowledgement, so a worker lost
mid-task gives its message back; retries with backoff on transient errors only.
"""

import logging
from typing import Any

from celery import Task
from django.db import InterfaceError, OperationalError
from django_scopes import get_scope, scope
from django_scopes.exceptions import ScopeError

logger = logging.getLogger(__name__)

# A database that restarts or a lock that times out is worth another try;
# anything else is a bug and should surface at once.
TRANSIENT_DATABASE_ERRORS: tuple[type[Exception], ...] = (OperationalError, InterfaceError)
# A mail server that is down (smtplib's errors are OSErrors) is worth another try too.
TRANSIENT_MAIL_ERRORS = (*TRANSIENT_DATABASE_ERRORS, OSError)


class Job(Task):  # type: ignore[type-arg]
    """A task with the project's retry policy. Tasks take ids or nothing, never model instances."""

    acks_late = True
    autoretry_for = TRANSIENT_DATABASE_ERRORS
    retry_backoff = True
    retry_backoff_max = 600
    retry_jitter = True
    max_retries = 5


class MailJob(Job):
    """A task that talks to the mail server: its outages are retried too, for longer."""

    autoretry_for = TRANSIENT_MAIL_ERRORS
    max_retries = 8


class NetworkScopedJob(Job):
    """A job for one network: called with the network's id, it runs inside that network's scope.

    The scope is django-scopes' own, keyed by the id, so this module needs no
    model. `load_network` says what the task's function receives as its first
    argument (here the id itself); returning None means there is nothing to do,
    and the task is logged and skipped.
    """

    def load_network(self, network_id: int) -> Any:
        return network_id

    def __call__(self, network_id: int, *args: Any, **kwargs: Any) -> Any:
        network = self.load_network(network_id)
        if network is None:
            logger.warning("%s: network %s does not exist; nothing done.", self.name, network_id)
            return None
        current = get_scope()
        if current.get("_enabled") and current.get("network") not in (None, network_id):
            # Work for one network never reaches into another by opening its scope.
            raise ScopeError(
                f"Network {network_id} asked for inside the scope of network {current['network']}."
            )
        with scope(network=network_id):
            # Celery's own __call__ would record the loaded network as the request's
            # argument, and a retry would then try to send a model instance: the
            # request keeps the id, the function gets what `load_network` gave.
            self.push_request(args=(network_id, *args), kwargs=kwargs)
            try:
                return self.run(network, *args, **kwargs)
            finally:
                self.pop_request()
