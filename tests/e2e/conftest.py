"""Browser fixtures: the session app served on 127.0.0.1, a headless Chromium, a fresh page
per test, and a record of every console error or uncaught exception on that page."""
import os
import re
import shutil
import threading
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from werkzeug.serving import make_server

REPO_ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = REPO_ROOT / "test-artifacts"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run", "--disable-quic"]


@pytest.fixture(scope="session")
def live_server(app):
    """The session app served by a threaded werkzeug server; yields its base URL."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="e2e-live-server", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


def chromium_path():
    """CHROMIUM_PATH or the Debian Chromium; fail loudly when it is not there."""
    path = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
    resolved = path if os.path.isfile(path) else shutil.which(path)
    if not resolved or not os.access(resolved, os.X_OK):
        pytest.fail(f"Chromium not found at {path!r}: install it (apt-get install chromium) or "
                    "set CHROMIUM_PATH to a Chromium/Chrome executable. The e2e tests do not "
                    "skip themselves.", pytrace=False)
    return resolved


@pytest.fixture(scope="session")
def browser():
    """A headless Chromium for the whole session."""
    executable = chromium_path()
    from playwright.sync_api import Error as PlaywrightError
    from playwright.sync_api import sync_playwright
    with sync_playwright() as playwright:
        try:
            chromium = playwright.chromium.launch(executable_path=executable, headless=True,
                                                  args=CHROMIUM_ARGS)
        except PlaywrightError as exc:
            pytest.fail(f"Chromium at {executable!r} could not be started: {exc}", pytrace=False)
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture(scope="session")
def artifacts_dir():
    """test-artifacts/ at the repository root (gitignored), for screenshots."""
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS


FAILED_LOAD = re.compile(r"^Failed to load resource: the server responded with a status of (\d{3})\b")
KNOWN_GAPS = ()


class BrowserErrors(list):
    """Console errors and uncaught exceptions of one page, as (kind, text, url) triples."""

    def unexpected(self, *expected_failures):
        """The errors left after removing failed loads we provoked on purpose, given as
        (status, path) pairs (e.g. the 422 of a deliberately invalid form), and KNOWN_GAPS."""
        allowed = set(expected_failures) | set(KNOWN_GAPS)
        left = []
        for kind, text, url in self:
            failed = FAILED_LOAD.match(text) if kind == "console" else None
            if failed and (int(failed.group(1)), urlsplit(url).path) in allowed:
                continue
            left.append(f"{kind}: {text} @ {url}")
        return left


@pytest.fixture
def page(browser):
    """A fresh context (1366x900, id-ID) and page; `page.browser_errors` collects every
    console error (CSP violations included) and uncaught page exception."""
    context = browser.new_context(viewport={"width": 1366, "height": 900}, locale="id-ID")
    context.set_default_timeout(10_000)
    new_page = context.new_page()
    errors = BrowserErrors()

    def on_console(message):
        if message.type == "error":
            errors.append(("console", message.text, (message.location or {}).get("url", "")))

    new_page.on("console", on_console)
    new_page.on("pageerror", lambda error: errors.append(("pageerror", str(error), new_page.url)))
    new_page.browser_errors = errors
    try:
        yield new_page
    finally:
        context.close()
