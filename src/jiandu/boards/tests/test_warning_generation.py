"""Warnings issued at the close, from the snapshots: last overall two months running →
工作预警通知书; last in a quarter's cumulative ranking → 约谈 of the leader; the bottom K of
the cumulative ranking at the configured month → the collective 诫勉谈话 list. Units tied
at the bottom are told apart by the board's tie-breakers; more of them still tied than
the board's maximum (1 by default) are not warned, and the close says why."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from jiandu.boards.choices import WarningKind, WarningStatus
from jiandu.boards.models import BoardWarning
from jiandu.boards.services import board_close, board_update
from jiandu.people.services import person_create, post_add


def _close(bw, month, **kwargs):
    return board_close(actor=bw.users["city"], board=bw.counties_board, month=month, **kwargs)


def _month_with_last(bw, month, last):
    """Every county but ``last`` receives one 扶贫 clue in the month."""
    for org in (bw.world.county, bw.dongchuan, bw.luquan):
        if org not in last:
            bw.receive(org, month, 1)


def test_two_consecutive_months_last_issue_a_notice_with_both_snapshots(bw):
    _month_with_last(bw, 1, [bw.luquan])
    january = _close(bw, "2020-01")
    assert january.warnings == []
    _month_with_last(bw, 2, [bw.luquan])
    february = _close(bw, "2020-02")
    (warning,) = february.warnings
    assert (warning.kind, warning.org, warning.month) == (
        WarningKind.CONSECUTIVE_LAST,
        bw.luquan,
        "2020-02",
    )
    assert warning.description == "禄劝县纪委监委2020年1月、2月综合排名连续2个月位列末位"
    assert warning.status == WarningStatus.ISSUED
    assert set(warning.evidence.all()) == {january.snapshot, february.snapshot}
    assert warning.events.get().action == "issue"


def test_a_month_in_between_not_last_breaks_the_run(bw):
    _month_with_last(bw, 1, [bw.luquan])
    _close(bw, "2020-01")
    _month_with_last(bw, 2, [bw.dongchuan])
    _close(bw, "2020-02")
    _month_with_last(bw, 3, [bw.luquan])
    march = _close(bw, "2020-03")
    assert not [w for w in march.warnings if w.kind == WarningKind.CONSECUTIVE_LAST]


def test_a_run_is_traced_back_through_the_months_it_spans(bw):
    board_update(actor=bw.users["city"], board=bw.counties_board, max_tied_last=2)
    _month_with_last(bw, 1, [bw.luquan, bw.dongchuan])
    january = _close(bw, "2020-01")
    _month_with_last(bw, 2, [bw.dongchuan])
    february = _close(bw, "2020-02")
    _month_with_last(bw, 3, [bw.dongchuan])
    march = _close(bw, "2020-03")
    (warning,) = [w for w in march.warnings if w.kind == WarningKind.CONSECUTIVE_LAST]
    assert warning.org == bw.dongchuan
    assert warning.description == "东川区纪委监委2020年1月、2月、3月综合排名连续3个月位列末位"
    assert set(warning.evidence.all()) == {
        january.snapshot,
        february.snapshot,
        march.snapshot,
    }


def test_units_tied_last_beyond_the_maximum_are_not_warned_and_the_close_says_why(bw):
    for month in (1, 2):
        _month_with_last(bw, month, [bw.dongchuan, bw.luquan])
        outcome = _close(bw, f"2020-{month:02d}")
    assert outcome.warnings == []
    assert outcome.notes == ["2020年2月末位并列2个单位，未发预警"]
    assert outcome.as_dict()["notes"] == outcome.notes
    assert outcome.snapshot.figures["last"]["units"] == []


def test_units_tied_last_are_all_warned_up_to_the_maximum(bw):
    board_update(actor=bw.users["city"], board=bw.counties_board, max_tied_last=2)
    for month in (1, 2):
        _month_with_last(bw, month, [bw.dongchuan, bw.luquan])
        outcome = _close(bw, f"2020-{month:02d}")
    assert {w.org for w in outcome.warnings} == {bw.dongchuan, bw.luquan}
    assert outcome.notes == []
    evidence = outcome.warnings[0].finding["evidence"][1]
    assert (evidence["place"], evidence["shared"], evidence["participants"]) == (2, 2, 3)


def test_the_previous_months_rank_breaks_a_tie_and_the_notice_states_the_place(bw, client):
    board_update(actor=bw.users["city"], board=bw.counties_board, tie_breakers=["previous_rank"])
    _month_with_last(bw, 1, [bw.luquan])
    _close(bw, "2020-01")
    # February: 东川 and 禄劝 tie at the bottom; in January 禄劝 was last, 东川 first.
    _month_with_last(bw, 2, [bw.dongchuan, bw.luquan])
    february = _close(bw, "2020-02")
    (warning,) = february.warnings
    assert warning.org == bw.luquan
    assert february.notes == []
    evidence = warning.finding["evidence"][1]
    assert (evidence["overall_rank"], evidence["place"], evidence["participants"]) == (2, 3, 3)
    assert evidence["tie_break"] == "2个单位综合得分同为最低，依次比较上期综合排名后排在最后"
    client.force_login(bw.users["city"])
    page = client.get(reverse("boards:warning_detail", args=[warning.pk])).content.decode()
    # February: shared 2nd on the board, 3rd of 3 after the tie-breaker
    assert "<td>第3位（共3个单位）<div" in page
    assert "依次比较上期综合排名后排在最后" in page


def test_tie_breakers_must_be_indicators_of_the_board(bw):
    with pytest.raises(ValidationError) as error:
        board_update(actor=bw.users["city"], board=bw.counties_board, tie_breakers=["nope"])
    assert error.value.message_dict["tie_breakers"] == ["末位并列时比较的指标不在本榜上：nope"]


def test_last_of_the_quarter_brings_an_interview_of_the_named_leader(bw):
    leader = person_create(actor=bw.users["city"], name="张三", registered_org=bw.luquan)
    post_add(
        actor=bw.users["city"],
        person=leader,
        org=bw.luquan,
        title="县纪委书记、县监委主任",
        management_level="city_managed",
        start_date=dt.date(2018, 1, 1),
        is_leader=True,
    )
    _month_with_last(bw, 1, [bw.luquan])
    _month_with_last(bw, 2, [bw.dongchuan])
    bw.receive(bw.world.county, 3, 2)
    bw.receive(bw.dongchuan, 3, 1)
    _close(bw, "2020-01")
    _close(bw, "2020-02")
    march = _close(bw, "2020-03")
    (quarter,) = [w for w in march.warnings if w.kind == WarningKind.QUARTER_LAST]
    assert quarter.org == bw.luquan
    assert quarter.scope == "2020年第一季度"
    assert (quarter.leader_name, quarter.leader_title) == ("张三", "县纪委书记、县监委主任")
    assert list(quarter.evidence.all()) == [march.snapshot]
    assert quarter.finding["evidence"][0]["months"] == ["2020-01", "2020-02", "2020-03"]


def test_bottom_k_stops_above_units_still_tied_across_the_cut_and_says_why(bw):
    board_update(actor=bw.users["city"], board=bw.counties_board, bottom_k=1, bottom_month=2)
    bw.receive(bw.world.county, 1, 2)
    bw.receive(bw.dongchuan, 2, 1)
    bw.receive(bw.luquan, 2, 1)
    _close(bw, "2020-01")
    february = _close(bw, "2020-02")
    # 1—2月: 五华 2 clues, 东川 and 禄劝 1 each — tied at the cut of "bottom 1" with no
    # tie-breaker to tell them apart: neither is listed, and the close says why.
    assert not [w for w in february.warnings if w.kind == WarningKind.CUMULATIVE_BOTTOM]
    assert "2020年1—2月后1名：倒数第1名处有2个单位综合得分同为" in "".join(february.notes)
    assert "均不列入，名单为空" in "".join(february.notes)
    assert february.snapshot.data["bottom"]["tied"] == 2


def test_bottom_k_cut_by_the_boards_tie_breakers(bw):
    board_update(
        actor=bw.users["city"],
        board=bw.counties_board,
        bottom_k=1,
        bottom_month=2,
        tie_breakers=["previous_rank"],
    )
    bw.receive(bw.world.county, 1, 2)
    bw.receive(bw.dongchuan, 1, 1)
    bw.receive(bw.luquan, 2, 1)
    _close(bw, "2020-01")
    february = _close(bw, "2020-02")
    # 1—2月: 东川 and 禄劝 1 clue each; 1—1月 禄劝 was behind 东川: 禄劝 is the bottom 1.
    (bottom,) = [w for w in february.warnings if w.kind == WarningKind.CUMULATIVE_BOTTOM]
    assert bottom.org == bw.luquan
    assert bottom.scope == "2020年1—2月"
    (evidence,) = bottom.finding["evidence"]
    assert (evidence["place"], evidence["shared"]) == (3, 1)
    assert evidence["tie_break"] == "2个单位综合得分同为" + str(evidence["composite"]) + (
        "分，依次比较上期综合排名后列入后1名"
    )
    assert "综合排名第3位（共3个单位），位列后1名" in bottom.description
    assert not [n for n in february.notes if "后1名" in n]


def test_bottom_k_needs_more_units_than_k(bw):
    board_update(actor=bw.users["city"], board=bw.counties_board, bottom_k=3, bottom_month=1)
    bw.receive(bw.world.county, 1, 2)
    january = _close(bw, "2020-01")
    assert not [w for w in january.warnings if w.kind == WarningKind.CUMULATIVE_BOTTOM]


def test_recomputing_a_month_does_not_warn_twice(bw):
    for month in (1, 2):
        _month_with_last(bw, month, [bw.luquan])
        _close(bw, f"2020-{month:02d}")
    again = _close(bw, "2020-02", reason="复核")
    assert again.warnings == []
    assert [w.org for w in again.repeated] == [bw.luquan]
    assert BoardWarning.objects.filter(kind=WarningKind.CONSECUTIVE_LAST).count() == 1
    assert BoardWarning.objects.get().evidence.count() == 3
