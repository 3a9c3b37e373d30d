"""The rectification loop as the two units involved walk it, in Debian's chromium driven
by Playwright: the supervising group registers a problem about 市财政局; the bureau's
staff sign it, submit a plan and a report with a file; the group rejects it once with a
reason, the staff report again, the group accepts, and the problem is 已销号."""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

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
def page():
    # Playwright's sync API runs an event loop in this thread; the test's own ORM calls
    # (setting up data) happen before any page action and are safe.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    executable = shutil.which("chromium") or "/usr/bin/chromium"
    if not Path(executable).exists():
        pytest.fail("chromium is not installed: run `make browser-deps`")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_FLAGS)
        context = browser.new_context(locale="zh-CN", viewport={"width": 1400, "height": 1000})
        page = context.new_page()
        page.set_default_timeout(15_000)
        yield page
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "rectification-loop-last.png"), full_page=True)
        browser.close()


def _login(page, base: str, username: str, password: str) -> None:
    page.context.clear_cookies()
    page.goto(f"{base}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("button[type=submit]")
    page.wait_for_url(re.compile(r".*/$"))


def _move(page, action: str, **fields: str) -> None:
    """Open the move's panel, fill its fields and submit it."""
    form = page.locator(f"form[data-action={action}]")
    if not form.is_visible():
        page.locator(f"details:has(form[data-action={action}]) > summary").click()
    for name, value in fields.items():
        form.locator(f"[name={name}]").fill(value)
    form.locator("button[type=submit]").click()
    page.wait_for_load_state()


def test_problem_from_finding_to_closed(live_server, page):
    from jiandu.accounts import roles
    from jiandu.oversight.models import Problem, ProblemCategory, ProblemSource
    from jiandu.testing import TEST_PASSWORD, build_world, make_user

    world = build_world()
    make_user("caizheng", world.unit_a, roles.ROLE_RECTIFICATION, full_name="王财")
    source = ProblemSource.objects.get(key="supervision")
    category = ProblemCategory.objects.get(name="惠民资金管理")
    base = live_server.url

    # The supervising group (派驻第一纪检监察组) registers the finding.
    _login(page, base, "group", TEST_PASSWORD)
    page.goto(f"{base}/oversight/problems/new/")
    page.select_option("select[name=org]", str(world.unit_a.pk))
    page.fill("textarea[name=description]", "惠民资金发放台账不全，部分发放无签收")
    page.select_option("select[name=source]", str(source.pk))
    page.select_option("select[name=category]", str(category.pk))
    page.get_by_role("button", name="登记").click()
    page.wait_for_url(re.compile(r".*/oversight/problems/\d+/$"))
    problem = Problem.objects.get()
    detail = page.url
    assert "待整改" in page.content() and problem.number in page.content()

    # The bureau's staff sign it, plan, and report with a file.
    _login(page, base, "caizheng", TEST_PASSWORD)
    page.goto(f"{base}/oversight/problems/")
    page.get_by_role("link", name=problem.number).click()
    _move(page, "sign")
    assert "王财" in page.locator("#signed").inner_text()
    _move(page, "plan", text="逐户核对发放记录，补齐签收")
    assert "正在整改" in page.content()
    page.locator("details:has(form[data-action=submit]) > summary").click()
    page.locator("form[data-action=submit] input[type=file]").set_input_files(
        {"name": "整改报告.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4 report"}
    )
    _move(page, "submit", text="已补齐全部签收")
    assert "已整改（待验收）" in page.content()
    assert "整改报告.pdf" in page.locator("#attachments").inner_text()
    assert page.locator("form[data-action=accept]").count() == 0

    # The group rejects once with a reason.
    _login(page, base, "group", TEST_PASSWORD)
    page.goto(detail)
    _move(page, "reject", reason="缺少村委会盖章")
    assert "缺少村委会盖章" in page.locator("#timeline").inner_text()
    assert "正在整改" in page.content()

    # The staff report again; the group accepts: 已销号.
    _login(page, base, "caizheng", TEST_PASSWORD)
    page.goto(detail)
    _move(page, "submit", text="已补盖章")
    _login(page, base, "group", TEST_PASSWORD)
    page.goto(detail)
    _move(page, "accept")
    assert "已销号" in page.content()
    problem.rectification.refresh_from_db()
    assert problem.rectification.status == "closed"
    assert problem.rectification.rejection_count == 1
    assert problem.follow_ups.count() == 1
