"""R03 重复发放: the same person paid twice for the same programme and month."""

from .engine_support import A, B, pay, run_rule, subjects


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
