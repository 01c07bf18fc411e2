"""Loaded by pytest before Django (see `addopts` in pyproject.toml): test-only environment."""

import os
from pathlib import Path

# Tests run with production-like settings (DEBUG off), which need a key.
os.environ.setdefault("SECRET_KEY", "tests-only-secret-key")
# Browser tests talk to a local server over plain HTTP.
os.environ.setdefault("SECURE_SSL_REDIRECT", "0")
os.environ.setdefault("SECURE_COOKIES", "0")

# Pages are served by whitenoise as in production; it expects the folder that
# collectstatic fills, even when the tests serve files from the app folders.
_static_root = Path(
    os.environ.get("TEJIDO_VAR_DIR", Path(__file__).resolve().parent.parent / "var")
)
(_static_root / "static").mkdir(parents=True, exist_ok=True)
