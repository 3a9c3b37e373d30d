"""The 组织机构 tree in a browser: collapsed below the first level, a name search that
shows the matches with their parents opened, and 全部展开 / 全部收起."""

from __future__ import annotations

import re

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_tree_collapses_and_searches(live_server, page):
    from jiandu.testing import TEST_PASSWORD, build_world

    build_world()
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", "city")
    page.fill("input[name=password]", TEST_PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(re.compile(r".*/$"))
    page.goto(f"{live_server.url}/orgs/")

    township = page.locator("li[data-name^='红云街道']")
    county = page.locator("li[data-name^='五华区纪委监委']")
    assert county.is_visible() and not township.is_visible()  # second level closed

    page.fill("[data-tree-search]", "红云")
    assert township.is_visible()
    assert not page.locator("li[data-name^='市财政局']").is_visible()
    assert "找到 1 个单位" in page.locator("[data-tree-status]").inner_text()

    page.fill("[data-tree-search]", "")
    assert not township.is_visible() and page.locator("li[data-name^='市财政局']").is_visible()
    page.click("[data-tree-expand]")
    assert township.is_visible()
    page.click("[data-tree-collapse]")
    assert not township.is_visible() and county.is_visible()
