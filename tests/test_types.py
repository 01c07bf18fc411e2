"""The type checker passes, so a change that breaks a typed signature fails the suite.

mypy reads its settings from pyproject.toml (django-stubs loads the project's
settings, hence DEBUG=1 for a development key). `.ci/run` runs it too, and the
pre-commit hook before each commit; this test is for whoever only runs the suite.
"""

import os
import subprocess
import sys
from pathlib import Path

from django.conf import settings


def test_mypy_finds_no_error():
    environment = {**os.environ, "DEBUG": "1"}
    result = subprocess.run(
        [sys.executable, "-m", "mypy"],
        cwd=Path(settings.BASE_DIR),
        env=environment,
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
    )
    assert result.returncode == 0, result.stdout + result.stderr
