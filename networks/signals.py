"""Signals of the tenant core, for the apps above it to take part without being imported."""

from django.dispatch import Signal

# Sent inside `appoint_facilitator`, before a person is made facilitator of a
# network (arguments: `network`, `user`). A receiver refuses the appointment by
# raising `DomainError`: members refuses a person who holds an entity's post there.
facilitator_appointing = Signal()
