"""R01 死亡后仍发放: a payment for a month after the month of death."""

import pytest

from .engine_support import A, B, pay, run_rule, subjects


def test_payment_after_death_month_is_hit_death_month_is_not(engine, tmp_path):
    hits = run_rule(
        engine,
        tmp_path,
        "R01",
        deaths=[
            # Died on the last day of March: March is legitimate, April is not.
            {"id_no": A, "name": "张三", "death_date": "2023-03-31", "source": "公安注销"},
            {"id_no": A, "name": "张三", "death_date": "2023-04-02", "source": "民政殡葬"},
            {"id_no": B, "name": "李四", "death_date": "2023-06-01", "source": None},
        ],
        payments=[
            pay("P1", A, "2023-03"),
            pay("P2", A, "2023-04"),
            pay("P3", B, "2023-06"),
            pay("P4", B, "2023-05"),
        ],
    )
    assert [(h["subject"], h["period"]) for h in hits] == [(A, "2023-04")]
    evidence = hits[0]["evidence"]
    assert evidence["payment_id"] == "P2"
    assert evidence["death_date"] == "2023-03-31"  # the earliest record counts
    assert evidence["death_sources"] == ["公安注销", "民政殡葬"]
    assert str(hits[0]["amount"]) == "160.00"


def test_numbers_match_as_written_valid_or_not(engine, tmp_path):
    """People are matched on the integer keys of their numbers: an old 15-digit number
    or one with a wrong check digit matches the same text and nothing else."""
    old_style, broken = "330803800101001", A[:-1] + ("0" if A[-1] != "0" else "1")
    hits = run_rule(
        engine,
        tmp_path,
        "R01",
        deaths=[
            {"id_no": old_style, "name": "王五", "death_date": "2023-01-15", "source": None},
            {"id_no": broken, "name": "张三", "death_date": "2023-01-15", "source": None},
        ],
        payments=[
            pay("P1", old_style, "2023-02"),
            pay("P2", old_style + "0", "2023-02"),
            pay("P3", broken, "2023-02"),
            pay("P4", A, "2023-02"),
        ],
    )
    assert sorted(h["evidence"]["payment_id"] for h in hits) == ["P1", "P3"]
    # no death record names its source: the evidence says so with an empty list
    assert all(h["evidence"]["death_sources"] == [] for h in hits)


def test_grace_months(engine, tmp_path):
    rows = {
        "deaths": [{"id_no": A, "name": "张三", "death_date": "2023-03-10", "source": "公安注销"}],
        "payments": [pay("P1", A, "2023-04"), pay("P2", A, "2023-05")],
    }
    assert len(run_rule(engine, tmp_path / "a", "R01", **rows)) == 2
    hits = run_rule(engine, tmp_path / "b", "R01", params={"grace_months": 1}, **rows)
    assert subjects(hits) == {A} and [h["period"] for h in hits] == ["2023-05"]


def test_months_compare_across_a_years_end(engine, tmp_path):
    rows = {
        "deaths": [
            {"id_no": A, "name": "张三", "death_date": "2023-12-31", "source": "公安注销"},
            {"id_no": B, "name": "李四", "death_date": "2023-09-05", "source": "公安注销"},
        ],
        "payments": [
            pay("P1", A, "2023-12"),
            pay("P2", A, "2024-01"),
            pay("P3", A, "2024-02"),
            pay("P4", B, "2023-10"),
            pay("P5", B, "2024-09"),
        ],
    }
    hits = run_rule(engine, tmp_path / "a", "R01", **rows)
    assert [(h["subject"], h["period"]) for h in hits] == [
        (A, "2024-01"),
        (A, "2024-02"),
        (B, "2023-10"),
        (B, "2024-09"),
    ]
    # Two months' grace from December: January and February still allowed.
    hits = run_rule(engine, tmp_path / "b", "R01", params={"grace_months": 2}, **rows)
    assert [(h["subject"], h["period"]) for h in hits] == [(B, "2024-09")]


@pytest.mark.parametrize("code", ["R01"])
def test_living_person_is_never_hit(engine, tmp_path, code):
    assert run_rule(engine, tmp_path, code, payments=[pay("P1", A, "2023-04")]) == []
