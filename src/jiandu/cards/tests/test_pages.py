"""The card pages as each side uses them: ``stats`` lists a committee's leaders and
issues their cards; the leader's unit returns the summary; a checking commission
records a spot check; outside the jurisdiction a card does not exist (404); overdue
cards are flagged in the list."""

from __future__ import annotations

import datetime as dt

import pytest

from jiandu.cards.models import ListTemplate, ReminderCard
from jiandu.cards.reference import RESPONSIBILITY_KEY
from jiandu.cards.tests.conftest import previous_quarter
from jiandu.oversight.models import Problem
from jiandu.testing import code_like_text

pytestmark = pytest.mark.django_db


def setup_query(cw):
    year, quarter = previous_quarter()
    template = ListTemplate.objects.get(key=RESPONSIBILITY_KEY, archived_at__isnull=True)
    return {"committee": cw.committee.pk, "year": year, "quarter": quarter, "template": template.pk}


def issue_all(client, cw):
    client.force_login(cw.stats)
    query = setup_query(cw)
    page = client.get("/cards/issue/", query).content.decode()
    for post in (cw.deputy_secretary, cw.vice_mayor, cw.township_head, cw.unit_head):
        assert f'value="{post.pk}"' in page
    assert "同级党委常委" in page and "政府党组副职" in page and "下级党委（党组）一把手" in page
    response = client.post(
        "/cards/issue/",
        {**query, "mode": "issue", "post": [cw.township_head.pk, cw.vice_mayor.pk]},
    )
    assert response.status_code == 302
    return ReminderCard.objects.order_by("pk")


def test_stats_issues_the_quarters_cards_for_a_committee(client, cw):
    cards = issue_all(client, cw)
    assert [c.status for c in cards] == ["issued", "issued"]
    listing = client.get("/cards/").content.decode()
    assert all(c.number in listing for c in cards)
    assert not code_like_text(listing)


def test_a_draft_is_edited_then_issued_on_its_page(client, cw):
    client.force_login(cw.stats)
    client.post("/cards/issue/", {**setup_query(cw), "mode": "draft", "post": [cw.unit_head.pk]})
    card = ReminderCard.objects.get()
    assert card.status == "draft"
    client.post(f"/cards/{card.pk}/edit/", {"items": "一项\n两项"})
    assert list(card.items.values_list("text", flat=True)) == ["一项", "两项"]
    client.post(f"/cards/{card.pk}/issue/")
    card.refresh_from_db()
    assert card.status == "issued" and card.number


def test_the_leaders_unit_returns_the_summary_on_the_cards_page(client, cw):
    card = issue_all(client, cw).get(leader_org=cw.world.township)
    client.force_login(cw.staff)
    page = client.get(f"/cards/{card.pk}/").content.decode()
    assert "报送履责小结" in page
    items = list(card.items.order_by("order"))
    response = client.post(
        f"/cards/{card.pk}/summary/",
        {f"item_{i.pk}": f"第{i.order}项已落实" for i in items},
    )
    assert response.status_code == 302
    assert all(i.summarised_on for i in card.items.all())
    # The other card (the 副区长's) is not the township's: it does not exist for its staff.
    other = ReminderCard.objects.exclude(pk=card.pk).get()
    assert client.get(f"/cards/{other.pk}/").status_code == 404
    assert client.post(f"/cards/{other.pk}/summary/", {}).status_code == 404


def test_outside_the_jurisdiction_a_card_does_not_exist(client, cw):
    card = issue_all(client, cw).first()
    client.force_login(cw.world.users["outsider"])
    for path in ("", "print/", "qr.png", "card.docx", "spot-check/"):
        assert client.get(f"/cards/{card.pk}/{path}").status_code in (403, 404), path
    assert client.get(f"/cards/{card.pk}/").status_code == 404


def test_a_spot_check_with_a_finding_opens_a_problem(client, cw):
    card = issue_all(client, cw).first()
    client.force_login(cw.stats)
    response = client.post(
        f"/cards/{card.pk}/spot-check/",
        {"checked_on": dt.date.today().isoformat(), "note": "走访社区", "findings": "未到社区报到"},
    )
    assert response.status_code == 302
    problem = Problem.objects.get(origin_type="cards.spotcheck")
    assert problem.org == card.leader_org
    page = client.get(f"/cards/{card.pk}/").content.decode()
    assert problem.number in page
    # The room supervising the county checks too; the unit's own staff may not.
    client.force_login(cw.world.users["room"])
    assert "记录抽查" in client.get(f"/cards/{card.pk}/").content.decode()
    assert client.get(f"/cards/{card.pk}/spot-check/").status_code == 200
    client.force_login(cw.staff)
    assert client.get(f"/cards/{card.pk}/spot-check/").status_code == 403


def test_overdue_cards_are_flagged_in_the_list(client, cw):
    cards = issue_all(client, cw)
    cards.update(summary_due=dt.date.today() - dt.timedelta(days=1))
    client.force_login(cw.stats)
    page = client.get("/cards/", {"overdue": "on"}).content.decode()
    assert page.count("逾期未总结") >= 2
    assert all(c.number in page for c in cards)
