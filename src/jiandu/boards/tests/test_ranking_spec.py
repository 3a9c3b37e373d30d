"""The board spec as JSON, its checks, and results round-tripping through JSON."""

import json

import pytest

from jiandu.boards.ranking import (
    BoardResult,
    BoardSpec,
    ColourSettings,
    CumulativeMode,
    Direction,
    Indicator,
    Observation,
    SpecError,
    months_label,
    parse_month,
    quarter_of,
    rank_board,
)

SPEC = {
    "title": "县区扶贫领域监督执纪问责工作情况",
    "months": ["2019-8", "2019年9月"],
    "indicators": [
        {"key": "accepted", "name": "受理问题线索", "unit": "件"},
        {"key": "late", "name": "超期未办结", "unit": "件", "direction": "lower"},
        {
            "key": "exposure",
            "name": "通报曝光",
            "components": [
                {"key": "batches", "name": "批次", "unit": "批次"},
                {"key": "persons", "name": "人次", "unit": "人次"},
            ],
        },
    ],
    "colours": {"red_points": 6},
    "cumulative_mode": "sum_points",
    "yellow_units": ["东川区"],
}


def test_spec_from_json_with_defaults_and_normalised_months():
    spec = BoardSpec.from_dict(SPEC)
    assert spec.months == ("2019-08", "2019-09")
    assert spec.colours == ColourSettings(red_points=6, blue_points=3, white_points=1, top_n=3)
    assert spec.cumulative_mode is CumulativeMode.SUM_POINTS
    assert spec.indicator("超期未办结").direction is Direction.LOWER
    assert spec.indicator("exposure").heading == "通报曝光（批次/人次）"
    assert spec.yellow_label("东川区") == "黄色标注单位"
    assert BoardSpec.from_dict(json.loads(json.dumps(spec.to_dict()))) == spec


def test_spec_problems_are_reported_together_with_their_place():
    bad = {
        "months": ["2019-09", "2019-11"],
        "indicators": [
            {"key": "a", "name": "问题受理", "direction": "up"},
            {"key": "a", "name": "问题受理"},
            {"key": "c.d", "name": "复合", "components": [{"key": "x", "name": "X"}]},
        ],
        "colours": {"red_points": 1, "top_n": "3"},
        "cumulativ_mode": "sum_values",
    }
    with pytest.raises(SpecError) as caught:
        BoardSpec.from_dict(bad)
    text = str(caught.value)
    assert "indicators[0].direction" in text
    assert "colours.top_n：应为整数" in text
    assert "cumulativ_mode" in text


def test_spec_semantic_checks():
    with pytest.raises(SpecError) as caught:
        BoardSpec.from_dict(
            {
                "months": ["2019-09", "2019-11"],
                "indicators": [
                    {"key": "a", "name": "问题受理"},
                    {"key": "a", "name": "处置办结"},
                    {"key": "c.d", "name": "复合", "components": [{"key": "x", "name": "X"}]},
                ],
                "colours": {"red_points": 1},
                "units": ["甲"],
                "yellow_units": {"乙": "脱贫摘帽县"},
            }
        )
    problems = caught.value.problems
    assert any("连续" in p for p in problems)
    assert any("indicators[1]" in p and "重复" in p for p in problems)
    assert any("indicators[2].key" in p for p in problems)
    assert any("至少需要两个分项" in p for p in problems)
    assert any("红 > 蓝 > 白" in p for p in problems)
    assert any("“乙”不在 units 中" in p for p in problems)


def test_spec_built_in_python():
    spec = BoardSpec(
        indicators=[Indicator(key="a", name="问题受理", direction="lower")],
        months=["2019-09"],
    )
    assert spec.indicators[0].direction is Direction.LOWER
    assert spec.with_months(["2019-07", "2019-08"]).months == ("2019-07", "2019-08")


@pytest.mark.parametrize(
    ("raw", "month"),
    [
        ("2019-9", "2019-09"),
        ("2019/09", "2019-09"),
        ("201909", "2019-09"),
        ("2019年9月", "2019-09"),
    ],
)
def test_parse_month(raw, month):
    assert parse_month(raw) == month


def test_month_labels_and_quarters():
    assert months_label(["2019-01", "2019-02", "2019-09"][:1]) == "2019年1月"
    assert months_label(["2019-01", "2019-09"]) == "2019年1—9月"
    assert quarter_of(["2019-04", "2019-05", "2019-06"]) == "2019年第二季度"
    assert quarter_of(["2019-05", "2019-06", "2019-07"]) is None
    with pytest.raises(ValueError, match="1到12"):
        parse_month("2019-13")


def test_result_round_trips_through_json():
    spec = BoardSpec.from_dict(SPEC)
    observations = []
    for i, unit in enumerate(["东川区", "晋宁区", "富民县"]):
        for month in spec.months:
            observations += [
                Observation(unit=unit, month=month, indicator="accepted", value=i * 2.5),
                Observation(unit=unit, month=month, indicator="late", value=3 - i),
                Observation(
                    unit=unit, month=month, indicator="exposure", component="batches", value=i
                ),
                Observation(
                    unit=unit, month=month, indicator="exposure", component="persons", value=1
                ),
            ]
    result = rank_board(spec=spec, observations=observations)
    data = json.loads(json.dumps(result.to_dict(), ensure_ascii=False))
    assert data["settings"]["cumulative_mode"] == "sum_points"
    assert data["settings"]["missing"] == "error"
    august = {u["unit"]: u for u in data["months"][0]["units"]}
    assert august["富民县"]["cells"]["accepted"]["value"] == 5
    assert august["富民县"]["cells"]["exposure"]["value"] == {"batches": 2, "persons": 1}
    assert august["富民县"]["cells"]["exposure"]["display"] == "2/1"
    assert august["晋宁区"]["cells"]["accepted"]["value"] == 2.5
    assert august["晋宁区"]["overall_rank"] == august["富民县"]["overall_rank"] == 1
    assert august["东川区"]["yellow"] == "黄色标注单位"
    assert data["cumulative"]["units"][0]["cells"]["accepted"]["colour"] is None
    assert BoardResult.from_dict(data) == result
