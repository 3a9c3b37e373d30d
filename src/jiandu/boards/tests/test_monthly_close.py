"""结账 end to end: figures from the case records → the calculator → one frozen snapshot
holding the month and the cumulative board, the indicator definitions and the units."""

import pytest
from django.core.exceptions import ValidationError

from jiandu.boards.models import BoardSnapshot
from jiandu.boards.services import board_close
from jiandu.core.models import AuditLog

from .conftest import day


def _row(period, org):
    return next(r for r in period["units"] if r["unit"] == str(org.pk))


def test_close_freezes_month_and_cumulative_with_colours(bw):
    county, dongchuan, luquan = bw.world.county, bw.dongchuan, bw.luquan
    bw.receive(county, 1, 1)
    bw.receive(dongchuan, 1, 4)
    bw.receive(luquan, 1, 2)
    bw.receive(county, 3, 5)
    bw.receive(dongchuan, 3, 3)
    bw.receive(luquan, 3, 1)

    outcome = board_close(actor=bw.users["city"], board=bw.counties_board, month="2020-03")
    snapshot = outcome.snapshot
    assert (snapshot.month, snapshot.version, snapshot.reason) == ("2020-03", 1, "")
    data = snapshot.data
    assert data["months"] == ["2020-01", "2020-02", "2020-03"]
    assert [c["name"] for c in data["indicators"]][:3] == [
        "受理问题线索",
        "处置问题线索",
        "批评教育",
    ]
    assert data["indicators"][-1]["slots"][1]["statistic"] == "exposure_persons"
    assert {u["name"] for u in data["units"]} == {
        "五华区纪委监委",
        "东川区纪委监委",
        "禄劝县纪委监委",
    }

    march = data["result"]["months"][-1]
    assert march["key"] == "2020-03"
    cells = {
        org.name: _row(march, org)["cells"]["clues_received"] for org in (county, dongchuan, luquan)
    }
    assert [(c["value"], c["rank"], c["colour"], c["points"]) for c in cells.values()] == [
        (5, 1, "red", 5),
        (3, 2, "red", 5),
        (1, 3, "white", 1),
    ]
    # every other indicator is 0 for everyone: all blue, 3 points each
    other = _row(march, luquan)["cells"]["party_discipline"]
    assert (other["value"], other["colour"], other["points"]) == (0, "blue", 3)
    assert _row(march, county)["composite"] == 5 + 9 * 3  # ten indicators
    assert _row(march, luquan)["overall_rank"] == 3
    assert _row(march, county)["yellow"] == "脱贫摘帽县"

    cumulative = data["result"]["cumulative"]
    assert cumulative["label"] == "2020年1—3月"
    total = {
        org.name: _row(cumulative, org)["cells"]["clues_received"]["value"]
        for org in (county, dongchuan, luquan)
    }
    assert total == {"五华区纪委监委": 6, "东川区纪委监委": 7, "禄劝县纪委监委": 3}
    assert _row(cumulative, dongchuan)["overall_rank"] == 1

    # March ends a quarter: its cumulative ranking is kept for the 约谈 rule
    assert data["quarter"]["months"] == ["2020-01", "2020-02", "2020-03"]
    assert AuditLog.objects.filter(
        object_type="boards.boardsnapshot", object_id=str(snapshot.pk)
    ).exists()


def test_earlier_closed_months_are_reused_and_later_ones_counted_fresh(bw):
    county = bw.world.county
    bw.receive(county, 1, 2)
    january = board_close(actor=bw.users["city"], board=bw.counties_board, month="2020-01")
    bw.receive(county, 2, 3)
    february = board_close(actor=bw.users["city"], board=bw.counties_board, month="2020-02")
    sources = february.snapshot.data["month_sources"]
    assert sources == {"2020-01": january.snapshot.pk, "2020-02": None}
    cumulative = february.snapshot.data["result"]["cumulative"]
    assert _row(cumulative, county)["cells"]["clues_received"]["value"] == 5


def test_a_future_month_cannot_be_closed(bw):
    with pytest.raises(ValidationError, match="尚未到来"):
        board_close(
            actor=bw.users["city"], board=bw.counties_board, month="2020-05", today=day(4, 30)
        )
    assert not BoardSnapshot.objects.exists()


def test_the_latest_version_of_an_earlier_month_is_the_one_reused(bw):
    county = bw.world.county
    bw.receive(county, 1, 2)
    board_close(actor=bw.users["city"], board=bw.counties_board, month="2020-01")
    bw.receive(county, 1, 3)  # late January entries
    second = board_close(
        actor=bw.users["city"], board=bw.counties_board, month="2020-01", reason="补录"
    ).snapshot
    february = board_close(actor=bw.users["city"], board=bw.counties_board, month="2020-02")
    assert february.snapshot.data["month_sources"]["2020-01"] == second.pk
    cumulative = february.snapshot.data["result"]["cumulative"]
    assert _row(cumulative, county)["cells"]["clues_received"]["value"] == 5


def _cumulative_received(snapshot, org):
    cell = _row(snapshot.data["result"]["cumulative"], org)["cells"]["clues_received"]
    return cell["value"]


def test_a_close_carries_the_previous_months_totals_forward(bw):
    county = bw.world.county
    for month in (1, 2, 3):
        bw.receive(county, month, month)
        board_close(actor=bw.users["city"], board=bw.counties_board, month=f"2020-{month:02d}")
    march = BoardSnapshot.objects.get(board=bw.counties_board, month="2020-03")
    february = BoardSnapshot.objects.get(board=bw.counties_board, month="2020-02")
    january = BoardSnapshot.objects.get(board=bw.counties_board, month="2020-01")
    # March took January and February from their snapshots (through February's totals).
    assert march.data["month_sources"] == {
        "2020-01": january.pk,
        "2020-02": february.pk,
        "2020-03": None,
    }
    assert march.figures["sources"] == {"2020-01": january.pk, "2020-02": february.pk}
    assert _cumulative_received(march, county) == 1 + 2 + 3
    assert march.figures["totals"][str(county.pk)]["clues_received"] == [6]


def test_a_month_closed_again_is_not_hidden_by_carried_totals(bw):
    county = bw.world.county
    for month in (1, 2, 3):
        bw.receive(county, month, 1)
        board_close(actor=bw.users["city"], board=bw.counties_board, month=f"2020-{month:02d}")
    bw.receive(county, 1, 4)  # late registrations for January
    board_close(
        actor=bw.users["city"], board=bw.counties_board, month="2020-01", reason="补录1月线索"
    )
    bw.receive(county, 4, 1)
    april = board_close(actor=bw.users["city"], board=bw.counties_board, month="2020-04").snapshot
    january = BoardSnapshot.objects.get(board=bw.counties_board, month="2020-01", version=2)
    assert april.data["month_sources"]["2020-01"] == january.pk
    assert _cumulative_received(april, county) == 5 + 1 + 1 + 1


def test_the_quarter_ranked_at_its_end_sums_only_its_months_carried_forward(bw):
    county = bw.world.county
    assert bw.counties_board.quarter_interview
    for month in range(1, 7):
        bw.receive(county, month, month)
        board_close(actor=bw.users["city"], board=bw.counties_board, month=f"2020-{month:02d}")
    april, may, june = (
        BoardSnapshot.objects.get(board=bw.counties_board, month=f"2020-{m:02d}") for m in (4, 5, 6)
    )
    # Each month keeps the quarter so far; the quarter's end keeps nothing for the next.
    assert april.figures["quarter"][str(county.pk)]["clues_received"] == [4]
    assert may.figures["quarter"][str(county.pk)]["clues_received"] == [4 + 5]
    assert june.figures["quarter"] is None
    # June read nothing but May's snapshot: its quarter and its year so far.
    assert june.data["month_sources"] == {
        **may.figures["sources"],
        "2020-05": may.pk,
        "2020-06": None,
    }
    quarter = _row(june.data["quarter"], county)["cells"]["clues_received"]
    assert quarter["value"] == 4 + 5 + 6
    assert _cumulative_received(june, county) == 21


def test_the_frozen_data_reads_back_as_written(bw):
    import json

    bw.receive(bw.world.county, 1, 2)
    written = board_close(actor=bw.users["city"], board=bw.counties_board, month="2020-01")
    stored = BoardSnapshot.objects.get(pk=written.snapshot.pk)
    assert stored.data == json.loads(json.dumps(written.snapshot.data))
    assert stored.data["board"]["title"] == bw.counties_board.title  # Chinese text intact
    assert stored.figures["values"] == written.snapshot.figures["values"]
