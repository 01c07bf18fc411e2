"""The production settings plus a trivial page, for the benchmark only (`manage.py bench_pages`).

The benchmark starts the web server with this module; nothing else names it, so
the trivial page is never reachable in a deployment.
"""

from config.settings import *  # noqa: F403

ROOT_URLCONF = "config.bench_urls"
