"""R07 账户集中: one account for several households, or held by a cadre for someone."""

from .engine_support import A, B, C, D, E, F, pay, person, run_rule


def _cadre(id_no, start="2020-01-01", end=None):
    return {
        "id_no": id_no,
        "name": "干部",
        "org_name": "某村民委员会",
        "region_code": "330803001001",
        "position": "村报账员",
        "is_village_cadre": True,
        "start_date": start,
        "end_date": end,
    }


def test_shared_account_and_cadre_holder(engine, tmp_path):
    persons = [
        person(A, household="H1"),
        person(B, household="H2"),
        person(C, household="H3"),
        person(D, household="H4"),
        person(E, household="H4"),
        person(F, household="H4"),
    ]
    payments = [
        # Three households into one account -> hit.
        pay("P1", A, "2023-04", account_no="ACC1"),
        pay("P2", B, "2023-04", account_no="ACC1"),
        pay("P3", C, "2023-05", account_no="ACC1"),
        # Three members of one household -> family account, no hit.
        pay("P4", D, "2023-04", account_no="ACC2"),
        pay("P5", E, "2023-04", account_no="ACC2"),
        pay("P6", F, "2023-04", account_no="ACC2"),
        # Held by cadre A for D during A's tenure -> hit.
        pay("P7", D, "2023-06", account_no="ACC3", holder=A),
        # Held by the beneficiary himself -> no hit.
        pay("P8", E, "2023-06", account_no="ACC4", holder=E),
        # Held by a former cadre after the tenure ended -> no hit.
        pay("P9", F, "2023-06", account_no="ACC5", holder=B),
    ]
    cadres = [_cadre(A), _cadre(B, "2010-01-01", "2019-12-31")]
    hits = run_rule(engine, tmp_path, "R07", persons=persons, payments=payments, cadres=cadres)
    by_subject = {h["subject"]: h for h in hits}
    assert set(by_subject) == {"ACC1", "ACC3"}
    assert by_subject["ACC1"]["evidence"]["households"] == 3
    assert by_subject["ACC1"]["evidence"]["id_nos"] == sorted([A, B, C])
    assert by_subject["ACC3"]["evidence"]["holder_id_no"] == A


def test_threshold_is_a_parameter(engine, tmp_path):
    persons = [person(A, household="H1"), person(B, household="H2")]
    payments = [pay("P1", A, "2023-04", account_no="X"), pay("P2", B, "2023-04", account_no="X")]
    rows = {"persons": persons, "payments": payments}
    assert run_rule(engine, tmp_path / "a", "R07", **rows) == []
    hits = run_rule(engine, tmp_path / "b", "R07", params={"min_id_nos": 2}, **rows)
    assert [h["subject"] for h in hits] == ["X"]


def test_people_missing_from_the_register_count_as_their_own_households(engine, tmp_path):
    persons = [person(A, household="H1"), person(B, household="H1")]
    payments = [
        # A and B share household H1; C and D are not registered: three households -> hit.
        pay("P1", A, "2023-04", account_no="ACC1"),
        pay("P2", B, "2023-04", account_no="ACC1"),
        pay("P3", C, "2023-04", account_no="ACC1"),
        pay("P4", D, "2023-04", account_no="ACC1"),
        # A, B (one household) and C: two households -> no hit.
        pay("P5", A, "2023-05", account_no="ACC2"),
        pay("P6", B, "2023-05", account_no="ACC2"),
        pay("P7", C, "2023-05", account_no="ACC2"),
    ]
    hits = run_rule(engine, tmp_path, "R07", persons=persons, payments=payments)
    assert [h["subject"] for h in hits] == ["ACC1"]
    assert hits[0]["evidence"]["households"] == 3
