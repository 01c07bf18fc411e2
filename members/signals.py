"""Signals the members app sends, for other parts to react without importing upwards."""

from django.dispatch import Signal

# Sent after a saved person's password was changed, by whatever flow (argument: `user`).
password_changed = Signal()
