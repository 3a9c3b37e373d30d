"""The four counts equal the lengths of the lists they open (selector, page and API);
every page and API endpoint answers 404 outside the jurisdiction; the set-up and list
pages work for the roles that use them."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse

from jiandu.oversight.choices import RectificationAction as A
from jiandu.oversight.services import Upload, rectification_move
from jiandu.supervision import selectors, services
from jiandu.supervision.models import Campaign, ListEntry, WarningCard
from jiandu.supervision.tests.conftest import xlsx
from jiandu.testing import make_user

pytestmark = pytest.mark.django_db
STAGES = {"immediate": "immediate", "working": "in_progress", "pending": "pending",
          "closed": "closed"}  # fmt: skip


@pytest.fixture
def problems(inspection, stats, rectify, category, rw):
    """unit_a: 2 立行立改, 1 待整改, 2 正在整改 (one awaiting acceptance), 1 已销号;
    the township: 1 立行立改, 2 待整改."""
    w = rw.world

    def find(org, immediate=False):
        return services.inspection_finding_add(
            actor=stats, inspection=inspection, org=org, description="问题", category=category,
            immediate_reason="当场清退" if immediate else "",
            evidence=[Upload("凭证.pdf", b"%PDF")] if immediate else None,
        )  # fmt: skip

    for _ in range(2):
        find(w.unit_a, immediate=True)
    find(w.unit_a)
    working = [find(w.unit_a) for _ in range(3)]
    for p in working:
        rectification_move(actor=rectify, rectification=p.rectification, action=A.PLAN, text="方案")
    for p in working[1:]:
        rectification_move(
            actor=rectify, rectification=p.rectification, action=A.SUBMIT, text="报告"
        )
    rectification_move(actor=stats, rectification=working[2].rectification, action=A.ACCEPT)
    find(w.township, immediate=True)
    find(w.township)
    find(w.township)
    return inspection.campaign


def test_counts_equal_the_lengths_of_the_lists_they_open(problems, stats, rectify, client, rw):
    campaign = problems
    w = rw.world
    counts = selectors.campaign_counts(user=stats, campaign=campaign)
    assert (counts.totals.immediate, counts.totals.in_progress, counts.totals.pending,
            counts.totals.closed) == (3, 2, 3, 1)  # fmt: skip
    client.force_login(stats)
    url = reverse("supervision:campaign_problems", args=[campaign.pk])
    rows = {r["id"]: r for r in counts.units}
    for stage, attr in STAGES.items():
        expected = getattr(counts.totals, attr)
        assert (
            selectors.campaign_problems(user=stats, campaign=campaign, stage=stage).count()
            == expected
        )
        page = client.get(url, {"stage": stage}).content.decode()
        assert re.search(r'id="item-count">(\d+)<', page).group(1) == str(expected)
        assert page.count('class="problem-row"') == expected
        api = client.get(f"/api/v1/supervision/campaigns/{campaign.pk}/problems", {"stage": stage})
        assert api.json()["count"] == len(api.json()["items"]) == expected
        for org in (w.unit_a, w.township):
            n = rows[org.pk][attr]
            listed = client.get(url, {"stage": stage, "org": org.pk}).content.decode()
            assert listed.count('class="problem-row"') == n
    detail = client.get(reverse("supervision:campaign_detail", args=[campaign.pk])).content.decode()
    assert 'id="total-immediate">3<' in detail and 'id="total-pending">3<' in detail
    # The unit's staff see their own unit's counts and items only.
    unit_counts = selectors.campaign_counts(user=rectify, campaign=campaign)
    assert unit_counts.totals.total == 6
    assert [r["id"] for r in unit_counts.units] == [w.unit_a.pk]


def test_pages_and_api_are_404_outside_the_jurisdiction(problems, stats, client, rw):
    campaign = problems
    w = rw.world
    services.warning_cards_check(actor=stats, today=dt.date.today() + dt.timedelta(days=400))
    card = WarningCard.objects.filter(org=w.unit_a).first()
    inspection = campaign.inspections.get()
    outsider = w.users["outsider"]
    from jiandu.accounts import roles
    from jiandu.testing import role_group

    outsider.groups.add(role_group(roles.ROLE_STATISTICS))
    client.force_login(outsider)
    pages = [
        reverse("supervision:campaign_detail", args=[campaign.pk]),
        reverse("supervision:campaign_problems", args=[campaign.pk]),
        reverse("supervision:unit_lists", args=[campaign.pk, w.unit_a.pk]),
        reverse("supervision:list_edit", args=[campaign.pk, w.unit_a.pk, "tasks"]),
        reverse("supervision:list_template", args=[campaign.pk, w.unit_a.pk, "tasks"]),
        reverse("supervision:inspection_detail", args=[inspection.pk]),
        reverse("supervision:team_create", args=[campaign.pk]),
        reverse("supervision:inspection_create", args=[campaign.pk]),
        reverse("supervision:card_download", args=[card.pk]),
    ]
    for url in pages:
        assert client.get(url).status_code == 404, url
    assert (
        client.post(reverse("supervision:finding_create", args=[inspection.pk])).status_code == 404
    )
    api = "/api/v1/supervision"
    for url in (
        f"{api}/campaigns/{campaign.pk}",
        f"{api}/campaigns/{campaign.pk}/problems",
        f"{api}/campaigns/{campaign.pk}/units/{w.unit_a.pk}/lists/tasks",
        f"{api}/campaigns/{campaign.pk}/inspections",
        f"{api}/cards/{card.pk}",
    ):
        assert client.get(url).status_code == 404, url
    assert client.get(f"{api}/campaigns").json() == []
    assert client.get(f"{api}/cards").json()["items"] == []
    put = client.put(
        f"{api}/campaigns/{campaign.pk}/units/{w.unit_a.pk}/lists/tasks",
        {"rows": [{"item": "x"}]},
        content_type="application/json",
    )
    assert put.status_code == 404
    post = client.post(
        f"{api}/inspections/{inspection.pk}/findings",
        {"org": w.unit_a.pk, "description": "x", "category": 1},
        content_type="application/json",
    )
    assert post.status_code == 404


def test_a_unit_sees_its_own_unit_only(problems, rectify, client, rw):
    campaign = problems
    w = rw.world
    client.force_login(rectify)
    assert (
        client.get(reverse("supervision:unit_lists", args=[campaign.pk, w.unit_a.pk])).status_code
        == 200
    )
    for org in (w.township, w.unit_b):
        url = reverse("supervision:unit_lists", args=[campaign.pk, org.pk])
        assert client.get(url).status_code == 404
        api = f"/api/v1/supervision/campaigns/{campaign.pk}/units/{org.pk}/lists/tasks"
        assert client.get(api).status_code == 404
    detail = client.get(f"/api/v1/supervision/campaigns/{campaign.pk}").json()
    assert [u["org"]["id"] for u in detail["units"]] == [w.unit_a.pk]
    # The unit does not run the campaign.
    assert (
        client.get(reverse("supervision:inspection_create", args=[campaign.pk])).status_code == 403
    )


def test_stats_sets_up_a_campaign_on_the_page(stats, client, rw):
    w = rw.world
    client.force_login(stats)
    form = client.get(reverse("supervision:campaign_create")).content.decode()
    assert "牵头责任单位" in form and "领导小组办公室" in form
    response = client.post(
        reverse("supervision:campaign_create"),
        {
            "name": "基层“微腐败”专项整治", "kind": "special", "starts_on": "2026-01-01",
            "ends_on": "2026-12-31", "lead_org": w.unit_b.pk, "units": [w.unit_a.pk],
            "chain_name_1": "牵头责任单位", "chain_org_1": w.unit_b.pk,
            "chain_name_2": "督导问责组", "chain_org_2": w.group1.pk,
            "chain_name_3": "领导小组办公室", "chain_org_3": "",
            "chain_name_4": "领导小组", "chain_org_4": w.city.pk,
        },
    )  # fmt: skip
    campaign = Campaign.objects.get()
    assert response.status_code == 302
    assert [c.name for c in campaign.chain.all()] == ["牵头责任单位", "督导问责组", "领导小组"]
    bad = client.post(reverse("supervision:campaign_create"), {"name": "x", "kind": "special"})
    assert bad.status_code == 422


def test_the_unit_fills_a_list_on_the_page_and_by_the_template(campaign, rectify, client, rw):
    org = rw.world.unit_a
    client.force_login(rectify)
    url = reverse("supervision:list_edit", args=[campaign.pk, org.pk, "work"])
    data = {"form-TOTAL_FORMS": "2", "form-INITIAL_FORMS": "0", "form-0-item": "建立台账",
            "form-0-due_on": "2026-06-30", "form-1-item": ""}  # fmt: skip
    assert client.post(url, data).status_code == 302
    assert list(ListEntry.objects.values_list("item", flat=True)) == ["建立台账"]
    template = client.get(reverse("supervision:list_template", args=[campaign.pk, org.pk, "work"]))
    assert template["Content-Type"].startswith("application/vnd.openxmlformats")
    upload = reverse("supervision:list_upload", args=[campaign.pk, org.pk, "work"])
    bad = xlsx([[1, "", "内容", "", "", ""]])
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = client.post(upload, {"file": SimpleUploadedFile("w.xlsx", bad)})
    assert response.status_code == 422
    assert "第2行“事项”：不能为空" in response.content.decode()
    good = SimpleUploadedFile("w.xlsx", template.content)
    assert client.post(upload, {"file": good}).status_code == 302
    assert ListEntry.objects.filter(archived_at__isnull=True).count() == 1
    # Another unit's list is not there for this unit.
    other = reverse("supervision:list_edit", args=[campaign.pk, rw.world.township.pk, "work"])
    assert client.get(other).status_code == 404


def test_a_unit_without_the_role_cannot_fill(campaign, client, rw):
    viewer = make_user("viewer", rw.world.unit_a)
    client.force_login(viewer)
    url = reverse("supervision:list_edit", args=[campaign.pk, rw.world.unit_a.pk, "tasks"])
    assert client.get(url).status_code == 403


def test_the_api_sets_up_a_campaign_records_a_finding_fills_a_list_and_checks_cards(
    stats, rectify, category, client, rw
):
    import base64

    w = rw.world
    client.force_login(stats)
    api = "/api/v1/supervision"
    body = {
        "name": "专项督导", "kind": "supervision", "starts_on": "2026-01-01",
        "ends_on": "2026-12-31", "lead_org": w.unit_b.pk, "units": [w.unit_a.pk],
        "chain": [{"name": "牵头责任单位", "org": w.unit_b.pk},
                  {"name": "领导小组", "org": w.city.pk}],
    }  # fmt: skip
    created = client.post(f"{api}/campaigns", body, content_type="application/json")
    assert created.status_code == 201, created.content
    campaign = Campaign.objects.get()
    assert [c["name"] for c in created.json()["chain"]] == ["牵头责任单位", "领导小组"]
    from jiandu.people.models import Person

    person = Person.objects.create(name="督导员乙", registered_org=w.city)
    team = services.team_create(actor=stats, campaign=campaign, name="督导组", members=[person])
    held = (dt.date.today() - dt.timedelta(days=40)).isoformat()
    inspection = client.post(
        f"{api}/campaigns/{campaign.pk}/inspections",
        {"held_on": held, "team": team.pk, "units": [w.unit_a.pk]},
        content_type="application/json",
    )
    assert inspection.status_code == 201, inspection.content
    finding = client.post(
        f"{api}/inspections/{inspection.json()['id']}/findings",
        {"org": w.unit_a.pk, "description": "公车私用", "category": category.pk, "notice": True},
        content_type="application/json",
    )
    assert finding.status_code == 201 and "改〔" in finding.json()["notice_number"]
    checked = client.post(f"{api}/cards/check").json()
    assert checked["checked"] == 1 and checked["issued"][0]["level_name"] == "牵头责任单位"
    assert client.post(f"{api}/cards/check").json()["issued"] == []
    client.force_login(rectify)
    url = f"{api}/campaigns/{campaign.pk}/units/{w.unit_a.pk}/lists/duties"
    put = client.put(
        url, {"rows": [{"item": "主要负责人第一责任"}]}, content_type="application/json"
    )
    assert put.status_code == 200 and put.json()["entries"][0]["position"] == 1
    bad = base64.b64encode(xlsx([[1, "", "x", "", "", ""]])).decode()
    refused = client.put(
        url, {"file": {"name": "d.xlsx", "data_base64": bad}}, content_type="application/json"
    )
    assert refused.status_code == 422 and "第2行“事项”：不能为空" in refused.json()["detail"]
    assert any("第2行“事项”：不能为空" in m for m in refused.json()["errors"]["file"])
    assert client.get(url).json()["entries"][0]["item"] == "主要负责人第一责任"
    assert [c["org"]["id"] for c in client.get(f"{api}/cards").json()["items"]] == [w.unit_a.pk]
    assert client.post(f"{api}/cards/check").status_code == 403


def test_the_pages_read_as_names(problems, stats, rectify, client, rw):
    from jiandu.testing import code_like_text

    campaign = problems
    w = rw.world
    services.warning_cards_check(actor=stats, today=dt.date.today() + dt.timedelta(days=40))
    inspection = campaign.inspections.get()
    pages = [
        reverse("supervision:campaign_list"),
        reverse("supervision:campaign_detail", args=[campaign.pk]),
        reverse("supervision:campaign_problems", args=[campaign.pk]) + "?stage=working",
        reverse("supervision:unit_lists", args=[campaign.pk, w.unit_a.pk]),
        reverse("supervision:list_edit", args=[campaign.pk, w.unit_a.pk, "tasks"]),
        reverse("supervision:inspection_detail", args=[inspection.pk]),
        reverse("supervision:card_list"),
    ]
    for user in (stats, rectify):
        client.force_login(user)
        for url in pages:
            response = client.get(url)
            assert response.status_code == 200, (user.username, url)
            assert code_like_text(response.content.decode()) == [], (user.username, url)
    client.force_login(stats)
    forms = [
        reverse("supervision:campaign_create"),
        reverse("supervision:team_create", args=[campaign.pk]),
        reverse("supervision:inspection_create", args=[campaign.pk]),
    ]
    for url in forms:
        response = client.get(url)
        assert response.status_code == 200 and code_like_text(response.content.decode()) == [], url
