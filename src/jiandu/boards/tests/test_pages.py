"""The other 多色榜 pages: the warning list with its filters, a unit's rank trend, the
indicator library and the board list."""

import json
import re

from django.urls import reverse

from jiandu.boards.choices import Visibility
from jiandu.boards.services import board_close, board_update


def _three_months(bw):
    # 五华 and 东川 tie last in the first quarter: both are warned.
    board_update(actor=bw.users["city"], board=bw.counties_board, max_tied_last=2)
    for month in (1, 2, 3):
        for org in (bw.world.county, bw.dongchuan):
            bw.receive(org, month, 1 if month < 3 else 2)
        bw.receive(bw.luquan, 3, 3)
        board_close(actor=bw.users["city"], board=bw.counties_board, month=f"2020-{month:02d}")


def test_warning_list_filters(bw, client, django_assert_max_num_queries):
    _three_months(bw)
    client.force_login(bw.users["city"])
    url = reverse("boards:warning_list")
    page = client.get(url).content.decode()
    assert page.count("禄劝县纪委监委2020年1月、2月综合排名连续2个月位列末位") == 1
    assert "季度末位·约谈负责人" in page
    filtered = client.get(
        url,
        {"kind": "quarter_last", "month": "2020-03"},
        headers={"HX-Request": "true", "HX-Target": "warning-results"},
    ).content.decode()
    assert "<html" not in filtered
    assert "连续2个月位列末位" not in filtered and "季度" in filtered
    with django_assert_max_num_queries(16):
        client.get(url)


def test_warning_list_pages_and_filters_by_unit_and_state(bw, client, monkeypatch):
    _three_months(bw)
    client.force_login(bw.users["city"])
    url = reverse("boards:warning_list")
    # 禄劝 last in January and February; 五华 and 东川 tied last in the first quarter.
    monkeypatch.setattr("jiandu.boards.selectors.WARNING_PAGE_SIZE", 2)
    first = client.get(url).content.decode()
    assert "预警（共3条）" in first
    assert first.count("查看依据") == 2
    # newest month first, as a month people read
    assert first.index("2020年3月") < first.index("查看依据")
    after = re.search(r'href="\?after=([^"]+)" rel="next"', first).group(1)
    second = client.get(url, {"after": after}).content.decode()
    assert second.count("查看依据") == 1
    assert 'rel="next"' not in second
    descriptions = re.findall(r'warnings/\d+/">([^<]+)</a>', first + second)
    assert len(set(descriptions)) == 3
    by_unit = client.get(url, {"org": bw.luquan.pk}).content.decode()
    assert "预警（共1条）" in by_unit and "禄劝县纪委监委2020年1月、2月" in by_unit
    assert f'<option value="{bw.luquan.pk}" selected>禄劝县纪委监委</option>' in by_unit
    issued = client.get(url, {"status": "issued", "kind": "quarter_last"}).content.decode()
    assert "预警（共2条）" in issued
    assert client.get(url, {"status": "acknowledged"}).content.decode().count("查看依据") == 0


def test_rank_trend_of_a_unit(bw, client):
    _three_months(bw)
    client.force_login(bw.users["city"])
    url = reverse("boards:unit_trend", args=[bw.counties_board.pk, bw.luquan.pk])
    html = client.get(url, {"year": 2020}, headers={"HX-Request": "true"}).content.decode()
    data = json.loads(
        re.search(r'<script id="trend-[^"]+" type="application/json">(.*?)</script>', html).group(1)
    )
    assert data["categories"] == ["1月", "2月", "3月"]
    assert data["series"][0]["data"] == [3, 3, 1]
    assert 'data-chart="line"' in html
    board_update(actor=bw.users["city"], board=bw.counties_board, visibility=Visibility.OWN_ROW)
    client.force_login(bw.grant_view("county"))
    other = reverse("boards:unit_trend", args=[bw.counties_board.pk, bw.dongchuan.pk])
    own = reverse("boards:unit_trend", args=[bw.counties_board.pk, bw.world.county.pk])
    assert client.get(other).status_code == 404
    assert client.get(own).status_code == 200


def test_library_and_board_list(bw, client):
    _three_months(bw)
    client.force_login(bw.users["leader"])
    library = client.get(reverse("boards:indicator_list")).content.decode()
    assert "通报曝光（批次/人次）" in library and "人次：通报曝光人次" in library
    # names, not codes: the statistic's key appears in no text
    assert "exposure_persons" not in library
    boards = client.get(reverse("boards:board_list")).content.decode()
    assert "2020年3月" in boards and "尚未结账" in boards
