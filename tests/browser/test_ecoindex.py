"""一图一表一指数 as the city leader (``leader``, 领导查阅) walks it, in Debian's chromium
driven by Playwright: the map on the home page and on its own page, a click on an area
(五华区) opening that area's units, a unit's index page, and one indicator drilled down
to the problem records that produced its value."""

from __future__ import annotations

import datetime as dt
import itertools
import re

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _to_segment(x: float, y: float, a: list[float], b: list[float]) -> float:
    (x1, y1), (x2, y2) = a, b
    dx, dy = x2 - x1, y2 - y1
    t = 0.0 if dx == dy == 0 else ((x - x1) * dx + (y - y1) * dy) / (dx * dx + dy * dy)
    t = max(0.0, min(1.0, t))
    return (x - x1 - t * dx) ** 2 + (y - y1 - t * dy) ** 2


def _inside_point(code: str) -> list[float]:
    """A point well inside the area's largest polygon in the shipped GeoJSON: of a grid
    over its bounding box, the inside point farthest from the polygon's edges."""
    import json
    from pathlib import Path

    import jiandu

    path = Path(jiandu.__file__).parent / "core/static/jiandu/geo/kunming.geojson"
    feature = next(f for f in json.loads(path.read_text())["features"] if f["id"] == code)
    rings = [poly[0] for poly in feature["geometry"]["coordinates"]]
    ring = max(rings, key=len)
    xs, ys = [p[0] for p in ring], [p[1] for p in ring]

    def inside(x: float, y: float) -> bool:
        hit = False
        for (x1, y1), (x2, y2) in zip(ring, ring[1:] + ring[:1], strict=True):
            if (y1 > y) != (y2 > y) and x < (x2 - x1) * (y - y1) / (y2 - y1) + x1:
                hit = not hit
        return hit

    best, far = [sum(xs) / len(xs), sum(ys) / len(ys)], -1.0
    for i in range(1, 40):
        for j in range(1, 40):
            x = min(xs) + (max(xs) - min(xs)) * i / 40
            y = min(ys) + (max(ys) - min(ys)) * j / 40
            if inside(x, y):
                d = min(_to_segment(x, y, a, b) for a, b in itertools.pairwise(ring))
                if d > far:
                    best, far = [x, y], d
    return best


def _months(today: dt.date) -> list[str]:
    from jiandu.ecoindex.calc import month_shift

    last = month_shift(f"{today.year:04d}-{today.month:02d}", -1)
    return [month_shift(last, -1), last]


def test_leader_opens_the_map_clicks_an_area_and_drills_a_leaf_to_its_records(
    live_server, page, log_in, no_code_like_text
):
    from django.utils import timezone

    from jiandu.ecoindex.close import index_close
    from jiandu.ecoindex.tests.conftest import report_all
    from jiandu.oversight.models import ProblemCategory, ProblemSource
    from jiandu.oversight.services import problem_create
    from jiandu.testing import build_role_world

    w = build_role_world().world
    stats = w.users["city"]
    before, last = _months(timezone.localdate())
    year, month = (int(p) for p in last.split("-"))
    problem_create(
        actor=stats, org=w.township, description="村级财务公开不及时",
        category=ProblemCategory.objects.get(name="其他"),
        source=ProblemSource.objects.get(key="supervision"),
        found_on=dt.date(year, month, 10), supervising_org=w.county,
    )  # fmt: skip
    orgs = [w.unit_a, w.unit_b, w.township]
    for m in (before, last):
        over = {(w.unit_b.pk, "sick_promotion"): 4} if m == last else {}
        report_all(actor=stats, month=m, orgs=orgs, overrides=over)
        index_close(actor=stats, month=m)

    base = log_in("leader")
    # The home page shows the map; the map page has the slider and the department grid.
    page.wait_for_selector("[data-chart=map] canvas")
    page.click("nav >> text=一图一表一指数")
    page.wait_for_url(f"{base}/ecoindex/")
    assert page.input_value("#eco-month") == "1"
    assert "市民政局" in page.inner_text(".eco-tiles")

    # Click 五华区 on the map: the canvas, at the area's centre.
    page.wait_for_function(
        """() => { const el = document.querySelector('[data-chart=map]');
                   const c = el && window.echarts.getInstanceByDom(el);
                   return c && c.getOption().series && c.getOption().series[0].data.length; }"""
    )
    x, y = page.evaluate(
        """(coord) => { const el = document.querySelector('[data-chart=map]');
                        const c = window.echarts.getInstanceByDom(el);
                        const p = c.convertToPixel({seriesIndex: 0}, coord);
                        const r = el.getBoundingClientRect();
                        return [r.left + p[0], r.top + p[1]]; }""",
        _inside_point("530102"),  # 五华区
    )
    # The estimate lands near the area; hover around it until ECharts names 五华区.
    page.evaluate(
        """() => { const el = document.querySelector('[data-chart=map]');
                   window.echarts.getInstanceByDom(el).on('mouseover', (p) => {
                     window.ecoHovered = p.name; }); }"""
    )
    found = None
    for radius in range(0, 120, 6):
        for dx in range(-radius, radius + 1, 6):
            for dy in (-radius, radius) if abs(dx) != radius else range(-radius, radius + 1, 6):
                page.mouse.move(x + dx, y + dy)
                if page.evaluate("() => window.ecoHovered") == "五华区":
                    found = (x + dx, y + dy)
                    break
            if found:
                break
        if found:
            break
    assert found, "五华区 not found on the map"
    page.mouse.click(*found)
    page.wait_for_url(re.compile(r"/ecoindex/table/\?month=.*&area=\d+"))
    table = page.inner_text("table")
    assert "红云街道" in table and "市财政局" not in table

    # The unit's index, its tree, and one leaf down to its records.
    page.click("table >> text=红云街道")
    page.wait_for_url(re.compile(r"/ecoindex/units/\d+/"))
    assert "政治生态“一指数”" in page.inner_text("h1")
    page.wait_for_selector("[data-chart=line] canvas")
    page.click("a[data-leaf=problems_found]")
    page.wait_for_url(re.compile(r"/leaves/problems_found/$"))
    records = page.inner_text("[data-testid=leaf-records]")
    assert "村级财务公开不及时" in records
    page.click("[data-testid=leaf-records] >> text=村级财务公开不及时")
    page.wait_for_url(re.compile(r"/oversight/problems/\d+/$"))


def test_city_account_writes_a_new_tree_version_and_sees_errors_first(live_server, page, log_in):
    """The tree page's 建立新版本: an error named by node key and field, then saved."""
    from jiandu.ecoindex.models import IndexTree
    from jiandu.testing import build_role_world

    build_role_world()
    base = log_in("city")
    page.goto(f"{base}/ecoindex/tree/")
    page.click("text=建立新版本")
    page.wait_for_url(f"{base}/ecoindex/tree/new/")
    page.fill("input[name=effective_from]", "2030-01")
    page.fill("input[name=reason]", "调整板块权重")
    page.fill("input[name='n-loyalty-weight']", "0")
    page.click("button:has-text('建立新版本')")
    assert "“loyalty”：weight（权重）应大于0" in page.inner_text(".form-errors")
    assert not IndexTree.objects.filter(version=2).exists()
    page.fill("input[name='n-loyalty-weight']", "20")
    page.click("button:has-text('建立新版本')")
    page.wait_for_url(re.compile(r"/ecoindex/tree/\?version=2$"))
    assert "第2版" in page.inner_text("h1")
    assert IndexTree.objects.get(version=2).nodes.get(key="loyalty").weight == 20
