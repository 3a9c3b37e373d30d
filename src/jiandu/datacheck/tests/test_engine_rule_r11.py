"""R11 年龄不符: 高龄津贴 paid for a month before the person turned 80."""

from .engine_support import E, F, pay, person, run_rule

# E born 1944-06-15 (turns 80 in 2024-06); F born 1945-02-20 (turns 80 in 2025-02).
UNREGISTERED = "330803194407310017"


def test_paid_before_the_birthday_month(engine, tmp_path):
    payments = [
        pay("P1", E, "2024-05", program="高龄津贴", amount="100.00"),  # hit
        pay("P2", E, "2024-06", program="高龄津贴", amount="100.00"),  # birthday month: fine
        pay("P3", F, "2024-06", program="高龄津贴", amount="100.00"),  # hit
        pay("P4", F, "2024-06", program="低保", amount="780.00"),  # no age condition
        pay("P5", UNREGISTERED, "2024-06", program="高龄津贴", amount="100.00"),  # from the ID
    ]
    hits = run_rule(
        engine,
        tmp_path,
        "R11",
        persons=[person(E, household="H1"), person(F, household="H2")],
        payments=payments,
    )
    assert {(h["subject"], h["period"]) for h in hits} == {
        (E, "2024-05"),
        (F, "2024-06"),
        (UNREGISTERED, "2024-06"),
    }
    by_payment = {h["evidence"]["payment_id"]: h["evidence"] for h in hits}
    assert by_payment["P1"]["payable_from"] == "2024-06"
    assert by_payment["P5"]["birth_date"] == "1944-07-31"


def test_thresholds_are_a_parameter(engine, tmp_path):
    hits = run_rule(
        engine,
        tmp_path,
        "R11",
        params={"age_thresholds": {"高龄津贴": 90}},
        persons=[person(E, household="H1")],
        payments=[pay("P2", E, "2024-06", program="高龄津贴", amount="100.00")],
    )
    assert len(hits) == 1 and hits[0]["evidence"]["required_age"] == 90
