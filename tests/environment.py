"""Loaded by pytest before Django (see `addopts` in pyproject.toml): test-only environment."""

import os

# Tests run with production-like settings (DEBUG off), which need a key.
os.environ.setdefault("SECRET_KEY", "tests-only-secret-key")
# Browser tests talk to a local server over plain HTTP.
os.environ.setdefault("SECURE_SSL_REDIRECT", "0")
os.environ.setdefault("SECURE_COOKIES", "0")
