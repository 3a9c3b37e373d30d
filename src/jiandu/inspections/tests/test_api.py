"""API of the 巡察 rounds: shapes, draws, stage moves (409 when illegal), scoping per
endpoint (a county sees its own rounds; others get 404)."""

from __future__ import annotations

import pytest

from jiandu.inspections.tests.helpers import make_round

pytestmark = pytest.mark.django_db
API = "/api/v1/inspections"


@pytest.fixture
def item(rw, actor, pool):
    return make_round(rw, actor, targets=[rw.world.county])


def test_commission_draws_and_moves_the_round(client, actor, item):
    client.force_login(actor)
    rows = client.get(f"{API}/rounds").json()
    assert [r["name"] for r in rows] == ["市委第一轮巡察"]
    assert rows[0]["form_label"] == "菜单式" and rows[0]["stage_label"] == "准备"
    early = client.post(f"{API}/rounds/{item.pk}/stage", {"to_stage": "stationed"},
                        content_type="application/json")  # fmt: skip
    assert early.status_code == 409 and "尚未抽取" in early.json()["detail"]
    drawn = client.post(f"{API}/rounds/{item.pk}/draws", {"seed": 4},
                        content_type="application/json")  # fmt: skip
    assert drawn.status_code == 201, drawn.content
    body = drawn.json()
    assert body["feasible"] and body["seed"] == 4 and body["result"]["seed"] == 4
    detail = client.post(f"{API}/rounds/{item.pk}/stage", {"to_stage": "stationed"},
                         content_type="application/json").json()  # fmt: skip
    assert detail["stage_label"] == "进驻"
    team = detail["teams"][0]
    assert team["target"]["name"] == "五华区纪委监委"
    assert [m["role"] for m in team["members"]] == ["组长", "组员", "组员"]
    assert detail["targets"][0]["focus_items"]
    figures = detail["figures"]
    assert figures["problems"] == 0 and figures["clues"] == 0 and figures["case_rate"] is None
    skip = client.post(f"{API}/rounds/{item.pk}/stage", {"to_stage": "archived"},
                       content_type="application/json")  # fmt: skip
    assert skip.status_code == 409
    assert len(client.get(f"{API}/rounds/{item.pk}/draws").json()) == 1


def test_county_sees_its_round_but_cannot_draw(client, rw, item):
    county = rw.accounts["wuhua"]
    client.force_login(county)
    assert [r["id"] for r in client.get(f"{API}/rounds").json()] == [item.pk]
    assert client.get(f"{API}/rounds/{item.pk}").status_code == 200
    assert client.post(f"{API}/rounds/{item.pk}/draws", {},
                       content_type="application/json").status_code == 403  # fmt: skip
    assert client.get(f"{API}/rounds/{item.pk}/draws").status_code == 403


def test_other_county_gets_404_everywhere(client, rw, item):
    other = rw.accounts["dongchuan"]
    client.force_login(other)
    assert client.get(f"{API}/rounds").json() == []
    for url in (f"{API}/rounds/{item.pk}", f"{API}/rounds/{item.pk}/draws"):
        assert client.get(url).status_code == 404, url
    for url, data in ((f"{API}/rounds/{item.pk}/draws", {}),
                      (f"{API}/rounds/{item.pk}/stage", {"to_stage": "stationed"})):  # fmt: skip
        assert client.post(url, data, content_type="application/json").status_code in (403, 404)


def test_anonymous_is_401(client, item):
    assert client.get(f"{API}/rounds").status_code == 401


def test_create_round_through_the_api(client, actor, rw, pool):
    w = rw.world
    client.force_login(actor)
    body = {
        "name": "市县统合第二轮巡察",
        "form": "linked",
        "level": "joint",
        "starts_on": "2026-03-01",
        "ends_on": "2026-05-01",
        "targets": [{"org": w.county.pk, "focus_items": ["poverty"]}, {"org": w.unit_a.pk}],
        "required_skills": ["财务"],
    }
    made = client.post(f"{API}/rounds", body, content_type="application/json")
    assert made.status_code == 201, made.content
    data = made.json()
    assert data["form_label"] == "联动式" and data["stage_label"] == "准备"
    focus = {t["org"]["id"]: t["focus_items"] for t in data["targets"]}
    assert focus == {w.county.pk: ["脱贫攻坚和乡村振兴政策落实"], w.unit_a.pk: []}
    bad = client.post(f"{API}/rounds", body | {"form": "nonsense"}, content_type="application/json")
    assert bad.status_code == 422
    unknown = body | {"targets": [{"org": w.county.pk, "focus_items": ["nope"]}]}
    assert client.post(f"{API}/rounds", unknown, content_type="application/json").status_code == 422
    client.force_login(rw.accounts["wuhua"])
    assert client.post(f"{API}/rounds", body, content_type="application/json").status_code == 403


def test_talent_pool_and_conflicts_through_the_api(client, actor, rw, pool):
    from jiandu.inspections.models import DeclaredConflict

    w = rw.world
    client.force_login(actor)
    rows = client.get(f"{API}/talent").json()
    assert len(rows) == 10 and {r["name"] for r in rows} >= {"干部0", "干部9"}
    put = client.put(f"{API}/talent/{pool[5].pk}",
                     {"skills": ["工程", "财务"], "can_lead": True, "available": False},
                     content_type="application/json")  # fmt: skip
    assert put.status_code == 200 and put.json()["skills"] == ["工程", "财务"]
    made = client.post(f"{API}/conflicts", {"person": pool[5].pk, "org": w.township.pk},
                       content_type="application/json")  # fmt: skip
    assert made.status_code == 201
    assert DeclaredConflict.objects.filter(person=pool[5], org=w.township).exists()
    assert (
        client.put(f"{API}/talent/999999", {}, content_type="application/json").status_code == 404
    )
