"""Reads behind the facilitator's pages and the public roll-ups, one module per page family."""
