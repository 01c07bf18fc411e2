"""Browser tests: Debian's Chromium driven by Playwright against a live server.

Screenshots of every step, at phone and desktop widths, go to
`var/artifacts/screenshots/` (CI keeps them as artefacts).
"""

import os
import re
import shutil
from pathlib import Path

import pytest
from django.conf import settings

CHROMIUM = os.environ.get("CHROMIUM", shutil.which("chromium") or "/usr/bin/chromium")
SCREENSHOTS = Path(settings.BASE_DIR) / "var" / "artifacts" / "screenshots"
VIEWPORTS = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1280, "height": 900}}
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

# Playwright's synchronous API runs an event loop in the test's thread; the
# ORM calls the tests make between browser steps are still synchronous code.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI"):
            pytest.fail(f"Chromium is missing at {CHROMIUM}: CI must install Debian's chromium")
        pytest.skip("Chromium is not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_FLAGS
        )
        yield browser
        browser.close()


class Shots:
    """Takes a named screenshot of the current page at both widths."""

    def __init__(self, test_name):
        self.folder = SCREENSHOTS / re.sub(r"[^\w-]+", "-", test_name)
        self.folder.mkdir(parents=True, exist_ok=True)
        self.count = 0

    def __call__(self, page, step):
        self.count += 1
        original = page.viewport_size
        for name, size in VIEWPORTS.items():
            page.set_viewport_size(size)
            page.screenshot(
                path=str(self.folder / f"{self.count:02d}-{step}-{name}.png"), full_page=True
            )
        page.set_viewport_size(original)


@pytest.fixture
def shots(request):
    return Shots(request.node.name)


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(
        base_url=live_server.url, viewport=VIEWPORTS["desktop"], locale="es-PE"
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()
