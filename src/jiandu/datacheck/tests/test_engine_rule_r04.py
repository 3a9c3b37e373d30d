"""R04 干部亲属享受: a cadre's relative enrolled in the cadre's area during the tenure."""

from .engine_support import (
    A,
    B,
    C,
    D,
    E,
    F,
    enrol,
    person,
    run_rule,
    subjects,
)

VILLAGE = "330803001001"
OTHER_TOWNSHIP_VILLAGE = "330803002001"


def _cadre(id_no, region, start, end=None):
    return {
        "id_no": id_no,
        "name": "干部",
        "org_name": "上方镇人民政府",
        "region_code": region,
        "position": "副镇长",
        "is_village_cadre": len(region) == 12,
        "start_date": start,
        "end_date": end,
    }


def test_household_and_relations_links(engine, tmp_path):
    persons = [
        person(A, household="H1"),  # township cadre
        person(B, household="H1"),  # same household, same township -> hit
        person(C, household="H1", region=OTHER_TOWNSHIP_VILLAGE),  # other township -> no
        person(D, household="H2"),  # relative via relations -> hit
        person(E, household="H3"),  # relative, enrolled before the tenure -> no
        person(F, household="H4"),  # relative of a cadre whose tenure ended -> no
    ]
    cadres = [_cadre(A, "330803001", "2020-01-01"), _cadre(F, VILLAGE, "2015-01-01", "2019-12-31")]
    relations = [
        {"id_no": D, "relative_id_no": A, "relation": "子女"},
        {"id_no": A, "relative_id_no": E, "relation": "兄弟姐妹"},
        {"id_no": F, "relative_id_no": B, "relation": "其他"},
    ]
    beneficiaries = [
        enrol(B, "2021-03-01"),
        enrol(C, "2021-03-01", region=OTHER_TOWNSHIP_VILLAGE),
        enrol(D, "2020-01-01"),  # the first day of the tenure counts
        enrol(E, "2019-12-31"),
        enrol(A, "2021-01-01"),  # the cadre himself is not his own relative
    ]
    hits = run_rule(
        engine,
        tmp_path,
        "R04",
        persons=persons,
        cadres=cadres,
        relations=relations,
        beneficiaries=beneficiaries,
    )
    assert subjects(hits) == {B, D}
    by_subject = {h["subject"]: h for h in hits}
    assert by_subject[B]["evidence"]["links"] == ["同户"]
    assert by_subject[B]["evidence"]["cadre_id_no"] == A
    assert by_subject[D]["evidence"]["links"] == ["子女"]
    assert by_subject[D]["period"] == "2020-01"


def test_village_cadre_does_not_contain_a_neighbouring_village(engine, tmp_path):
    persons = [person(A, household="H1"), person(B, household="H1", region="330803001002")]
    hits = run_rule(
        engine,
        tmp_path,
        "R04",
        persons=persons,
        cadres=[_cadre(A, VILLAGE, "2020-01-01")],
        beneficiaries=[enrol(B, "2021-03-01", region="330803001002")],
    )
    assert hits == []


def test_malformed_numbers_link_only_when_written_the_same(engine, tmp_path):
    """An old 15-digit number, the same in the relations and on the roll, links (the
    integer keys of malformed numbers come from the text); a different one does not."""
    old_style, other, other_roll = "330803800101001", "3308031990010100", "3308031990010101"
    relations = [
        {"id_no": A, "relative_id_no": old_style, "relation": "父母"},
        {"id_no": A, "relative_id_no": other, "relation": "子女"},
    ]
    hits = run_rule(
        engine,
        tmp_path,
        "R04",
        persons=[person(A, household="H1")],
        cadres=[_cadre(A, "330803001", "2020-01-01")],
        relations=relations,
        beneficiaries=[enrol(old_style, "2021-03-01"), enrol(other_roll, "2021-03-01")],
    )
    assert subjects(hits) == {old_style}
    assert hits[0]["evidence"]["links"] == ["父母"]
