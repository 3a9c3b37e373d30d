"""R09 无资格发放: a payment for a month outside every enrolment in the programme."""

from .engine_support import A, B, C, enrol, pay, run_rule, subjects


def test_enrolment_ending_the_month_before(engine, tmp_path):
    beneficiaries = [
        enrol(A, "2023-01-01", "2023-03-31"),  # ends the month before April
        enrol(B, "2023-01-01", "2023-04-01"),  # covers April (ends on its first day)
        enrol(C, "2023-01-01", program="高龄津贴", standard="100.00"),  # other programme
    ]
    payments = [
        pay("P1", A, "2023-03", program="低保", amount="780.00"),
        pay("P2", A, "2023-04", program="低保", amount="780.00"),
        pay("P3", B, "2023-04", program="低保", amount="780.00"),
        pay("P4", C, "2023-04", program="低保", amount="780.00"),
        pay("P5", C, "2022-12", program="高龄津贴", amount="100.00"),  # before the start
    ]
    hits = run_rule(engine, tmp_path, "R09", beneficiaries=beneficiaries, payments=payments)
    assert {(h["subject"], h["evidence"]["payment_id"]) for h in hits} == {
        (A, "P2"),
        (C, "P4"),
        (C, "P5"),
    }
    assert subjects(hits) == {A, C}
