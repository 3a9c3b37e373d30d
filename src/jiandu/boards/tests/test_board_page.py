"""The board page: the coloured table of a closed month, its cumulative view, the
version picker; a bounded number of queries whatever the number of units."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from jiandu.boards.services import board_close
from jiandu.orgs.choices import OrgKind
from jiandu.orgs.services import org_create


def _close_march(bw):
    county, dongchuan, luquan = bw.world.county, bw.dongchuan, bw.luquan
    bw.receive(county, 3, 5)
    bw.receive(dongchuan, 3, 3)
    bw.receive(luquan, 3, 1)
    return board_close(actor=bw.users["city"], board=bw.counties_board, month="2020-03").snapshot


def test_month_view_shows_coloured_cells_yellow_rows_and_ranks(bw, client):
    snapshot = _close_march(bw)
    client.force_login(bw.users["city"])
    url = reverse("boards:board_detail", args=[bw.counties_board.pk])
    response = client.get(url, {"month": "2020-03"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "2020年3月综合排名" in html
    assert html.count("mcb-cell mcb-red") == 2  # 受理问题线索: 五华 and 东川
    assert html.count("mcb-cell mcb-white") == 1  # 禄劝 last
    assert html.count('class="is-yellow') == 3  # every 脱贫摘帽县
    assert "黄色为牵头单位纪检组和脱贫摘帽县" in html or "黄色为" in html
    cell = reverse("boards:cell_detail", args=[bw.counties_board.pk, snapshot.pk])
    assert f"{cell}?period=month&amp;unit={bw.luquan.pk}&amp;indicator=clues_received" in html
    assert reverse("boards:board_xlsx", args=[bw.counties_board.pk, snapshot.pk]) in html


def test_cumulative_view_is_a_partial_for_htmx(bw, client):
    _close_march(bw)
    client.force_login(bw.users["city"])
    url = reverse("boards:board_detail", args=[bw.counties_board.pk])
    response = client.get(
        url,
        {"month": "2020-03", "view": "cumulative"},
        headers={"HX-Request": "true", "HX-Target": "board-table"},
    )
    html = response.content.decode()
    assert "2020年1—3月累计综合排名" in html
    assert "<html" not in html


def test_board_page_queries_do_not_grow_with_units(bw, client, django_assert_max_num_queries):
    _close_march(bw)
    client.force_login(bw.users["city"])
    url = reverse("boards:board_detail", args=[bw.counties_board.pk])
    client.get(url)  # the first request also renews the session and fills the caches
    with CaptureQueriesContext(connection) as three_units:
        assert client.get(url).status_code == 200
    label = bw.world.county.labels.get()
    for i in range(6):
        org_create(
            actor=bw.users["city"],
            name=f"第{i}县纪委监委",
            kind=OrgKind.COUNTY,
            parent=bw.world.city,
            labels=[label],
        )
    board_close(
        actor=bw.users["city"], board=bw.counties_board, month="2020-03", reason="新增参评县"
    )
    client.get(url)  # new orgs renewed the access stamp: the caches fill again
    with django_assert_max_num_queries(18), CaptureQueriesContext(connection) as nine_units:
        html = client.get(url).content.decode()
    assert html.count('class="mcb-fixed unit"') == 9
    assert len(nine_units) == len(three_units)
    with django_assert_max_num_queries(14):
        assert client.get(reverse("boards:board_list")).status_code == 200


def test_without_view_permission_the_page_is_forbidden(bw, client):
    _close_march(bw)
    from jiandu.testing import make_user

    client.force_login(make_user("no-board-role", bw.users["county"].org))  # no 多色榜 role
    url = reverse("boards:board_detail", args=[bw.counties_board.pk])
    assert client.get(url).status_code == 403


def test_the_closer_is_shown_by_name_and_unit_not_by_user_name(bw, client):
    closer = bw.users["city"]
    closer.full_name = "李明"
    closer.save(update_fields=["full_name"])
    _close_march(bw)
    client.force_login(closer)
    url = reverse("boards:board_detail", args=[bw.counties_board.pk])
    html = client.get(url, {"month": "2020-03"}).content.decode()
    assert "<td>李明（昆明市纪委监委）</td>" in html
    assert f"<td>{closer.username}</td>" not in html
