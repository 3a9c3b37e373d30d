"""/clues/statistics: a statistic's count within the jurisdiction, and the ids of exactly
the records counted (drill-down)."""

import datetime as dt

from tests.api.records import DAY, make_clue

from jiandu.clues.services import clue_close, clue_dispose, outcome_record
from jiandu.clues.statistics import STATISTICS

PERIOD = {"start": "2020-01-01", "end": "2020-12-31"}


def test_the_count_and_records_are_the_users_jurisdiction(login, users, world):
    county = [make_clue(world, title=f"县{i}") for i in range(3)]
    make_clue(world, user="outsider", org=world.other_county, title="盘龙")
    client = login(users["county"])
    body = client.get(
        "/api/v1/clues/statistics", {"key": "clues_received", "records": True, **PERIOD}
    ).json()
    assert (body["name"], body["unit"], body["count"]) == ("受理问题线索", "件", 3)
    assert body["records"] == sorted(c.pk for c in county)
    assert body["record_type"] == "clues.clue"
    city = (
        login(users["city"])
        .get("/api/v1/clues/statistics", {"key": "clues_received", **PERIOD})
        .json()
    )
    assert (city["count"], city["records"]) == (4, None)


def test_the_number_equals_the_statistic_and_the_records_listed(login, users, world, county_person):
    clue = make_clue(world)
    clue = clue_dispose(actor=users["county"], clue=clue, method="case_filed", on_date=DAY)
    for subtype in ("criticism", "reminder_talk"):
        outcome_record(
            actor=users["county"],
            clue=clue,
            kind="criticism",
            subtype=subtype,
            person=county_person,
            decision_date=DAY + dt.timedelta(days=5),
        )
    clue_close(
        actor=users["county"], clue=clue, conclusion="substantiated", on_date=DAY.replace(day=20)
    )
    body = (
        login(users["county"])
        .get(
            "/api/v1/clues/statistics",
            {"key": "criticism", "records": True, "domain": "poverty", **PERIOD},
        )
        .json()
    )
    expected = STATISTICS["criticism"].count(
        start=dt.date(2020, 1, 1), end=dt.date(2020, 12, 31), domain="poverty", org_ids=None
    )
    assert body["count"] == expected == len(body["records"]) == 2
    assert body["record_type"] == "clues.outcome"


def test_one_org_or_its_subtree(login, users, world):
    # clues_disposed places a clue with its handling org.
    for org in (world.county, world.township):
        clue_dispose(
            actor=users["county"], clue=make_clue(world, org=org), method="shelved", on_date=DAY
        )
    client = login(users["county"])

    def count(**params):
        query = {"key": "clues_disposed", **PERIOD, **params}
        return client.get("/api/v1/clues/statistics", query).json()["count"]

    assert count() == 2
    assert count(org=world.county.pk) == 1
    assert count(org=world.township.pk) == 1
    assert count(org=world.county.pk, include_subtree=True) == 2


def test_bad_statistic_queries_name_the_field(login, users, world):
    client = login(users["county"])
    for params, field in [
        ({"key": "happiness", **PERIOD}, "key"),
        ({"key": "criticism", "start": "2020-12-31", "end": "2020-01-01"}, "end"),
        ({"key": "criticism", "domain": "weather", **PERIOD}, "domain"),
        ({"key": "criticism", "org": world.other_county.pk, **PERIOD}, "org"),
        ({"key": "criticism"}, "start"),
    ]:
        response = client.get("/api/v1/clues/statistics", params)
        assert response.status_code == 422, params
        assert field in response.json()["errors"], params


def test_statistics_need_the_permission_and_list_their_keys(login, users):
    assert (
        login(users["auditor"])
        .get("/api/v1/clues/statistics", {"key": "criticism", **PERIOD})
        .status_code
        == 403
    )
    keys = login(users["leader"]).get("/api/v1/clues/statistics/keys").json()
    assert {"key": "criticism", "name": "批评教育", "unit": "人"} in keys
    assert len(keys) == len(STATISTICS)
