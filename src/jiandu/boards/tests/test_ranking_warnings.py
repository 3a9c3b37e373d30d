"""Warnings drawn from the boards: consecutive months last, quarter last, bottom K; who
is last when units tie at the bottom (tie-breakers, the maximum tied at last)."""

import json

import pytest

from jiandu.boards.ranking import (
    BoardSpec,
    BottomList,
    Evidence,
    Observation,
    PeriodResult,
    SpecError,
    WarningFinding,
    WarningKind,
    bottom_list,
    consecutive_last,
    cumulative_bottom,
    last_place,
    last_units,
    quarter_last,
    rank_board,
)

MONTHS = [f"2019-{m:02d}" for m in range(1, 10)]


def draw(values, months=MONTHS, last_place=None):
    """values: unit -> list of one figure per month (a single indicator)."""
    data = {"months": months, "indicators": [{"key": "accepted", "name": "问题受理", "unit": "件"}]}
    if last_place is not None:
        data["last_place"] = last_place
    spec = BoardSpec.from_dict(data)
    observations = [
        Observation(unit=u, month=m, indicator="accepted", value=v)
        for u, row in values.items()
        for m, v in zip(months, row, strict=True)
    ]
    return rank_board(spec=spec, observations=observations)


# Last (lowest figure) per month:  1:D  2:D  3:C  4:C,D  5:C,D  6:B  7:A  8:A  9:A
VALUES = {
    "A": [5, 5, 5, 5, 5, 5, 0, 0, 0],
    "B": [4, 4, 4, 4, 4, 0, 4, 4, 4],
    "C": [3, 3, 0, 1, 1, 3, 3, 3, 3],
    "D": [0, 0, 3, 1, 1, 3, 3, 3, 3],
}


def runs(findings):
    return [(f.unit, [e.period for e in f.evidence]) for f in findings]


def test_by_default_two_units_tied_at_the_bottom_are_not_last_and_all_equal_is_nobody():
    result = draw(VALUES)
    assert last_units(result.period("2019-03")) == ("C",)
    april = last_place(result.period("2019-04"))
    assert april.units == () and april.withheld
    assert (april.tied, april.remaining) == (2, 2)
    assert april.note("2019年4月") == "2019年4月末位并列2个单位，未发预警"
    equal = draw({"A": [1], "B": [1]}, months=["2019-01"])
    nobody = last_place(equal.months[0])
    assert nobody.units == () and nobody.all_equal and not nobody.withheld
    assert nobody.note() == "各单位综合得分相同，无末位，未发预警"


def test_the_maximum_tied_at_last_lets_ties_be_last():
    result = draw(VALUES, last_place={"max_tied": 2})
    assert last_units(result.period("2019-04"), spec=result.spec) == ("C", "D")
    assert last_place(result.period("2019-03"), spec=result.spec).note() == ""


def test_two_consecutive_months_last():
    findings = consecutive_last(periods=draw(VALUES).months)
    # April and May: C and D tie at the bottom, more than one: nobody is last.
    assert runs(findings) == [
        ("D", ["2019-01", "2019-02"]),
        ("A", ["2019-07", "2019-08", "2019-09"]),
    ]
    a = findings[-1]
    assert a.kind is WarningKind.CONSECUTIVE_LAST
    assert a.threshold == 2
    assert a.evidence[0].overall_rank == 4 and a.evidence[0].participants == 4
    assert (
        a.describe(unit_name="甲纪检组") == "甲纪检组2019年7月、8月、9月综合排名连续3个月位列末位"
    )


def test_ties_at_last_are_all_last_only_up_to_the_maximum():
    assert consecutive_last(periods=draw(VALUES).months[3:5]) == []
    result = draw(VALUES, last_place={"max_tied": 2})
    findings = consecutive_last(periods=result.months[3:5], spec=result.spec)
    assert runs(findings) == [("C", ["2019-04", "2019-05"]), ("D", ["2019-04", "2019-05"])]
    # Both share the last place: 3rd of 4, stated as such.
    assert findings[0].evidence[0].describe() == (
        "2019年4月综合得分1分，综合排名并列第3位（共4个单位），2个单位综合得分同为最低，并列末位"
    )


def test_the_previous_rank_breaks_a_tie_at_the_bottom():
    result = draw(VALUES, last_place={"tie_breakers": ["previous_rank"]})
    findings = consecutive_last(periods=result.months, spec=result.spec)
    # April: C and D tie; in March C was 4th, D 3rd: C is last. May: C and D tie again
    # and shared the 3rd place in April: still tied, nobody.
    assert runs(findings) == [
        ("D", ["2019-01", "2019-02"]),
        ("C", ["2019-03", "2019-04"]),
        ("A", ["2019-07", "2019-08", "2019-09"]),
    ]
    april = findings[1].evidence[1]
    assert (april.overall_rank, april.place, april.shared) == (3, 4, 1)
    assert april.describe() == (
        "2019年4月综合得分1分，综合排名第4位（共4个单位），"
        "2个单位综合得分同为最低，依次比较上期综合排名后排在最后"
    )
    # Without the month before, the tie-breaker is passed over.
    assert consecutive_last(periods=result.months[3:5], spec=result.spec) == []


def two_indicators(last_place, lower=False):
    spec = BoardSpec.from_dict(
        {
            "months": ["2019-01"],
            "indicators": [
                {"key": "accepted", "name": "问题受理"},
                {"key": "closed", "name": "处置办结", "direction": "lower" if lower else "higher"},
            ],
            "last_place": last_place,
        }
    )
    values = {"A": (5, 1), "B": (1, 5), "C": (3, 3)}
    observations = [
        Observation(unit=u, month="2019-01", indicator=k, value=v)
        for u, pair in values.items()
        for k, v in zip(("accepted", "closed"), pair, strict=True)
    ]
    return spec, rank_board(spec=spec, observations=observations).months[0]


def test_an_indicator_breaks_a_tie_at_the_bottom_by_its_direction():
    # A is white on 处置办结, B on 问题受理: both 6 points, C 10.
    spec, month = two_indicators({"tie_breakers": ["处置办结"]})
    assert [(r.unit, r.composite) for r in month.rows] == [("C", 10), ("A", 6), ("B", 6)]
    assert spec.last_place.tie_breakers == ("closed",)
    found = last_place(month, spec=spec)
    assert (found.units, found.decided_by, found.place) == (("A",), ("closed",), 3)
    assert found.tie_break == "2个单位综合得分同为最低，依次比较“处置办结”后排在最后"
    spec, month = two_indicators({"tie_breakers": ["accepted", "closed"]})
    assert last_place(month, spec=spec).units == ("B",)
    spec, month = two_indicators({"tie_breakers": ["closed"]}, lower=True)
    # Lower is better: B's 5 is the worst.
    assert last_place(month, spec=spec).units == ("B",)


def test_last_place_settings_are_checked_and_kept_in_the_spec():
    with pytest.raises(SpecError) as error:
        two_indicators({"tie_breakers": ["nope", "closed", "处置办结"], "max_tied": 0})
    assert error.value.problems == (
        "last_place.max_tied：末位并列单位数上限应为不小于1的整数",
        "last_place.tie_breakers[0]：“nope”不是本榜的指标（可用：accepted、closed、previous_rank）",
        "last_place.tie_breakers[2]：“处置办结”重复",
    )
    spec, _ = two_indicators({"tie_breakers": ["closed", "上期综合排名"], "max_tied": 2})
    assert spec.to_dict()["last_place"] == {
        "tie_breakers": ["closed", "previous_rank"],
        "max_tied": 2,
    }
    assert BoardSpec.from_dict(spec.to_dict()) == spec
    assert spec.with_months(["2019-02"]).last_place == spec.last_place
    assert spec.last_place.describe(spec) == (
        "综合得分最低的单位为末位；得分相同的，依次比较“处置办结”、上期综合排名，较差者为末位；"
        "仍并列末位的单位多于2个时，不确定末位、不发预警"
    )


def test_latest_only_keeps_runs_reaching_the_latest_month():
    findings = consecutive_last(periods=draw(VALUES).months, latest_only=True)
    assert runs(findings) == [("A", ["2019-07", "2019-08", "2019-09"])]
    assert consecutive_last(periods=draw(VALUES).months[:6], latest_only=True) == []


def test_run_length_is_configurable():
    findings = consecutive_last(periods=draw(VALUES).months, months=3)
    assert [f.unit for f in findings] == ["A"]
    tied = draw(VALUES, last_place={"max_tied": 2})
    findings = consecutive_last(periods=tied.months, months=3, spec=tied.spec)
    assert [f.unit for f in findings] == ["C", "A"]


def test_a_gap_in_the_calendar_breaks_the_run_and_order_does_not_matter():
    months = draw(VALUES).months
    assert consecutive_last(periods=[months[6], months[8]]) == []
    shuffled = [months[8], months[6], months[7]]
    assert runs(consecutive_last(periods=shuffled)) == [("A", ["2019-07", "2019-08", "2019-09"])]


def test_consecutive_last_works_on_re_read_snapshots():
    snapshots = [json.loads(json.dumps(p.to_dict())) for p in draw(VALUES).months]
    periods = [PeriodResult.from_dict(s) for s in snapshots]
    assert runs(consecutive_last(periods=periods, latest_only=True)) == [
        ("A", ["2019-07", "2019-08", "2019-09"])
    ]


def test_consecutive_last_refuses_cumulative_periods():
    result = draw(VALUES)
    with pytest.raises(ValueError, match="累计"):
        consecutive_last(periods=[*result.months, result.cumulative])


def test_quarter_last():
    quarter = ["2019-07", "2019-08", "2019-09"]
    values = {u: row[6:] for u, row in VALUES.items()}
    result = draw(values, months=quarter)
    findings = quarter_last(period=result.cumulative)
    assert [f.unit for f in findings] == ["A"]
    assert findings[0].scope == "2019年第三季度"
    assert findings[0].evidence[0].period == "cumulative"
    assert findings[0].evidence[0].months == tuple(quarter)
    assert "2019年第三季度综合排名位列末位" in findings[0].describe()


def test_quarter_last_with_ties_and_a_wrong_span():
    values = {"A": [1, 1, 1], "B": [1, 1, 1], "C": [2, 2, 2]}
    result = draw(values, months=["2019-01", "2019-02", "2019-03"])
    assert quarter_last(period=result.cumulative) == []
    tied = draw(values, months=["2019-01", "2019-02", "2019-03"], last_place={"max_tied": 2})
    findings = quarter_last(period=tied.cumulative, spec=tied.spec)
    assert [f.unit for f in findings] == ["A", "B"]
    by_previous = draw(
        values,
        months=["2019-01", "2019-02", "2019-03"],
        last_place={"tie_breakers": ["previous_rank"]},
    )
    (finding,) = quarter_last(
        period=by_previous.cumulative, spec=by_previous.spec, previous={"A": 2, "B": 3, "C": 1}
    )
    assert finding.unit == "B"
    assert finding.describe() == "B2019年第一季度综合排名位列末位（综合得分1分，第3位，共3个单位）"
    not_a_quarter = draw(values, months=["2019-02", "2019-03", "2019-04"])
    with pytest.raises(ValueError, match="不是一个完整季度"):
        quarter_last(period=not_a_quarter.cumulative)
    with pytest.raises(ValueError):
        quarter_last(period=result.months[0])


def test_bottom_k_of_a_cumulative_result_stops_above_a_tie_across_the_cut():
    values = {"A": [9], "B": [7], "C": [5], "D": [5], "E": [3], "F": [1]}
    spec = BoardSpec.from_dict(
        {
            "months": ["2019-07"],
            "indicators": [
                {"key": "a", "name": "问题受理"},
                {"key": "b", "name": "处置办结"},
            ],
        }
    )
    obs = [
        Observation(unit=u, month="2019-07", indicator=k, value=v[0])
        for u, v in values.items()
        for k in ("a", "b")
    ]
    cumulative = rank_board(spec=spec, observations=obs).cumulative
    # On both indicators A, B, C, D are red (C and D tie at rank 3), E blue, F white.
    assert [(r.unit, r.composite) for r in cumulative.rows][-2:] == [("E", 6), ("F", 2)]
    assert [f.unit for f in cumulative_bottom(period=cumulative, k=1)] == ["F"]
    assert [f.unit for f in cumulative_bottom(period=cumulative, k=2)] == ["F", "E"]
    # The 3rd lowest composite is 10, shared by A, B, C and D, and nothing tells them
    # apart: none of them is listed, and the list says why.
    assert [f.unit for f in cumulative_bottom(period=cumulative, k=3, spec=spec)] == ["F", "E"]
    bottom = bottom_list(cumulative, k=3, spec=spec)
    assert (bottom.tied, bottom.tied_place, bottom.composite) == (4, 1, 10)
    assert bottom.note(cumulative.label, spec) == (
        "2019年7月后3名：倒数第3名处有4个单位综合得分同为10分、并列第1位，"
        "无法确定谁在名单内，均不列入，名单列2个单位"
    )
    assert bottom_list(cumulative, k=2).note() == ""
    finding = cumulative_bottom(period=cumulative, k=2)[1]
    assert finding.kind is WarningKind.CUMULATIVE_BOTTOM
    assert finding.threshold == 2
    assert finding.describe() == "E2019年7月综合排名第5位（共6个单位），位列后2名"


def _tied_at_the_cut(tie_breakers):
    """A, then B, C, D tied on 6 points, E on 4, F on 2: B, C and D differ on “a”
    (5, 4, 3) though their colours, and so their composites, are the same."""
    spec = BoardSpec.from_dict(
        {
            "months": ["2019-07"],
            "indicators": [{"key": "a", "name": "问题受理"}, {"key": "b", "name": "处置办结"}],
            "colours": {"top_n": 1},
            "last_place": {"tie_breakers": tie_breakers},
        }
    )
    a = {"A": 10, "B": 5, "C": 4, "D": 3, "E": 2, "F": 1}
    b = {"A": 10, "B": 9, "C": 8, "D": 7, "E": 6, "F": 6}
    obs = [
        Observation(unit=u, month="2019-07", indicator=k, value=v[u])
        for u in a
        for k, v in (("a", a), ("b", b))
    ]
    cumulative = rank_board(spec=spec, observations=obs).cumulative
    assert [(r.unit, r.composite) for r in cumulative.rows] == [
        ("A", 10),
        ("B", 6),
        ("C", 6),
        ("D", 6),
        ("E", 4),
        ("F", 2),
    ]
    return spec, cumulative


def test_bottom_k_cuts_a_tie_by_the_specs_tie_breakers_in_order():
    spec, cumulative = _tied_at_the_cut(["a"])
    three = cumulative_bottom(period=cumulative, k=3, spec=spec)
    assert [f.unit for f in three] == ["F", "E", "D"]
    evidence = three[2].evidence[0]
    assert (evidence.place, evidence.shared) == (4, 1)
    assert evidence.tie_break == "3个单位综合得分同为6分，依次比较“问题受理”后列入后3名"
    assert three[2].describe() == "D2019年7月综合排名第4位（共6个单位），位列后3名"
    # F and E are not in the tie: their places are their overall ranks.
    assert (three[0].evidence[0].place, three[0].evidence[0].tie_break) == (6, "")
    four = bottom_list(cumulative, k=4, spec=spec)
    assert four.units == ("F", "E", "D", "C")
    assert four.places == {"D": (4, 1), "C": (3, 1)}
    assert not four.stopped

    # The previous period's rank: C and D were both 3rd, B 2nd — B is spared, C and D
    # are still tied across the cut of the bottom 3 after it: the list stops at two.
    spec, cumulative = _tied_at_the_cut(["previous_rank"])
    previous = {"A": 1, "B": 2, "C": 3, "D": 3, "E": 5, "F": 6}
    bottom = bottom_list(cumulative, k=3, spec=spec, previous=previous)
    assert bottom.units == ("F", "E")
    assert (bottom.tied, bottom.tied_place, bottom.tried) == (2, 3, ("previous_rank",))
    assert bottom.note("2019年7月", spec) == (
        "2019年7月后3名：倒数第3名处有2个单位综合得分同为6分，依次比较上期综合排名后仍"
        "并列第3位，无法确定谁在名单内，均不列入，名单列2个单位"
    )
    # Without the previous period the tie-breaker is passed over: B, C, D stay tied.
    assert bottom_list(cumulative, k=3, spec=spec).tied == 3
    # Then the board's next tie-breaker decides: “a” puts D behind C.
    spec, cumulative = _tied_at_the_cut(["previous_rank", "a"])
    bottom = bottom_list(cumulative, k=3, spec=spec, previous=previous)
    assert bottom.units == ("F", "E", "D")
    assert bottom.places == {"D": (4, 1)}
    assert BottomList.from_dict(bottom.to_dict()) == bottom


def test_bottom_k_singles_out_nobody_when_all_equal_and_refuses_monthly_periods():
    result = draw({"A": [1, 1], "B": [1, 1]}, months=["2019-01", "2019-02"])
    assert cumulative_bottom(period=result.cumulative, k=1) == []
    with pytest.raises(ValueError, match="不是累计排名"):
        cumulative_bottom(period=result.months[0], k=1)


def test_findings_round_trip_through_json():
    findings = consecutive_last(periods=draw(VALUES).months)
    data = json.loads(json.dumps([f.to_dict() for f in findings], ensure_ascii=False))
    assert [WarningFinding.from_dict(d) for d in data] == findings
    assert data[0]["description"].startswith("D2019年1月、2月")


def test_evidence_stored_before_the_place_existed_states_the_overall_rank():
    old = {
        "period": "2019-01",
        "label": "2019年1月",
        "months": ["2019-01"],
        "composite": 3,
        "overall_rank": 4,
        "participants": 4,
    }
    assert Evidence.from_dict(old).describe() == "2019年1月综合得分3分，综合排名第4位（共4个单位）"
