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
