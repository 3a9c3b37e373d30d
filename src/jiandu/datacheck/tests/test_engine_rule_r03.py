"""R03 重复发放: the same person paid twice for the same programme and month."""

import pyarrow as pa

from jiandu.datacheck.engine.datasets import id_keys
from jiandu.datacheck.engine.rules import repeated_months

from .engine_support import A, B, C, D, E, load_tables, pay, run_rule, subjects


def test_two_records_same_month_is_hit_same_record_twice_is_not(engine, tmp_path):
    payments = [
        pay("P1", A, "2023-04", amount="780.00", program="低保"),
        pay("P2", A, "2023-04", amount="780.00", program="低保"),
        pay("P3", A, "2023-05", amount="780.00", program="低保"),
        # B: one record exported twice (same payment_id) -> one payment, no hit.
        pay("Q1", B, "2023-04", amount="780.00", program="低保"),
        pay("Q1", B, "2023-04", amount="780.00", program="低保"),
        # B: two programmes in one month -> not a duplicate.
        pay("Q2", B, "2023-04", amount="100.00", program="高龄津贴"),
    ]
    hits = run_rule(engine, tmp_path, "R03", payments=payments)
    assert subjects(hits) == {A}
    (hit,) = hits
    assert hit["period"] == "2023-04" and str(hit["amount"]) == "780.00"
    assert hit["evidence"]["payment_ids"] == ["P1", "P2"]
    assert hit["evidence"]["payments"] == 2


def test_december_twice_is_hit_same_month_of_another_year_is_not(engine, tmp_path):
    monthly = [pay(f"A{m}", A, f"2023-{m:02d}", program="低保") for m in range(1, 13)]
    payments = [
        *monthly,
        # A: December paid twice (the highest month of the year), in a year of 13 payments.
        pay("A12b", A, "2023-12", program="低保"),
        # B: the same month of two years, and November and December once each.
        pay("B1", B, "2023-04", program="低保"),
        pay("B2", B, "2024-04", program="低保"),
        pay("B3", B, "2024-11", program="低保"),
        pay("B4", B, "2024-12", program="低保"),
        # C: every month of a year once, in two programmes.
        *[pay(f"C{m}", C, f"2023-{m:02d}", program="低保") for m in range(1, 13)],
        *[pay(f"D{m}", C, f"2023-{m:02d}", program="高龄津贴") for m in range(1, 13)],
        # D: January paid three times.
        pay("E1", D, "2022-01", program="低保"),
        pay("E2", D, "2022-01", program="低保"),
        pay("E3", D, "2022-01", program="低保"),
    ]
    hits = run_rule(engine, tmp_path, "R03", payments=payments)
    assert {(h["subject"], h["period"]) for h in hits} == {(A, "2023-12"), (D, "2022-01")}
    three = next(h for h in hits if h["subject"] == D)
    assert three["evidence"]["payments"] == 3


def test_first_pass_flags_exactly_the_months_paid_twice(engine, tmp_path):
    """The month fields are 64-bit on every backend: January and September (fields 0
    and 32 bits up) or any two different months never add up to a repeat."""
    payments = [
        # A: every month once (January and September included): not flagged.
        *[pay(f"A{m}", A, f"2023-{m:02d}", program="低保") for m in range(1, 13)],
        # B: December twice.
        pay("B1", B, "2023-12", program="低保"),
        pay("B2", B, "2023-12", program="低保"),
        # C: January 2023 and January 2024: not flagged.
        pay("C1", C, "2023-01", program="低保"),
        pay("C2", C, "2024-01", program="低保"),
        # D: thirteen payments in one year.
        *[pay(f"D{m}", D, f"2023-{m:02d}", program="低保") for m in range(1, 13)],
        pay("D13", D, "2023-06", program="低保"),
        # E: one month in two programmes: not flagged.
        pay("E1", E, "2023-03", program="低保"),
        pay("E2", E, "2023-03", program="高龄津贴"),
    ]
    tables = load_tables(engine, tmp_path, ["payments"], payments=payments)
    flagged = engine.to_pyarrow(repeated_months(tables["payments"])).to_pylist()
    keys = dict(zip(id_keys(pa.array([B, D])).to_pylist(), [B, D], strict=True))
    assert {(keys.get(r["id_key"]), r["program"]) for r in flagged} == {(B, "低保"), (D, "低保")}
