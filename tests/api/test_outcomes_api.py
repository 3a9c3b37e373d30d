"""/clues/clues/{id}/outcomes and /clues/outcomes/{id}/archive: 处理结果 per clue."""

import pytest
from tests.api.records import DAY

from jiandu.clues.models import Outcome
from jiandu.clues.services import outcome_record


def _record(client, clue, **body):
    return client.post(
        f"/api/v1/clues/clues/{clue.pk}/outcomes", body, content_type="application/json"
    )


def test_recording_an_outcome_derives_the_discipline_form(login, users, county_clue, county_person):
    response = _record(
        login(users["county"]),
        county_clue,
        kind="party_discipline",
        subtype="party_serious_warning",
        person=county_person.pk,
        decision_date="2020-05-10",
        funds_recovered="3500.00",
    )
    assert response.status_code == 201
    body = response.json()
    assert (body["kind_label"], body["subtype_label"], body["discipline_form"]) == (
        "党纪处分",
        "严重警告",
        2,
    )
    assert body["decided_by"]["name"] == "五华区纪委监委"
    assert body["funds_recovered"] == "3500.00"
    assert county_person.id_number not in response.content.decode()


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"kind": "party_discipline", "decision_date": "2020-05-10"}, "subtype"),
        ({"kind": "accountability", "subtype": "acc_review", "decision_date": "2020-05-10"}, None),
        ({"kind": "criticism", "subtype": "criticism", "decision_date": "2019-01-01"}, None),
    ],
    ids=["subtype-missing", "responsibility-missing", "before-receipt"],
)
def test_a_bad_outcome_is_422_and_nothing_is_recorded(
    login, users, county_clue, county_person, body, field
):
    response = _record(login(users["county"]), county_clue, person=county_person.pk, **body)
    assert response.status_code == 422
    errors = response.json()["errors"]
    if field:
        assert field in errors
    assert not Outcome.objects.exists()


def test_the_person_must_be_within_the_jurisdiction(login, users, county_clue, other_person):
    response = _record(
        login(users["county"]),
        county_clue,
        kind="criticism",
        subtype="criticism",
        person=other_person.pk,
        decision_date="2020-05-10",
    )
    assert response.status_code == 422
    assert list(response.json()["errors"]) == ["person"]


def test_recording_needs_the_permission_and_the_jurisdiction(login, users, county_clue):
    body = {"kind": "judicial_transfer", "subject_name": "某某", "decision_date": "2020-05-10"}
    assert _record(login(users["room"]), county_clue, **body).status_code == 403
    assert _record(login(users["outsider"]), county_clue, **body).status_code == 404
    assert not Outcome.objects.exists()


def test_the_list_includes_withdrawn_outcomes_with_their_reason(
    login, users, county_clue, county_person
):
    kept = outcome_record(
        actor=users["county"],
        clue=county_clue,
        kind="criticism",
        subtype="reminder_talk",
        person=county_person,
        decision_date=DAY,
    )
    wrong = outcome_record(
        actor=users["county"],
        clue=county_clue,
        kind="criticism",
        subtype="criticism",
        person=county_person,
        decision_date=DAY,
    )
    client = login(users["county"])
    response = client.post(
        f"/api/v1/clues/outcomes/{wrong.pk}/archive",
        {"reason": "录入错误"},
        content_type="application/json",
    )
    assert response.status_code == 200
    rows = client.get(f"/api/v1/clues/clues/{county_clue.pk}/outcomes").json()
    assert [(r["id"], r["archive_reason"]) for r in rows] == [(kept.pk, ""), (wrong.pk, "录入错误")]
    again = client.post(
        f"/api/v1/clues/outcomes/{wrong.pk}/archive",
        {"reason": "再撤"},
        content_type="application/json",
    )
    assert again.status_code == 422


def test_outcomes_are_404_outside_and_403_without_the_permission(
    login, users, county_clue, county_person
):
    outcome = outcome_record(
        actor=users["county"],
        clue=county_clue,
        kind="criticism",
        subtype="reminder_talk",
        person=county_person,
        decision_date=DAY,
    )
    client = login(users["outsider"])
    assert client.get(f"/api/v1/clues/clues/{county_clue.pk}/outcomes").status_code == 404
    archive = f"/api/v1/clues/outcomes/{outcome.pk}/archive"
    body = {"reason": "x"}
    assert client.post(archive, body, content_type="application/json").status_code == 404
    client = login(users["room"])  # 线索管理 only: no change_outcome
    assert client.post(archive, body, content_type="application/json").status_code == 403
    outcome.refresh_from_db()
    assert outcome.archived_at is None
