"""R10 有车有企享受低保: a means-tested beneficiary owning a car or a company."""

from .engine_support import A, B, C, D, enrol, run_rule, subjects


def test_vehicle_and_company_during_enrolment(engine, tmp_path):
    beneficiaries = [
        enrol(A, "2023-01-01"),
        enrol(B, "2023-01-01"),
        enrol(C, "2023-01-01", "2023-06-30"),
        enrol(D, "2023-01-01", program="困难残疾人生活补贴", standard="160.00"),
    ]
    vehicles = [
        {"owner_id_no": A, "plate_no": "浙H12345", "registered_on": "2023-03-01"},
        {"owner_id_no": C, "plate_no": "浙H54321", "registered_on": "2023-07-01"},  # after end
        {
            "owner_id_no": D,
            "plate_no": "浙H11111",
            "registered_on": "2023-03-01",
        },  # not means-tested
    ]
    companies = [
        {
            "id_no": B,
            "company_name": "某某商贸有限公司",
            "role": "法定代表人",
            "registered_on": "2018-05-01",
        }
    ]
    hits = run_rule(
        engine,
        tmp_path,
        "R10",
        beneficiaries=beneficiaries,
        vehicles=vehicles,
        companies=companies,
    )
    assert subjects(hits) == {A, B}
    by_subject = {h["subject"]: h for h in hits}
    assert by_subject[A]["evidence"]["detail"] == "浙H12345"
    assert by_subject[A]["period"] == "2023-03"
    assert by_subject[B]["evidence"]["asset"] == "企业"
    assert by_subject[B]["period"] == "2023-01"
