"""R02 死亡后部分停发: one programme stopped at death, another still paid (seed 004)."""

from .engine_support import A, B, C, pay, run_rule, subjects

LIVING = "困难残疾人生活补贴"
CARE = "重度残疾人护理补贴"


def _deaths(*ids):
    return [
        {"id_no": i, "name": "某", "death_date": "2023-05-20", "source": "公安注销"} for i in ids
    ]


def test_one_of_two_subsidies_stopped(engine, tmp_path):
    payments = [
        # A: living subsidy stopped with May, care subsidy paid June and July -> hit.
        pay("A1", A, "2023-04", program=LIVING),
        pay("A2", A, "2023-05", program=LIVING),
        pay("A3", A, "2023-05", program=CARE),
        pay("A4", A, "2023-06", program=CARE),
        pay("A5", A, "2023-07", program=CARE),
        # B: both stopped at death -> no hit.
        pay("B1", B, "2023-05", program=LIVING),
        pay("B2", B, "2023-05", program=CARE),
        # C: one programme ended a year before death, the other went on -> not R02.
        pay("C1", C, "2022-04", program=LIVING),
        pay("C2", C, "2023-05", program=CARE),
        pay("C3", C, "2023-06", program=CARE),
    ]
    hits = run_rule(engine, tmp_path, "R02", deaths=_deaths(A, B, C), payments=payments)
    assert subjects(hits) == {A}
    (hit,) = hits
    assert hit["program"] == CARE and hit["period"] == "2023-06"
    assert str(hit["amount"]) == "320.00"
    assert hit["evidence"]["stopped_programs"] == [LIVING]
    assert hit["evidence"]["payment_ids"] == ["A4", "A5"]
    assert hit["evidence"]["months_paid_after_death"] == 2


def test_single_programme_paid_after_death_is_only_r01(engine, tmp_path):
    payments = [pay("A1", A, "2023-05"), pay("A2", A, "2023-06")]
    assert run_rule(engine, tmp_path, "R02", deaths=_deaths(A), payments=payments) == []
