"""/clues/exposure-batches: 通报曝光 batches with their cases (起) and persons (人次)."""

import datetime as dt

from jiandu.clues.models import ExposureBatch
from jiandu.clues.services import exposure_batch_create


def _batch(world, user="county", org=None, title="五华区通报3起扶贫领域典型问题", cases=None):
    return exposure_batch_create(
        actor=world.users[user],
        title=title,
        published_on=dt.date(2020, 4, 1),
        org=org or world.county,
        cases=cases or [{"title": "某村干部截留低保金"}],
        domains=[world.poverty],
    )


def test_the_list_is_scoped_and_counts_cases_and_persons(
    login, users, world, county_clue, county_person
):
    _batch(
        world,
        cases=[
            {"title": "案例一", "clue": county_clue, "persons": [county_person]},
            {"title": "案例二"},
        ],
    )
    _batch(world, user="outsider", org=world.other_county, title="盘龙区通报")
    body = login(users["county"]).get("/api/v1/clues/exposure-batches").json()
    assert [(b["title"], b["case_count"], b["person_count"]) for b in body["items"]] == [
        ("五华区通报3起扶贫领域典型问题", 2, 1)
    ]
    assert login(users["auditor"]).get("/api/v1/clues/exposure-batches").status_code == 403


def test_detail_lists_the_cases_and_is_404_outside(login, users, world, county_clue, county_person):
    batch = _batch(
        world, cases=[{"title": "案例一", "clue": county_clue, "persons": [county_person]}]
    )
    body = login(users["city"]).get(f"/api/v1/clues/exposure-batches/{batch.pk}").json()
    assert body["domains"] == [{"code": "poverty", "name": "扶贫"}]
    case = body["cases"][0]
    assert (case["title"], case["clue"]["number"], case["persons"][0]["name"]) == (
        "案例一",
        county_clue.number,
        "李明",
    )
    response = login(users["outsider"]).get(f"/api/v1/clues/exposure-batches/{batch.pk}")
    assert response.status_code == 404


def test_creating_a_batch(login, users, world, county_clue, county_person):
    response = login(users["county"]).post(
        "/api/v1/clues/exposure-batches",
        {
            "title": "关于3起扶贫领域典型问题的通报",
            "published_on": "2020-04-15",
            "domains": ["poverty"],
            "medium": "区纪委监委网站",
            "cases": [
                {"title": "案例一", "clue": county_clue.pk, "persons": [county_person.pk]},
                {"title": "案例二"},
            ],
        },
        content_type="application/json",
    )
    assert response.status_code == 201
    body = response.json()
    assert (body["org"]["id"], body["case_count"], body["person_count"]) == (
        world.county.pk,
        2,
        1,
    )


def test_a_clue_outside_the_jurisdiction_is_refused_by_case(login, users, county_clue, other_clue):
    response = login(users["county"]).post(
        "/api/v1/clues/exposure-batches",
        {
            "title": "通报",
            "published_on": "2020-04-15",
            "cases": [
                {"title": "案例一", "clue": county_clue.pk},
                {"title": "案例二", "clue": other_clue.pk},
            ],
        },
        content_type="application/json",
    )
    assert response.status_code == 422
    assert list(response.json()["errors"]) == ["cases.1.clue"]
    assert not ExposureBatch.objects.exists()


def test_a_batch_needs_cases_and_the_permission(login, users):
    body = {"title": "通报", "published_on": "2020-04-15", "cases": []}
    empty = login(users["county"]).post(
        "/api/v1/clues/exposure-batches", body, content_type="application/json"
    )
    assert empty.status_code == 422
    assert empty.json()["errors"] == {"cases": ["通报曝光至少包含一起典型问题"]}
    body["cases"] = [{"title": "案例"}]
    refused = login(users["leader"]).post(
        "/api/v1/clues/exposure-batches", body, content_type="application/json"
    )
    assert refused.status_code == 403
    assert not ExposureBatch.objects.exists()
