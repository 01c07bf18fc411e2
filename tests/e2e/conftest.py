"""Browser tests: Debian's Chromium driven by Playwright against a live server.

Screenshots of every step, at phone and desktop widths, go to
`var/artifacts/screenshots/` (CI keeps them as artefacts).

Every page a test looks at is checked with axe-core, the npm package pinned in
`tests/e2e/package-lock.json` that `./dev setup` installs under `var/e2e/`:
`shots(page, step)` checks the page at both widths before taking its pictures,
and `axe(page)` checks a page the test does not photograph. Any serious or
critical violation fails the test; the findings of each test, minor ones too,
go to `var/artifacts/axe/`.
"""

import json
import os
import re
import shutil
from pathlib import Path

import pytest
from django.conf import settings

CHROMIUM = os.environ.get("CHROMIUM", shutil.which("chromium") or "/usr/bin/chromium")
ARTIFACTS = Path(settings.BASE_DIR) / "var" / "artifacts"
SCREENSHOTS = ARTIFACTS / "screenshots"
AXE_SCRIPT = Path(
    os.environ.get(
        "AXE_SCRIPT", Path(settings.BASE_DIR) / "var/e2e/node_modules/axe-core/axe.min.js"
    )
)
# What fails a test; axe also reports "moderate" and "minor" findings, kept in
# the test's report.
FAILING_IMPACTS = {"serious", "critical"}
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


def artifact_name(test_name):
    return re.sub(r"[^\w-]+", "-", test_name)


@pytest.fixture(scope="session")
def axe_source():
    if not AXE_SCRIPT.exists():
        message = f"axe-core is missing at {AXE_SCRIPT}: ./dev setup installs it with npm"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return AXE_SCRIPT.read_text(encoding="utf-8")


class Axe:
    """Runs axe-core on the current page; fails on a serious or critical violation.

    The script is evaluated through the browser's debugging protocol, which the
    site's Content-Security-Policy does not govern, so pages keep their policy.
    """

    def __init__(self, source, test_name):
        self.source = source
        self.report = ARTIFACTS / "axe" / f"{artifact_name(test_name)}.json"
        self.findings = []

    def __call__(self, page, step="", *, ours=True):
        """Check the page; `ours=False` only records the findings of a page another
        project renders (Django's admin, Swagger UI, REST framework's browsable API)."""
        page.wait_for_load_state("load")
        if not page.evaluate("typeof window.axe !== 'undefined'"):
            page.evaluate(self.source)
        violations = page.evaluate(
            """async () => {
                const results = await window.axe.run(document, {resultTypes: ["violations"]});
                return results.violations.map((v) => ({
                    id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
                    nodes: v.nodes.map((n) => ({target: n.target.join(" "), html: n.html,
                                                 summary: n.failureSummary})),
                }));
            }"""
        )
        where = {"url": page.url, "step": step, "width": page.viewport_size["width"]}
        self.findings.extend({**where, **violation} for violation in violations)
        self.save()
        failing = [v for v in violations if ours and v["impact"] in FAILING_IMPACTS]
        if failing:
            lines = [f"axe-core: {len(failing)} serious or critical violations on {page.url}"]
            for violation in failing:
                lines.append(f"- {violation['id']} ({violation['impact']}): {violation['help']}")
                lines.extend(
                    f"    {node['target']}: {node['html'][:160]}" for node in violation["nodes"][:5]
                )
            pytest.fail("\n".join(lines), pytrace=False)

    def save(self):
        self.report.parent.mkdir(parents=True, exist_ok=True)
        self.report.write_text(json.dumps(self.findings, indent=2, ensure_ascii=False))


@pytest.fixture
def axe(axe_source, request):
    return Axe(axe_source, request.node.name)


class Shots:
    """Takes a named screenshot of the current page and checks it with axe, at both widths."""

    def __init__(self, test_name, axe):
        self.folder = SCREENSHOTS / artifact_name(test_name)
        self.folder.mkdir(parents=True, exist_ok=True)
        self.axe = axe
        self.count = 0

    def __call__(self, page, step):
        self.count += 1
        original = page.viewport_size
        for name, size in VIEWPORTS.items():
            page.set_viewport_size(size)
            page.screenshot(
                path=str(self.folder / f"{self.count:02d}-{step}-{name}.png"), full_page=True
            )
            self.axe(page, step)
        page.set_viewport_size(original)


@pytest.fixture
def shots(request, axe):
    return Shots(request.node.name, axe)


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(
        base_url=live_server.url, viewport=VIEWPORTS["desktop"], locale="es-PE"
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()
