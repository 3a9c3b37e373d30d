"""The three administrators (三员分立) each doing their job in the browser, as their own
account: the 系统管理员 creates a user in a county and resets a password (the user must
change it at the next sign-in); the 安全管理员 lifts a lock-out and grants a role; the
审计管理员 finds both administrators' actions in the audit log."""

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
def page(request):
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
        page.screenshot(path=str(ARTIFACTS / f"{request.node.name}-last.png"), full_page=True)
        browser.close()


@pytest.fixture
def admins():
    from jiandu.accounts.tests.admin_personas import build_admin_world

    return build_admin_world()


def _login(page, base: str, username: str, password: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("button[type=submit]")


def _logout(page) -> None:
    page.get_by_role("button", name="退出登录").click()
    page.wait_for_url(re.compile(r".*/accounts/login/"))


def _nav(page) -> str:
    return page.locator("#sidebar").inner_text()


def test_sysadmin_creates_a_county_user_and_resets_a_password(live_server, page, admins):
    from jiandu.testing import TEST_PASSWORD

    base = live_server.url
    _login(page, base, "sysadmin", TEST_PASSWORD)
    page.wait_for_url(re.compile(r".*/$"))
    nav = _nav(page)
    assert "用户管理" in nav
    for hidden in ("问题线索", "信访举报", "党员干部", "角色分配", "审计日志"):
        assert hidden not in nav

    # Create 张三 in 五华区纪委监委, picking the unit by a search over the tree.
    page.locator("#sidebar").get_by_role("link", name="用户管理").click()
    page.get_by_role("link", name="新建用户").click()
    page.fill("input[name=username]", "zhangsan")
    page.fill("input[name=full_name]", "张三")
    page.fill("input[name=title]", "第一纪检监察室干部")
    page.fill("#org-picker input[type=search]", "五华")
    page.get_by_label("昆明市纪委监委 › 五华区纪委监委").check()
    page.get_by_role("button", name="保存").click()
    page.wait_for_selector("#temporary-password")
    assert "已新建用户“zhangsan”" in page.content()

    # Reset the new account's password from its page.
    page.get_by_role("link", name="查看该用户").click()
    assert "昆明市纪委监委 › 五华区纪委监委" in page.locator("#account-org").inner_text()
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="重置密码").click()
    page.wait_for_selector("#temporary-password")
    assert "已重置“zhangsan”" in page.content()
    password = page.locator("#temporary-password").inner_text().strip()
    _logout(page)

    # 张三 signs in with it and must change it before anything else.
    _login(page, base, "zhangsan", password)
    page.wait_for_url(re.compile(r".*/accounts/password/$"))
    assert "须先修改密码" in page.content()
    page.goto(f"{base}/")
    page.wait_for_url(re.compile(r".*/accounts/password/$"))
    page.fill("input[name=old_password]", password)
    page.fill("input[name=new_password1]", "Zhangsan-Own-2026")
    page.fill("input[name=new_password2]", "Zhangsan-Own-2026")
    page.get_by_role("button", name="确认修改").click()
    page.wait_for_url(re.compile(r".*/accounts/password/done/$"))
    page.goto(f"{base}/")
    assert page.url.rstrip("/") == base
    assert "我的工作台" in page.content()


def test_secadmin_lifts_a_lockout_and_grants_a_role(live_server, page, admins):
    from django.conf import settings

    from jiandu.testing import TEST_PASSWORD

    base = live_server.url
    # 盘龙区's officer mistypes the password until the lock-out.
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _login(page, base, "outsider", "Wrong-Passw0rd")
    assert "联系安全管理员" in page.content()

    _login(page, base, "secadmin", TEST_PASSWORD)
    page.wait_for_url(re.compile(r".*/$"))
    nav = _nav(page)
    assert "角色分配" in nav and "账号锁定" in nav and "登录记录" in nav
    for hidden in ("问题线索", "用户管理", "审计日志"):
        assert hidden not in nav

    page.locator("#sidebar").get_by_role("link", name="账号锁定").click()
    row = page.locator("#lockout-table tr", has_text="outsider")
    assert "已锁定" in row.inner_text()
    row.get_by_role("button", name="解除锁定").click()
    page.wait_for_selector("text=已解除账号“outsider”的登录锁定")

    page.locator("#sidebar").get_by_role("link", name="登录记录").click()
    page.fill("input[name=username]", "outsider")
    page.get_by_role("button", name="查询").click()
    assert page.locator("#signin-table tbody tr", has_text="登录失败").count() >= 1

    page.locator("#sidebar").get_by_role("link", name="角色分配").click()
    page.fill("input[name=q]", "county")
    page.get_by_role("button", name="查询").click()
    page.locator("#user-table tr", has_text="county").get_by_role("link", name="分配角色").click()
    page.get_by_label("领导查阅").check()
    page.get_by_label("审计管理员").check()
    page.get_by_role("button", name="保存角色").click()
    assert "不能同时持有业务角色" in page.content()
    page.get_by_label("审计管理员").uncheck()
    page.get_by_role("button", name="保存角色").click()
    page.wait_for_selector("text=已更新")
    assert "领导查阅" in page.locator("#user-table tr", has_text="county").inner_text()
    _logout(page)

    # The unlocked officer signs in again at once.
    _login(page, base, "outsider", TEST_PASSWORD)
    page.wait_for_url(re.compile(r".*/$"))
    assert "我的工作台" in page.content()


def test_auditor_finds_both_administrators_actions(live_server, page, admins):
    from jiandu.accounts import roles as r
    from jiandu.accounts.services import user_password_reset, user_roles_set
    from jiandu.testing import TEST_PASSWORD

    user_password_reset(actor=admins.sysadmin, user=admins.county_user)
    user_roles_set(actor=admins.secadmin, user=admins.world.users["room"], roles=[r.ROLE_LEADER])
    base = live_server.url

    _login(page, base, "auditor", TEST_PASSWORD)
    page.wait_for_url(re.compile(r".*/$"))
    nav = _nav(page)
    assert "审计日志" in nav
    for hidden in ("问题线索", "用户管理", "角色分配", "账号锁定"):
        assert hidden not in nav

    page.locator("#sidebar").get_by_role("link", name="审计日志").click()
    page.fill("input[name=actor]", "sysadmin")
    page.get_by_role("button", name="查询").click()
    page.wait_for_selector("#audit-results >> text=重置“county”的密码")
    assert "重置密码" in page.locator("#audit-results").inner_text()

    page.fill("input[name=actor]", "secadmin")
    page.get_by_role("button", name="查询").click()
    page.wait_for_selector("#audit-results >> text=为“room”授予领导查阅")
    assert "权限变更" in page.locator("#audit-results").inner_text()

    # Nothing else: the administrators' pages and business pages are refused.
    for path in ("/accounts/users/", "/accounts/roles/", "/clues/clues/"):
        response = page.goto(f"{base}{path}")
        assert response.status == 403, path
