"""R05 财政供养人员享受低保: a means-tested enrolment overlapping a payroll period."""

from .engine_support import A, B, C, enrol, run_rule, subjects


def _job(id_no, start, end=None):
    return {"id_no": id_no, "name": "某", "employer": "某局", "start_date": start, "end_date": end}


def test_overlap_hit_adjacent_and_not_means_tested_are_not(engine, tmp_path):
    hits = run_rule(
        engine,
        tmp_path,
        "R05",
        beneficiaries=[
            enrol(A, "2023-01-01"),
            enrol(B, "2023-01-01"),
            enrol(C, "2023-01-01", program="困难残疾人生活补贴", standard="160.00"),
        ],
        payroll=[_job(A, "2022-06-01"), _job(B, "2020-01-01", "2022-12-31"), _job(C, "2020-01-01")],
    )
    assert subjects(hits) == {A}
    assert hits[0]["period"] == "2023-01"
    assert hits[0]["evidence"]["employer"] == "某局"


def test_means_tested_programmes_are_a_parameter(engine, tmp_path):
    hits = run_rule(
        engine,
        tmp_path,
        "R05",
        params={"means_tested": ["困难残疾人生活补贴"]},
        beneficiaries=[enrol(C, "2023-01-01", program="困难残疾人生活补贴", standard="160.00")],
        payroll=[_job(C, "2020-01-01")],
    )
    assert subjects(hits) == {C}
