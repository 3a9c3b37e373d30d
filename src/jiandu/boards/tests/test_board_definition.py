"""Defining boards: the built-ins, a new board from the page (participants by rule,
ordered indicators, colours, warning rules, visibility), errors named by field, and the
indicator library."""

import pytest
from django.urls import reverse

from jiandu.boards import compute
from jiandu.boards.models import Board, Indicator
from jiandu.boards.services import board_install_builtins
from jiandu.core.models import AuditLog
from jiandu.orgs.models import OrgLabel


def test_builtins_rank_the_seed_indicators_of_the_seed_units(bw):
    counties = compute.board_columns(bw.counties_board)
    assert [c.heading for c in counties] == [
        "受理问题线索（件）",
        "处置问题线索（件）",
        "批评教育（人）",
        "问责处理（人）",
        "党纪处分（人）",
        "政务处分（人）",
        "直查直办（件）",
        "主体责任类失职失责（件）",
        "监督责任类失职失责（件）",
        "通报曝光（批次/人次）",
    ]
    stationed = compute.board_columns(bw.stationed_board)
    assert [c.heading for c in stationed] == [
        "问题受理（件）",
        "处置办结（件）",
        "批评教育（人）",
        "问责追责（人）",
    ]
    assert {u.name for u in compute.board_units(bw.counties_board)} == {
        "五华区纪委监委",
        "东川区纪委监委",
        "禄劝县纪委监委",
    }
    units = {u.name: u.yellow for u in compute.board_units(bw.stationed_board)}
    assert units == {
        "第一监督检查室": None,
        "派驻第一纪检监察组": None,
        "派驻第二纪检监察组": "牵头单位纪检组",
    }
    # installing again changes nothing
    again = board_install_builtins(actor=bw.users["city"], owner=bw.world.city)
    assert [b.pk for b in again] == [bw.stationed_board.pk, bw.counties_board.pk]
    assert Indicator.objects.count() == 11


def _post(bw, **extra):
    library = {i.key: i for i in Indicator.objects.all()}
    data = {
        "key": "four-winds",
        "title": "县区监督执纪工作情况",
        "owner_org": bw.world.city.pk,
        "domain": "",
        "participant_rule": "label",
        "participant_labels": [OrgLabel.objects.get(name="脱贫摘帽县").pk],
        "yellow_labels": [],
        "red_points": 6,
        "blue_points": 3,
        "white_points": 0,
        "top_n": 2,
        "cumulative_mode": "sum_points",
        "consecutive_months": 3,
        "quarter_interview": "on",
        "bottom_k": 2,
        "bottom_month": 6,
        "tie_breaker_1": "criticism",
        "tie_breaker_2": "previous_rank",
        "tie_breaker_3": "",
        "max_tied_last": 2,
        "visibility": "own_row",
        f"position_{library['criticism'].pk}": 2,
        f"position_{library['clues_received'].pk}": 1,
        f"label_{library['clues_received'].pk}": "线索受理",
    }
    data.update(extra)
    return data


def test_a_board_defined_on_the_page(bw, client):
    client.force_login(bw.users["city"])
    response = client.post(reverse("boards:board_create"), _post(bw))
    board = Board.objects.get(key="four-winds")
    assert response.status_code == 302
    assert [c.heading for c in compute.board_columns(board)] == ["线索受理（件）", "批评教育（人）"]
    assert (board.red_points, board.top_n, board.cumulative_mode) == (6, 2, "sum_points")
    assert (board.consecutive_months, board.bottom_k, board.bottom_month) == (3, 2, 6)
    assert board.visibility == "own_row"
    assert (board.tie_breakers, board.max_tied_last) == (["criticism", "previous_rank"], 2)
    assert len(compute.board_units(board)) == 3
    assert AuditLog.objects.filter(object_type="boards.board", object_id=str(board.pk)).exists()

    edit = reverse("boards:board_edit", args=[board.pk])
    page = client.get(edit).content.decode()
    assert "线索受理" in page
    assert '<option value="previous_rank" selected>' in page
    client.post(edit, _post(bw, participant_rule="kind", participant_kinds=["stationed_group"]))
    board.refresh_from_db()
    assert {u.name for u in compute.board_units(board)} == {
        "派驻第一纪检监察组",
        "派驻第二纪检监察组",
    }


def test_errors_are_named_by_field_and_nothing_is_saved(bw, client):
    client.force_login(bw.users["city"])
    library = {i.key: i for i in Indicator.objects.all()}
    data = _post(
        bw,
        red_points=1,
        participant_labels=[],
        **{
            f"position_{library['criticism'].pk}": "",
            f"position_{library['clues_received'].pk}": "",
        },
    )
    response = client.post(reverse("boards:board_create"), data)
    html = response.content.decode()
    assert response.status_code == 422
    assert "请至少选用一个指标" in html
    assert "规则为“带有指定标签的单位”时，请选择标签" in html
    assert "分值应满足 红 &gt; 蓝 &gt; 白" in html
    assert not Board.objects.filter(key="four-winds").exists()


def test_tie_breakers_are_on_the_board_and_not_repeated(bw, client):
    client.force_login(bw.users["city"])
    data = _post(bw, tie_breaker_1="clues_closed", tie_breaker_2="previous_rank")
    data["tie_breaker_3"] = "previous_rank"
    response = client.post(reverse("boards:board_create"), data)
    html = response.content.decode()
    assert response.status_code == 422
    assert "该指标没有选用在本榜上" in html
    assert "与前面的比较项重复" in html
    assert not Board.objects.filter(key="four-winds").exists()


def test_only_holders_of_the_permission_define_boards(bw, client):
    client.force_login(bw.users["leader"])
    assert client.get(reverse("boards:board_create")).status_code == 403
    assert client.get(reverse("boards:board_edit", args=[bw.counties_board.pk])).status_code == 403


def test_a_reported_and_a_compound_indicator_join_the_library(bw, client):
    client.force_login(bw.users["city"])
    url = reverse("boards:indicator_create")
    client.post(
        url,
        {
            "key": "exposure_cases_persons",
            "name": "通报曝光",
            "direction": "higher",
            "source": "computed",
            "statistic": "exposure_cases",
            "second_statistic": "exposure_persons",
            "component_names": "起/人",
        },
    )
    compound = Indicator.objects.get(key="exposure_cases_persons")
    assert [c["statistic"] for c in compound.components] == ["exposure_cases", "exposure_persons"]
    assert compound.heading == "通报曝光（起/人次）"
    client.post(
        url,
        {
            "key": "self_found",
            "name": "自查问题",
            "unit": "个",
            "direction": "higher",
            "source": "reported",
        },
    )
    assert Indicator.objects.get(key="self_found").is_reported
    bad = client.post(url, {"key": "x", "name": "错", "direction": "higher", "source": "computed"})
    assert "按案件记录计算的指标须选择统计口径" in bad.content.decode()


def test_a_board_is_archived_with_a_reason_and_keeps_its_snapshots(bw, client):
    from jiandu.boards.services import board_close

    snapshot = board_close(
        actor=bw.users["city"], board=bw.counties_board, month="2020-01"
    ).snapshot
    client.force_login(bw.users["city"])
    url = reverse("boards:board_archive", args=[bw.counties_board.pk])
    client.post(url, {"reason": ""})
    bw.counties_board.refresh_from_db()
    assert bw.counties_board.archived_at is None
    client.post(url, {"reason": "指标调整，改用新榜"})
    bw.counties_board.refresh_from_db()
    assert bw.counties_board.archive_reason == "指标调整，改用新榜"
    listing = client.get(reverse("boards:board_list")).content.decode()
    assert reverse("boards:board_detail", args=[bw.counties_board.pk]) not in listing
    page = client.get(reverse("boards:board_detail", args=[bw.counties_board.pk]))
    assert page.status_code == 200 and snapshot.month_label in page.content.decode()
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError, match="已停用"):
        board_close(actor=bw.users["city"], board=bw.counties_board, month="2020-02")
