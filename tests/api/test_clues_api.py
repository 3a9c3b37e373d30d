"""/clues/clues: the keyset-paged list (scoped, constant queries), detail, registration,
and lifecycle actions (illegal → 409 naming the move, bad input → 422)."""

import datetime as dt
import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from ninja.responses import NinjaJSONEncoder
from tests.api.records import DAY, make_clue

from jiandu.approvals.models import ApprovalRequest
from jiandu.clues.choices import ClueStatus
from jiandu.clues.models import Clue, ClueEvent
from jiandu.clues.schemas import ClueOut
from jiandu.core.pagination import encode_cursor
from jiandu.testing import approve_request


def _make_clues(world, n, org=None):
    # Several clues share each date, so pages also break ties on id.
    return [
        make_clue(world, org=org, title=f"线索{i}", day=DAY - dt.timedelta(days=i // 3))
        for i in range(n)
    ]


def test_the_list_needs_the_permission(login, users):
    assert login(users["auditor"]).get("/api/v1/clues/clues").status_code == 403


def test_a_county_user_lists_only_the_countys_clues(login, users, county_clue, other_clue):
    body = login(users["county"]).get("/api/v1/clues/clues").json()
    assert [c["id"] for c in body["items"]] == [county_clue.pk]
    body = login(users["outsider"]).get("/api/v1/clues/clues").json()
    assert [c["id"] for c in body["items"]] == [other_clue.pk]


def test_a_list_row_is_the_same_as_the_validated_schema(login, users, world, county_clue):
    """The list builds its rows without re-validation; they must equal what the schema
    makes of the clue (escalated, closed and with a due date, so every field is set)."""
    Clue.objects.filter(pk=county_clue.pk).update(
        is_escalated=True, closed_at=DAY, due_date=DAY, disposal_method="talk_inquiry"
    )
    clue = Clue.objects.select_related("handling_org").get(pk=county_clue.pk)
    listed = login(users["county"]).get("/api/v1/clues/clues").json()["items"]
    expected = json.loads(json.dumps(ClueOut.from_orm(clue).model_dump(), cls=NinjaJSONEncoder))
    assert listed == [expected]


def test_keyset_pages_cover_every_row_exactly_once_in_order(login, users, world, other_clue):
    _make_clues(world, 23)
    client = login(users["county"])
    seen, after, pages = [], "", 0
    while True:
        body = client.get("/api/v1/clues/clues", {"limit": 5, "after": after}).json()
        assert (body["total"], body["total_exact"]) == (23, True)  # on every page
        seen += [(c["received_date"], c["id"]) for c in body["items"]]
        pages += 1
        after = body["next_cursor"]
        if after is None:
            break
    assert pages == 5
    assert seen == sorted(seen, reverse=True)
    expected = set(
        Clue.objects.filter(handling_org=world.county).values_list("received_date", "pk")
    )
    assert {(dt.date.fromisoformat(d), pk) for d, pk in seen} == expected
    assert len(seen) == len(set(seen)) == 23


@pytest.mark.parametrize("rows", [5, 40])
def test_the_list_costs_the_same_queries_for_5_or_40_rows(
    login, users, world, rows, django_assert_max_num_queries
):
    client = login(users["city"])
    make_clue(world)
    with CaptureQueriesContext(connection) as one_row:
        client.get("/api/v1/clues/clues")
    _make_clues(world, rows - 1, org=world.township)
    with django_assert_max_num_queries(len(one_row)) as listed:
        body = client.get("/api/v1/clues/clues", {"limit": 50}).json()
    assert len(body["items"]) == rows
    # The rows come from ONE query, joined to the handling org; the total from a count
    # that stops reading at the exact-count limit (core.pagination.count_or_estimate).
    clue_queries = [q["sql"] for q in listed.captured_queries if "clues_clue" in q["sql"]]
    rows_sql = [sql for sql in clue_queries if "handling_org__name" in sql]
    assert len(rows_sql) == 1 and "COUNT(" not in rows_sql[0].upper()
    assert any("LIMIT 2001" in sql.upper() for sql in clue_queries)
    assert (body["total"], body["total_exact"]) == (rows, True)
    assert body["items"][-1]["handling_org"]["name"] in {"五华区纪委监委", "红云街道"}


def test_the_list_filters(login, users, world, county_clue):
    township_clue = make_clue(world, org=world.township, title="街道低保问题")
    client = login(users["county"])

    def ids(**params):
        return [c["id"] for c in client.get("/api/v1/clues/clues", params).json()["items"]]

    assert ids(org=world.township.pk) == [township_clue.pk]
    assert ids(text="街道") == [township_clue.pk]
    assert ids(text=county_clue.number) == [county_clue.pk]
    assert ids(status="closed") == []
    assert set(ids(domain="poverty", status="")) == {county_clue.pk, township_clue.pk}
    assert set(ids(overdue=True)) == {county_clue.pk, township_clue.pk}
    assert ids(received_from="2020-03-03") == []


@pytest.mark.parametrize(
    "cursor", ["not-a-cursor", encode_cursor(["2020-13-45", 3]), encode_cursor(["2020-03-02"])]
)
def test_a_cursor_that_is_not_ours_is_an_error_not_page_one(login, users, county_clue, cursor):
    response = login(users["county"]).get("/api/v1/clues/clues", {"after": cursor})
    assert response.status_code == 422
    assert response.json()["errors"] == {"after": ["分页游标无效"]}


def test_detail_has_the_timeline_outcomes_and_next_actions(login, users, county_clue):
    body = login(users["county"]).get(f"/api/v1/clues/clues/{county_clue.pk}").json()
    assert body["number"] == county_clue.number
    assert body["domains"] == [{"code": "poverty", "name": "扶贫"}]
    assert [(e["action"], e["to_org"]["name"]) for e in body["timeline"]] == [
        ("receive", "五华区纪委监委")
    ]
    assert body["outcomes"] == []
    assert [a["action"] for a in body["allowed_actions"]] == [
        "dispose",
        "escalate",
        "direct_handle",
        "assign_down",
        "extend",  # 延期 of the 办理期限, through its own 呈批
    ]
    # A reader without clues.change_clue is offered no action.
    body = login(users["leader"]).get(f"/api/v1/clues/clues/{county_clue.pk}").json()
    assert body["allowed_actions"] == []


def test_detail_is_404_outside_the_jurisdiction(login, users, county_clue):
    response = login(users["outsider"]).get(f"/api/v1/clues/clues/{county_clue.pk}")
    assert response.status_code == 404
    assert response.json()["detail"] == "记录不存在"


def test_registering_a_clue(login, users, world, county_person):
    response = login(users["county"]).post(
        "/api/v1/clues/clues",
        {
            "source": "inspection",
            "title": "巡察移交：街道违规发放补贴",
            "received_date": "2020-04-01",
            "handling_org": world.township.pk,
            "domains": ["poverty"],
            "subject_people": [county_person.pk],
            "funds_involved": "12000.50",
        },
        content_type="application/json",
    )
    assert response.status_code == 201
    body = response.json()
    clue = Clue.objects.get(pk=body["id"])
    assert (clue.source, clue.handling_org, str(clue.funds_involved)) == (
        "inspection",
        world.township,
        "12000.50",
    )
    assert body["subject_people"][0]["name"] == "李明"
    assert county_person.id_number not in response.content.decode()


def test_registering_needs_the_permission(login, users):
    response = login(users["leader"]).post(
        "/api/v1/clues/clues",
        {"source": "inspection", "title": "t", "received_date": "2020-04-01"},
        content_type="application/json",
    )
    assert response.status_code == 403


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"received_date": "2999-01-01"}, "received_date"),
        ({"received_date": "2020-13-01"}, "received_date"),
        ({"source": "rumour"}, "source"),
        ({"domains": ["unknown"]}, "domains"),
        ({"handling_org": 999999}, "handling_org"),
        ({"title": ""}, "title"),
    ],
)
def test_bad_clue_input_names_the_field_and_writes_nothing(login, users, change, field):
    body = {"source": "inspection", "title": "某问题", "received_date": "2020-04-01"} | change
    response = login(users["county"]).post(
        "/api/v1/clues/clues", body, content_type="application/json"
    )
    assert response.status_code == 422
    assert list(response.json()["errors"]) == [field]
    assert response.json()["detail"].startswith("提交的数据有误：")
    assert not Clue.objects.exists()


def _act(client, clue, **body):
    return client.post(
        f"/api/v1/clues/clues/{clue.pk}/actions", body, content_type="application/json"
    )


def test_a_legal_action_moves_the_clue_and_writes_an_event(login, users, county_clue):
    response = _act(
        login(users["county"]),
        county_clue,
        action="dispose",
        method="preliminary_verification",
        on_date="2020-03-05",
    )
    # 呈批: 202 with the request; the clue moves when the route's last step approves.
    assert response.status_code == 202
    request = response.json()
    assert (request["status"], request["waiting_for"]) == ("pending", "室主任审核")
    assert [s["step"] for s in request["steps"]] == ["室主任审核", "分管领导审批"]
    county_clue.refresh_from_db()
    assert county_clue.status == ClueStatus.RECEIVED
    approve_request(ApprovalRequest.objects.get(pk=request["id"]))
    body = login(users["county"]).get(f"/api/v1/clues/clues/{county_clue.pk}").json()
    assert (body["status"], body["disposal_method"]) == ("disposing", "preliminary_verification")
    assert [e["action"] for e in body["timeline"]] == ["receive", "dispose"]
    assert [a["action"] for a in body["allowed_actions"]] == [
        "change_disposal",
        "escalate",
        "direct_handle",
        "close",
        "extend",
    ]


def test_an_illegal_action_is_409_naming_the_move(login, users, county_clue):
    response = _act(login(users["county"]), county_clue, action="close", conclusion="other")
    assert response.status_code == 409
    assert response.json() == {
        "detail": "问题线索状态为“已受理”，不能执行“办结”",
        "errors": {},
    }
    county_clue.refresh_from_db()
    assert county_clue.status == ClueStatus.RECEIVED
    assert ClueEvent.objects.filter(clue=county_clue).count() == 1


def test_an_illegal_disposal_change_is_409(login, users, county_clue):
    client = login(users["county"])
    submitted = _act(client, county_clue, action="dispose", method="case_filed")
    approve_request(ApprovalRequest.objects.get(pk=submitted.json()["id"]))
    response = _act(client, county_clue, action="change_disposal", method="talk_inquiry", note="x")
    assert response.status_code == 409
    assert "不能由“立案审查”变更为“谈话函询”" in response.json()["detail"]


@pytest.mark.parametrize(
    ("body", "errors"),
    [
        ({"action": "dispose"}, {"method": ["请选择处置方式"]}),
        ({"action": "escalate", "note": "案情重大"}, {"to_org": ["请选择目标单位"]}),
        ({"action": "jump"}, None),
    ],
    ids=["no-method", "no-target", "unknown-action"],
)
def test_bad_action_input_is_422_with_the_field(login, users, county_clue, body, errors):
    response = _act(login(users["county"]), county_clue, **body)
    assert response.status_code == 422
    if errors is not None:
        assert response.json()["errors"] == errors
    else:
        assert len(response.json()["errors"]) == 1
    county_clue.refresh_from_db()
    assert county_clue.status == ClueStatus.RECEIVED


def test_escalating_to_the_city_and_not_outside(login, users, world, county_clue):
    client = login(users["county"])
    outside = _act(client, county_clue, action="escalate", to_org=world.city.pk, note="案情重大")
    # The city is above the county user's jurisdiction: not a target they can name.
    assert outside.status_code == 422
    assert list(outside.json()["errors"]) == ["to_org"]
    response = _act(
        login(users["city"]), county_clue, action="escalate", to_org=world.city.pk, note="案情重大"
    )
    assert response.status_code == 202
    approve_request(ApprovalRequest.objects.get(pk=response.json()["id"]))
    body = login(users["city"]).get(f"/api/v1/clues/clues/{county_clue.pk}").json()
    assert body["handling_org"]["id"] == world.city.pk
    assert body["is_escalated"] is True


def test_receive_is_not_an_action_to_submit(login, users, county_clue):
    response = _act(login(users["county"]), county_clue, action="receive")
    assert response.status_code == 409
    assert "受理" in response.json()["detail"]


def test_actions_need_the_permission_and_the_jurisdiction(login, users, county_clue):
    body = {"action": "dispose", "method": "shelved"}
    assert _act(login(users["leader"]), county_clue, **body).status_code == 403
    assert _act(login(users["outsider"]), county_clue, **body).status_code == 404
    county_clue.refresh_from_db()
    assert county_clue.status == ClueStatus.RECEIVED
