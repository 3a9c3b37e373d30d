"""Missing figures (an error, or counted as 0 and recorded) and bad observations."""

import pytest

from jiandu.boards.ranking import (
    BoardSpec,
    MissingPolicy,
    MissingValue,
    MissingValuesError,
    Observation,
    ValueInputError,
    rank_board,
)

SPEC = BoardSpec.from_dict(
    {
        "months": ["2019-08", "2019-09"],
        "indicators": [
            {"key": "accepted", "name": "问题受理", "unit": "件"},
            {
                "key": "exposure",
                "name": "通报曝光",
                "components": [
                    {"key": "batches", "name": "批次"},
                    {"key": "persons", "name": "人次"},
                ],
            },
        ],
        "units": ["甲纪检组", "乙纪检组", "丙纪检组"],
    }
)


def full(unit, month, accepted=1, batches=1, persons=1):
    return [
        Observation(unit=unit, month=month, indicator="accepted", value=accepted),
        Observation(
            unit=unit, month=month, indicator="exposure", component="batches", value=batches
        ),
        Observation(
            unit=unit, month=month, indicator="exposure", component="persons", value=persons
        ),
    ]


def observations_with_gaps():
    obs = []
    for month in SPEC.months:
        obs += full("甲纪检组", month, accepted=5)
        obs += full("乙纪检组", month, accepted=3)
    # 丙 reported only August's 问题受理; 乙 lacks September's 人次.
    obs.append(Observation(unit="丙纪检组", month="2019-08", indicator="accepted", value=2))
    return [
        o
        for o in obs
        if not (o.unit == "乙纪检组" and o.month == "2019-09" and o.component == "persons")
    ]


def test_missing_values_are_an_error_listing_units_and_indicators():
    with pytest.raises(MissingValuesError) as caught:
        rank_board(spec=SPEC, observations=observations_with_gaps())
    error = caught.value
    assert error.units == ("乙纪检组", "丙纪检组")
    assert MissingValue("乙纪检组", "2019-09", "exposure", "persons") in error.missing
    assert MissingValue("丙纪检组", "2019-09", "accepted") in error.missing
    assert len(error.missing) == 1 + 2 + 3  # 乙: 1; 丙: Aug 批次/人次, Sep all three
    message = str(error)
    assert "乙纪检组（2019年9月：通报曝光·人次）" in message
    assert "丙纪检组" in message and "问题受理" in message


def test_error_is_the_default_policy():
    with pytest.raises(MissingValuesError):
        rank_board(spec=SPEC, observations=observations_with_gaps(), missing="error")


def test_missing_counted_as_zero_is_recorded():
    result = rank_board(
        spec=SPEC, observations=observations_with_gaps(), missing=MissingPolicy.ZERO
    )
    assert result.missing_policy is MissingPolicy.ZERO
    september = result.period("2019-09")
    assert MissingValue("乙纪检组", "2019-09", "exposure", "persons") in september.missing_as_zero
    cell = september.row("乙纪检组").cell("exposure")
    assert cell.missing_as_zero and cell.value == (1, 0)
    assert september.row("甲纪检组").cell("exposure").missing_as_zero is False
    assert september.row("丙纪检组").cell("accepted").value == (0,)
    august = result.period("2019-08")
    assert not august.row("丙纪检组").cell("accepted").missing_as_zero
    assert august.row("丙纪检组").cell("exposure").missing_as_zero
    assert len(result.missing_as_zero) == 6
    assert result.cumulative.row("丙纪检组").cell("accepted").missing_as_zero
    assert result.to_dict()["settings"]["missing"] == "zero"
    assert result.to_dict()["months"][1]["missing_as_zero"][0]["unit"] in {"乙纪检组", "丙纪检组"}


def test_a_listed_unit_with_no_figures_at_all_is_missing():
    obs = [o for m in SPEC.months for u in ("甲纪检组", "乙纪检组") for o in full(u, m)]
    with pytest.raises(MissingValuesError) as caught:
        rank_board(spec=SPEC, observations=obs)
    assert caught.value.units == ("丙纪检组",)


def test_bad_observations_are_all_reported_with_their_position_and_field():
    obs = [
        *full("甲纪检组", "2019-08"),
        Observation(unit="丁纪检组", month="2019-08", indicator="accepted", value=1),
        Observation(unit="甲纪检组", month="2019-10", indicator="accepted", value=1),
        Observation(unit="甲纪检组", month="2019-08", indicator="unknown", value=1),
        Observation(unit="甲纪检组", month="2019-08", indicator="exposure", value=1),
        Observation(unit="甲纪检组", month="2019-08", indicator="accepted", component="x", value=1),
        Observation(unit="甲纪检组", month="2019-09", indicator="accepted", value="十"),
        Observation(unit="甲纪检组", month="2019-08", indicator="问题受理", value=2),
    ]
    with pytest.raises(ValueInputError) as caught:
        rank_board(spec=SPEC, observations=obs)
    problems = {(p.index, p.field): p for p in caught.value.problems}
    assert set(problems) == {
        (3, "unit"),
        (4, "month"),
        (5, "indicator"),
        (6, "component"),
        (7, "component"),
        (8, "value"),
        (9, "unit"),
    }
    assert "不在规则的月份" in problems[(4, "month")].message
    assert "复合指标" in problems[(6, "component")].message
    assert "不是复合指标" in problems[(7, "component")].message
    assert problems[(9, "unit")].other_index == 0  # duplicate of the first row
    assert "第10条数据" in str(caught.value)
