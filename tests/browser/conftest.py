"""The Playwright fixture every browser test shares (Debian's chromium), logging in
through the login page, and the scan of every page a walk loads for text that looks like
code (``no_code_like_text``)."""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-results"
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]


@pytest.fixture
def page(request):
    # Playwright's sync API runs an event loop in this thread; the test's own ORM calls
    # (setting up data) happen before any page action and are safe.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    executable = shutil.which("chromium") or "/usr/bin/chromium"
    if not Path(executable).exists():
        pytest.fail("chromium is not installed: run `make browser-deps`")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_FLAGS)
        context = browser.new_context(
            locale="zh-CN", viewport={"width": 1400, "height": 1000}, accept_downloads=True
        )
        page = context.new_page()
        page.set_default_timeout(15_000)
        yield page
        ARTIFACTS.mkdir(exist_ok=True)
        name = re.sub(r"[^\w.-]+", "-", request.node.name)
        page.screenshot(path=str(ARTIFACTS / f"{name}-last.png"), full_page=True)
        browser.close()


@pytest.fixture
def log_in(page, live_server):
    """Log in through the login page as ``username`` (test password) and land on the
    工作台; returns the server's base URL."""

    def log_in(username: str) -> str:
        from jiandu.testing import TEST_PASSWORD

        page.context.clear_cookies()
        page.goto(f"{live_server.url}/accounts/login/")
        page.fill("input[name=username]", username)
        page.fill("input[name=password]", TEST_PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_url(re.compile(r".*/$"))
        assert "工作台" in page.content()
        return live_server.url

    return log_in


class CodeLikeScan:
    """Every HTML page and fragment the browser loads, read as it arrives (a route on the
    context passes each response through unchanged): the visible text that looks like
    code (``jiandu.testing.code_like_text``), by URL."""

    def __init__(self) -> None:
        self.found: list[tuple[str, list[str]]] = []

    def route(self, route) -> None:
        from jiandu.testing import code_like_text

        request = route.request
        # A file upload goes to the server untouched (an intercepted request does not
        # carry the files' bytes); the page it leads to is read after its redirect.
        uploads = "multipart/form-data" in (request.headers.get("content-type") or "")
        if request.resource_type not in {"document", "xhr", "fetch"} or uploads:
            route.continue_()
            return
        # Redirects reach the browser as they are: it follows them itself.
        response = route.fetch(max_redirects=0)
        if "text/html" in response.headers.get("content-type", ""):
            found = code_like_text(response.text())
            if found:
                self.found.append((f"{request.method} {request.url}", found))
        route.fulfill(response=response)

    def report(self) -> str:
        return "\n".join(f"{url}: {'、'.join(dict.fromkeys(texts))}" for url, texts in self.found)


@pytest.fixture
def no_code_like_text(page):
    """Fail the test when a page it loaded shows code where a person reads names:
    ``snake_case``, ``True``/``False``/``None``, Python list literals in text nodes."""
    scan = CodeLikeScan()
    page.context.route("**/*", scan.route)
    yield scan
    page.context.unroute("**/*", scan.route)
    if scan.found:
        pytest.fail("页面上出现了代码式的文字（应为名称）：\n" + scan.report(), pytrace=False)
