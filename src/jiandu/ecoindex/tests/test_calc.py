"""The index rules on constructed data: every method, both missing rules, rounding at the
band edges, ranks with ties, 复绿."""

from decimal import Decimal as D

import pytest

from jiandu.ecoindex.calc import (
    IndexRules,
    IndexSpec,
    MissingRule,
    SpecError,
    compute_month,
    compute_months,
    parse_rules,
    parse_spec,
    proving_months,
    regreened,
    round_half_up,
)


def leaf(key, method="minmax", weight=1, **extra):
    return {"key": key, "name": key, "weight": weight, "method": method, **extra}


def rules(children, **extra) -> IndexRules:
    problems: list[str] = []
    parsed = parse_rules({"tree": {"key": "root", "children": children}, **extra}, problems)
    assert not problems, problems
    return parsed


def scores(r, values, **kw):
    return {u.unit: u for u in compute_month(r, values, **kw).units}


# --------------------------------------------------------------------------- methods


def test_minmax_higher_and_lower():
    r = rules([leaf("up"), leaf("down", direction="lower")])
    out = scores(r, {"a": {"up": D(10), "down": D(10)}, "b": {"up": D(20), "down": D(20)},
                     "c": {"up": D(15), "down": D(15)}})  # fmt: skip
    assert out["a"].nodes["up"] == 0 and out["a"].nodes["down"] == 100
    assert out["b"].nodes["up"] == 100 and out["b"].nodes["down"] == 0
    assert out["c"].nodes["up"] == 50 and out["c"].nodes["down"] == 50


def test_minmax_all_equal_scores_100():
    r = rules([leaf("up")])
    out = scores(r, {"a": {"up": D(3)}, "b": {"up": D(3)}})
    assert out["a"].nodes["up"] == out["b"].nodes["up"] == 100
    assert out["a"].index == D("100.00") and out["a"].rank == out["b"].rank == 1


def test_minmax_bounds_only_over_units_with_a_value():
    r = rules([leaf("up")])
    out = scores(r, {"a": {"up": D(5)}, "b": {"up": D(10)}, "c": {}})
    assert out["a"].nodes["up"] == 0 and out["b"].nodes["up"] == 100
    assert out["c"].nodes["up"] is None and out["c"].index is None and out["c"].rank is None


def test_deduction_with_floor():
    r = rules([leaf("cases", "deduction", points=15, floor=40)])
    out = scores(r, {"a": {"cases": D(0)}, "b": {"cases": D(2)}, "c": {"cases": D(9)}})
    assert out["a"].nodes["cases"] == 100
    assert out["b"].nodes["cases"] == 70
    assert out["c"].nodes["cases"] == 40


def test_deduction_floor_defaults_to_zero():
    r = rules([leaf("cases", "deduction", points=30)])
    assert scores(r, {"a": {"cases": D(5)}})["a"].nodes["cases"] == 0


def test_thresholds_piecewise_linear_and_flat_outside():
    bp = [[100, 100], [0, 20], [60, 60]]  # unsorted on purpose: sorted by x
    r = rules([leaf("rate", "thresholds", breakpoints=bp)])
    out = scores(
        r,
        {"lo": {"rate": D(-5)}, "a": {"rate": D(30)}, "b": {"rate": D(60)},
         "c": {"rate": D(80)}, "hi": {"rate": D(150)}},
    )  # fmt: skip
    assert out["lo"].nodes["rate"] == 20
    assert out["a"].nodes["rate"] == 40
    assert out["b"].nodes["rate"] == 60
    assert out["c"].nodes["rate"] == 80
    assert out["hi"].nodes["rate"] == 100


# --------------------------------------------------------------------------- nodes, missing


def _two_dims(missing):
    return rules(
        [
            {"key": "d1", "name": "d1", "weight": 3,
             "children": [leaf("p", "deduction", weight=1, points=10),
                          leaf("q", "deduction", weight=3, points=10)]},
            {"key": "d2", "name": "d2", "weight": 1,
             "children": [leaf("r", "deduction", points=10)]},
        ],
        missing=missing,
    )  # fmt: skip


def test_weighted_nodes():
    out = scores(_two_dims("reweight"), {"a": {"p": D(0), "q": D(2), "r": D(4)}})["a"]
    assert out.nodes["d1"] == (100 + 3 * 80) / D(4)  # 85
    assert out.nodes["d2"] == 60
    assert out.nodes["root"] == (3 * 85 + 60) / D(4)  # 78.75
    assert out.index == D("78.75") and out.colour == "黄"


def test_missing_reweight_skips_the_leaf_and_a_node_without_scores_is_missing():
    out = scores(_two_dims("reweight"), {"a": {"q": D(2)}})["a"]
    assert out.nodes["p"] is None and out.nodes["r"] is None
    assert out.nodes["d1"] == 80  # only q counts
    assert out.nodes["d2"] is None
    assert out.nodes["root"] == 80  # d2 skipped, d1 reweighted to the whole
    assert out.index == D("80.00")


def test_missing_zero_scores_the_leaf_zero():
    out = scores(_two_dims("zero"), {"a": {"q": D(2)}})["a"]
    assert out.nodes["p"] == 0 and out.nodes["r"] == 0
    assert out.nodes["d1"] == 60  # (1·0 + 3·80)/4
    assert out.nodes["d2"] == 0
    assert out.nodes["root"] == 45  # (3·60 + 0)/4


def test_unit_without_any_value_reweight_vs_zero():
    values = {"a": {"p": D(0), "q": D(0), "r": D(0)}, "b": {}}
    rw = scores(_two_dims("reweight"), values)["b"]
    assert rw.index is None and rw.colour is None and rw.rank is None
    zero = scores(_two_dims("zero"), values)["b"]
    assert zero.index == D("0.00") and zero.colour == "红" and zero.rank == 2


# --------------------------------------------------------------------------- rounding, bands


@pytest.mark.parametrize(
    ("cases", "index", "colour"),
    [
        ("1.5", D("85.00"), "绿"),  # exactly 85.00
        ("1.5005", D("85.00"), "绿"),  # 84.995 rounds half-up to 85.00
        ("1.5006", D("84.99"), "黄"),  # 84.994
        ("3", D("70.00"), "黄"),
        ("3.0001", D("70.00"), "黄"),  # 69.999 → 70.00
        ("3.001", D("69.99"), "橙"),
        ("4", D("60.00"), "橙"),
        ("4.0006", D("59.99"), "红"),
    ],
)
def test_band_edges_use_the_rounded_index(cases, index, colour):
    r = rules([leaf("cases", "deduction", points=10)])
    out = scores(r, {"a": {"cases": D(cases)}})["a"]
    assert out.index == index
    assert out.colour == colour


def test_half_cent_reached_through_non_terminating_division_is_exact():
    # m: values 0, 2, 3 → unit "x" (value 2) scores 200/3, which no decimal holds exactly.
    # root = (3·200/3 + 4·(100 − c))/7 = 84.995 exactly when c = 1.25875.
    r = rules([leaf("m", weight=3), leaf("c", "deduction", weight=4, points=1)])
    base = {"lo": {"m": D(0)}, "hi": {"m": D(3)}}
    out = scores(r, base | {"x": {"m": D(2), "c": D("1.25875")}})
    assert out["x"].index == D("85.00") and out["x"].colour == "绿"
    out = scores(r, base | {"x": {"m": D(2), "c": D("1.25876")}})  # 84.99499…
    assert out["x"].index == D("84.99") and out["x"].colour == "黄"


def test_round_half_up():
    assert round_half_up(D("84.995")) == D("85.00")
    assert round_half_up(D("84.994")) == D("84.99")
    assert round_half_up(D("0.005")) == D("0.01")


def test_custom_bands():
    r = rules([leaf("c", "deduction", points=1)],
              bands=[{"colour": "优", "min": 90}, {"colour": "良", "min": 0}])  # fmt: skip
    out = scores(r, {"a": {"c": D(10)}, "b": {"c": D("10.01")}})
    assert out["a"].colour == "优" and out["b"].colour == "良"


# --------------------------------------------------------------------------- ranks


def test_rank_counts_strictly_higher_rounded_indexes():
    r = rules([leaf("c", "deduction", points=1)])
    values = {"a": {"c": D(10)}, "b": {"c": D("10.001")}, "c": {"c": D(20)}, "d": {"c": D(5)},
              "e": {}}  # fmt: skip
    out = scores(r, values)
    # a and b both round to 90.00: tied at 2; c is 4th, not 3rd
    assert out["d"].rank == 1
    assert out["a"].rank == out["b"].rank == 2
    assert out["c"].rank == 4
    assert out["e"].rank is None
    ordered = [u.unit for u in compute_month(r, values).units]
    assert ordered == ["d", "a", "b", "c", "e"]


# --------------------------------------------------------------------------- 复绿


def test_regreened_needs_k_green_months_after_a_coloured_one():
    history = {"2026-07": "橙", "2026-08": "绿", "2026-09": "绿", "2026-10": "绿"}
    assert regreened(history, "2026-09", k=2, green="绿")
    assert not regreened(history, "2026-08", k=2, green="绿")  # only one green month
    assert not regreened(history, "2026-10", k=2, green="绿")  # 2026-08 was green
    assert regreened(history, "2026-10", k=3, green="绿")
    assert not regreened({"2026-08": "绿", "2026-09": "绿"}, "2026-09", k=2, green="绿")
    assert not regreened({"2026-07": None, "2026-08": "绿", "2026-09": "绿"}, "2026-09",
                         k=2, green="绿")  # fmt: skip
    assert proving_months("2026-01", 2) == ["2025-12", "2026-01"]


def test_compute_months_marks_regreened():
    spec = parse_spec(
        {"months": ["2026-08", "2026-09", "2026-10"], "regreen_months": 2,
         "tree": {"key": "root", "children": [leaf("c", "deduction", points=10)]}}
    )  # fmt: skip
    assert isinstance(spec, IndexSpec) and spec.rules.missing is MissingRule.REWEIGHT
    values = {
        "2026-08": {"a": {"c": D(3)}, "b": {"c": D(0)}},
        "2026-09": {"a": {"c": D(1)}, "b": {"c": D(0)}},
        "2026-10": {"a": {"c": D(0)}, "b": {"c": D(0)}},
    }
    months = compute_months(spec, values, ["a", "b"])
    flags = {(m.month, u.unit): u.regreened for m in months for u in m.units}
    assert flags[("2026-10", "a")] is True
    assert not any(v for k, v in flags.items() if k != ("2026-10", "a"))


# --------------------------------------------------------------------------- spec errors


@pytest.mark.parametrize(
    ("tree", "extra", "fragment"),
    [
        ({"key": "root", "children": [{"key": "x", "name": "x", "weight": 0,
                                       "method": "minmax"}]}, {}, "“x”：weight（权重）应大于0"),
        ({"key": "root", "children": [{"key": "x", "name": "x", "weight": 1}]}, {},
         "“x”：叶子指标缺少 method"),
        ({"key": "root", "children": [leaf("x", "deduction")]}, {}, "缺少 points"),
        ({"key": "root", "children": [leaf("x", "thresholds", breakpoints=[[0, 120]])]}, {},
         "得分应在0到100之间"),
        ({"key": "root", "children": [leaf("x"), leaf("x")]}, {}, "key“x”重复"),
        ({"key": "root", "children": [leaf("x")]},
         {"bands": [{"colour": "绿", "min": 60}, {"colour": "黄", "min": 70}]}, "严格递减"),
        ({"key": "root", "children": [leaf("x", "median")]}, {}, "method \"median\" 无效"),
    ],
)  # fmt: skip
def test_spec_errors_name_the_key(tree, extra, fragment):
    with pytest.raises(SpecError) as caught:
        parse_spec({"months": ["2026-10"], "tree": tree, **extra})
    assert any(fragment in p for p in caught.value.problems), caught.value.problems
