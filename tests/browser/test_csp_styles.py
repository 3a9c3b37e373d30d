"""Under the real Content-Security-Policy (no inline script, no inline style) the browser
reports no violation on the pages with charts, menus and htmx: page styles come from
app.css, htmx adds no indicator <style>, and ECharts styles its canvas and tooltip
through the CSSOM, which the policy allows."""

from __future__ import annotations

import datetime as dt

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Collects the policy violations the page reports (added before any page script runs).
WATCH = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__cspViolations.push(e.violatedDirective + " " + (e.blockedURI || "inline") +
    " " + (e.sample || ""));
});
"""


def _violations(page) -> list[str]:
    return page.evaluate("window.__cspViolations || []")


def test_pages_with_charts_break_no_policy_rule(page, log_in):
    from jiandu.boards.services import board_install_builtins
    from jiandu.clues.choices import ClueSource
    from jiandu.clues.services import clue_create
    from jiandu.testing import build_world

    world = build_world()
    city = world.users["city"]
    today = dt.date.today()
    for n in range(3):  # the workbench chart shows the last 12 months
        clue_create(
            actor=city,
            source=ClueSource.SUPERVISION,
            title=f"线索{n}",
            received_date=today - dt.timedelta(days=40 * n),
            handling_org=world.county,
        )
    _, counties = board_install_builtins(actor=city, owner=world.city)

    console: list[str] = []
    page.on("console", lambda m: console.append(m.text) if "Content Security" in m.text else None)
    page.add_init_script(WATCH)
    base = log_in("city")

    page.goto(f"{base}/")
    chart = page.locator("[data-chart]").first
    chart.locator("canvas").wait_for()
    box = chart.bounding_box()
    assert box
    for fraction in (0.3, 0.5, 0.7):  # hovering over the bars shows the tooltip
        page.mouse.move(box["x"] + box["width"] * fraction, box["y"] + box["height"] * 0.6)
        page.wait_for_timeout(200)
    shown = page.evaluate(
        """() => {
          const chart = echarts.getInstanceByDom(document.querySelector("[data-chart]"));
          chart.dispatchAction({ type: "showTip", seriesIndex: 0, dataIndex: 11 });
          return chart.getOption().tooltip[0].renderMode;
        }"""
    )
    page.wait_for_timeout(300)
    assert shown == "richText"  # drawn on the canvas, not as HTML with style="…"
    assert page.locator("[data-chart] > div").count() == 1  # ECharts' root, no HTML tooltip
    assert _violations(page) == []

    for url in (
        f"/boards/{counties.pk}/",
        "/clues/clues/",
        "/orgs/",
        "/api/v1/docs",
    ):
        page.goto(base + url)
        page.wait_for_load_state("networkidle")
        assert _violations(page) == [], url
    assert console == []
