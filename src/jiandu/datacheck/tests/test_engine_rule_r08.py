"""R08 超标准发放: a payment above the standard of the enrolment covering the month."""

from .engine_support import A, B, enrol, pay, run_rule, subjects


def test_above_standard_hit_raised_standard_is_not(engine, tmp_path):
    beneficiaries = [
        enrol(A, "2023-01-01", standard="780.00"),
        enrol(B, "2023-01-01", "2023-05-31", standard="780.00"),
        enrol(B, "2023-06-01", standard="820.00"),
    ]
    payments = [
        pay("P1", A, "2023-04", program="低保", amount="780.00"),
        pay("P2", A, "2023-05", program="低保", amount="880.00"),
        pay("Q1", B, "2023-05", program="低保", amount="780.00"),
        pay("Q2", B, "2023-06", program="低保", amount="820.00"),
    ]
    hits = run_rule(engine, tmp_path, "R08", beneficiaries=beneficiaries, payments=payments)
    assert subjects(hits) == {A}
    assert hits[0]["evidence"]["excess"] == 100.0
    assert hits[0]["evidence"]["standard_amount"] == 780.0


def test_tolerance(engine, tmp_path):
    rows = {
        "beneficiaries": [enrol(A, "2023-01-01", standard="780.00")],
        "payments": [pay("P1", A, "2023-04", program="低保", amount="780.50")],
    }
    assert len(run_rule(engine, tmp_path / "a", "R08", **rows)) == 1
    assert run_rule(engine, tmp_path / "b", "R08", params={"tolerance": "1.00"}, **rows) == []
