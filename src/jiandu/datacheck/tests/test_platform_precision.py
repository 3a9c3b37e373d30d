"""Per-rule precision over time: confirmed (converted included) / (confirmed + excluded)
per rule per run, as a table and the data of a line chart."""

import json

import pytest
from django.urls import reverse

from jiandu.datacheck.models import Hit
from jiandu.datacheck.selectors import precision_table
from jiandu.datacheck.services import hit_assign, hit_confirm, hit_exclude

from .platform_data import small_run

pytest_plugins = ["jiandu.datacheck.tests.platform_support"]


def _decide(dc, hit, confirm):
    hit = hit_assign(actor=dc.city_data, hit=hit, handling_org=dc.world.city)
    if confirm:
        return hit_confirm(actor=dc.city_data, hit=hit)
    return hit_exclude(actor=dc.city_data, hit=hit, reason="数据登记错误")


@pytest.fixture
def two_runs(dc):
    first = small_run(dc)
    a, _b, c = Hit.objects.filter(run=first).order_by("pk")
    _decide(dc, a, True)
    _decide(dc, c, False)  # 1 of 2 decided: 50%, one still pending
    # The second run finds the same three hits: it carries both decisions ...
    second = small_run(dc)
    _a2, b2, _c2 = Hit.objects.filter(run=second).order_by("pk")
    _decide(dc, b2, True)  # ... and the third is decided there: 2 of 3
    return first, second


def test_precision_per_rule_per_run(dc, two_runs):
    first, second = two_runs
    table = precision_table(user=dc.city_data)
    assert [r.pk for r in table.runs] == [first.pk, second.pk]
    assert table.rules == ["R01"]
    cells = table.cells["R01"]
    assert (cells[first.pk].confirmed, cells[first.pk].excluded) == (1, 1)
    assert cells[first.pk].precision == 0.5 and cells[first.pk].pending == 1
    assert (cells[second.pk].confirmed, cells[second.pk].excluded) == (2, 1)
    assert cells[second.pk].precision == pytest.approx(2 / 3, abs=1e-4)
    chart = table.chart()
    assert chart["series"] == [{"name": "R01 死亡后仍发放", "data": [50.0, 66.7]}]
    assert len(chart["categories"]) == 2


def test_precision_page_table_and_chart(client, dc, two_runs):
    client.force_login(dc.city_data)
    response = client.get(reverse("datacheck:precision"))
    text = response.content.decode()
    assert "50%" in text and "67%" in text and "确认2 / 排除1" in text
    assert 'data-chart="line"' in text and "echarts.min.js" in text
    script = text.split('<script id="precision-chart" type="application/json">')[1]
    chart = json.loads(script.split("</script>")[0])
    assert chart["series"][0]["data"] == [50.0, 66.7]


def test_decisions_on_the_run_page(client, dc, two_runs):
    first, _second = two_runs
    client.force_login(dc.city_data)
    results = client.get(reverse("datacheck:run_detail", args=[first.pk])).context["results"]
    r01 = results[0]
    assert (r01.hits, r01.confirmed, r01.excluded, r01.pending) == (3, 1, 1, 1)
    assert str(r01.amount) == "2340.00"
