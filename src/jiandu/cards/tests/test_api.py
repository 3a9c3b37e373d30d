"""/api/v1/cards/: every endpoint scoped (404 outside the jurisdiction, 403 without the
permission), illegal moves 409, bad input 422 naming the field."""

from __future__ import annotations

import pytest

from jiandu.cards import services
from jiandu.cards.models import ListTemplate, ReminderCard
from jiandu.cards.reference import RESPONSIBILITY_KEY
from jiandu.cards.tests.conftest import previous_quarter

pytestmark = pytest.mark.django_db
API = "/api/v1/cards"


@pytest.fixture
def card(cw):
    year, quarter = previous_quarter()
    draft = services.card_create(
        actor=cw.stats,
        committee=cw.committee,
        post=cw.township_head,
        year=year,
        quarter=quarter,
        template=ListTemplate.objects.get(key=RESPONSIBILITY_KEY, archived_at__isnull=True),
    )
    return services.card_issue(actor=cw.stats, card=draft)


def as_user(client, user):
    client.force_login(user)
    return client


def test_list_and_detail_are_scoped(client, cw, card):
    body = as_user(client, cw.stats).get(f"{API}/cards").json()
    assert [c["id"] for c in body["items"]] == [card.pk]
    detail = client.get(f"{API}/cards/{card.pk}").json()
    assert detail["number"] == card.number and len(detail["item_list"]) == 6
    assert detail["url"].endswith(f"/cards/{card.pk}/")
    as_user(client, cw.outsider_staff)
    assert client.get(f"{API}/cards").json()["items"] == []
    assert client.get(f"{API}/cards/{card.pk}").status_code == 404
    as_user(client, cw.world.users["outsider"])
    assert client.get(f"{API}/cards/{card.pk}").status_code == 404


@pytest.mark.parametrize(
    ("method", "path", "payload"),
    [
        ("put", "items", {"items": ["x"]}),
        ("post", "issue", None),
        ("post", "void", {"reason": "x"}),
        ("post", "summary", {"summaries": {}}),
        ("post", "spot-checks", {"note": "x"}),
    ],
)
def test_every_move_is_404_outside_the_jurisdiction(client, cw, card, method, path, payload):
    from jiandu.accounts import roles as r
    from jiandu.testing import make_user

    # Every permission of the cards, but in another county.
    outsider = make_user(
        "panlong-all", cw.world.other_county, r.ROLE_STATISTICS, r.ROLE_RECTIFICATION
    )
    as_user(client, outsider)
    call = getattr(client, method)
    response = call(f"{API}/cards/{card.pk}/{path}", payload or {}, content_type="application/json")
    assert response.status_code == 404, response.content


def test_create_issue_and_batch(client, cw):
    year, quarter = previous_quarter()
    template = ListTemplate.objects.get(key=RESPONSIBILITY_KEY, archived_at__isnull=True)
    as_user(client, cw.stats)
    response = client.post(
        f"{API}/cards",
        {"committee": cw.committee.pk, "post": cw.unit_head.pk, "year": year, "quarter": quarter,
         "items": ["甲", "乙"]},
        content_type="application/json",
    )  # fmt: skip
    assert response.status_code == 201, response.content
    draft = response.json()
    assert draft["status"] == "draft" and [i["text"] for i in draft["item_list"]] == ["甲", "乙"]
    issued = client.post(f"{API}/cards/{draft['id']}/issue").json()
    assert issued["number"].startswith("中共五华区委提〔")
    again = client.post(f"{API}/cards/{draft['id']}/issue")
    assert again.status_code == 409
    batch = client.post(
        f"{API}/issue-batch",
        {"committee": cw.committee.pk, "year": year, "quarter": quarter,
         "template": template.pk, "posts": [cw.vice_mayor.pk, cw.deputy_secretary.pk]},
        content_type="application/json",
    )  # fmt: skip
    assert batch.status_code == 201 and len(batch.json()["cards"]) == 2
    assert batch.json()["items"] == 12


def test_bad_input_names_the_field(client, cw):
    year, quarter = previous_quarter()
    as_user(client, cw.stats)
    outside_post = cw.world.other_county.pk  # not a post id of the jurisdiction
    response = client.post(
        f"{API}/cards",
        {"committee": cw.committee.pk, "post": 999999, "year": year, "quarter": quarter,
         "items": ["甲"]},
        content_type="application/json",
    )  # fmt: skip
    assert response.status_code == 422 and "post" in response.json()["errors"]
    response = client.post(
        f"{API}/cards",
        {"committee": outside_post, "post": cw.unit_head.pk, "year": year, "quarter": 5},
        content_type="application/json",
    )
    assert response.status_code == 422 and "quarter" in response.json()["errors"]


def test_summary_by_the_unit_and_spot_check_by_the_commission(client, cw, card):
    items = card.items.order_by("order")
    as_user(client, cw.staff)
    response = client.post(
        f"{API}/cards/{card.pk}/summary",
        {"summaries": {str(items[0].pk): "已召开专题会"}},
        content_type="application/json",
    )
    assert response.status_code == 200
    assert response.json()["item_list"][0]["summary"] == "已召开专题会"
    assert (
        client.post(
            f"{API}/cards/{card.pk}/spot-checks", {"note": "x"}, content_type="application/json"
        ).status_code
        == 403
    )
    as_user(client, cw.stats)
    response = client.post(
        f"{API}/cards/{card.pk}/spot-checks",
        {"note": "抽查", "findings": ["台账不全"]},
        content_type="application/json",
    )
    assert response.status_code == 201
    assert response.json()["spot_checks"][0]["problems"][0]["number"].startswith("WT")
    assert ReminderCard.objects.get(pk=card.pk).status == "issued"


def test_templates_are_listed_for_every_card_user(client, cw):
    as_user(client, cw.staff)
    names = [t["name"] for t in client.get(f"{API}/templates").json()]
    assert "党员干部“八小时以外”负面清单" in names
    assert client.get(f"{API}/templates/999999").status_code == 404
    as_user(client, cw.world.users["auditor"])
    assert client.get(f"{API}/templates").status_code == 403
