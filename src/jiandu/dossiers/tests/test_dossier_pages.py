"""The 精准画像 pages and API: built from the records, opened with a purpose (audited),
scoped (404 outside the jurisdiction), 纪检监察干部 behind their own permission."""

import datetime as dt

import pytest
from django.urls import reverse

from jiandu.core.models import AuditLog
from jiandu.dossiers import selectors, services
from jiandu.dossiers.choices import ItemKind
from jiandu.dossiers.models import ColourRule, ColourTable, DossierItem

D = dt.date
pytestmark = pytest.mark.django_db


def login(client, user):
    client.force_login(user)
    return client


def test_dossier_is_built_from_the_records(dw):
    d = selectors.person_dossier(dw.zhang, as_of=D(2018, 12, 31), purpose="评先评优")
    colours = sorted((x.item.kind, x.colour) for x in d.dots)
    assert colours == [("clue_subject", "blue"), ("outcome_party", "black")]
    assert d.grade.grade == "较差"  # a black dot caps the grade
    assert [p.sanction.category for p in d.opinion.in_effect] == ["警告"]
    assert d.opinion.in_effect[0].until == D(2019, 6, 15)
    assert not d.opinion.eligible_for_award
    assert d.opinion.verdict == "有影响"
    black = [x for x in d.grade.deciding if x.colour == "black"]
    assert black and black[0].item.ref == dw.warning


def test_open_case_review_raises_a_pre_black_warning(dw):
    d = selectors.person_dossier(dw.zhang, as_of=D(2018, 5, 1))
    assert any("立案审查" in w for w in d.warnings)
    assert d.opinion.open_matters[0].stage == "立案审查"
    later = selectors.person_dossier(dw.li, as_of=D(2026, 2, 1))
    assert [m.stage for m in later.opinion.open_matters] == ["初步核实"]


def test_imported_items_colour_by_the_table_in_force_as_of(dw):
    DossierItem.objects.create(person=dw.wang, kind=ItemKind.COMMENDATION, title="优秀共产党员",
                               occurred_on=D(2024, 7, 1), source_body="市委组织部",
                               created_by=dw.stats)  # fmt: skip
    before = selectors.person_dossier(dw.wang, as_of=D(2025, 1, 1))
    assert [x.colour for x in before.dots] == ["red"]
    table = ColourTable.objects.create(version="2025-06", valid_from=D(2025, 6, 1))
    ColourRule.objects.create(table=table, item_kind=ItemKind.COMMENDATION, colour="blue")
    after = selectors.person_dossier(dw.wang, as_of=D(2025, 7, 1))
    assert [x.colour for x in after.dots] == ["blue"]
    again = selectors.person_dossier(dw.wang, as_of=D(2025, 1, 1))
    assert [x.colour for x in again.dots] == ["red"]  # old answers unchanged


def test_the_page_opens_only_with_a_purpose_and_each_opening_is_audited(dw, client):
    login(client, dw.stats)
    url = reverse("dossiers:person", args=[dw.zhang.pk])
    page = client.get(url)
    assert page.status_code == 200 and "查阅事由" in page.content.decode()
    assert not AuditLog.objects.filter(summary__contains="查阅干部政治生态档案").exists()
    page = client.get(url, {"reason": "干部提拔前审查", "as_of": "2018-12-31",
                            "purpose": "评先评优"})  # fmt: skip
    text = page.content.decode()
    assert "黑色" in text and "较差" in text and "2018年度不能评先评优" in text
    row = AuditLog.objects.get(summary__contains="查阅干部政治生态档案")
    assert "干部提拔前审查" in row.summary and row.actor == dw.stats
    client.get(url, {"reason": "再次查阅", "purpose": "提拔任用"})
    assert AuditLog.objects.filter(summary__contains="查阅干部政治生态档案").count() == 2


def test_out_of_jurisdiction_is_404_on_pages_and_api(dw, client):
    login(client, dw.county_user)
    for pk in (dw.zhang.pk, dw.outsider.pk):
        url = reverse("dossiers:person", args=[pk])
        assert client.get(url, {"reason": "查看", "purpose": "提拔任用"}).status_code == 404
        api = f"/api/v1/dossiers/people/{pk}/?reason=查看"
        assert client.get(api).status_code == 404
    assert client.get(f"/api/v1/dossiers/units/{dw.rw.world.unit_a.pk}/?reason=x1").status_code \
        == 404  # fmt: skip
    assert not AuditLog.objects.filter(summary__contains="政治生态档案：").exists()


def test_inspector_dossiers_need_their_own_permission(dw, client):
    from jiandu.accounts import roles as r
    from jiandu.testing import role_group

    login(client, dw.stats)
    url = reverse("dossiers:person", args=[dw.inspector.pk])
    assert client.get(url, {"reason": "查看", "purpose": "提拔任用"}).status_code == 404
    assert client.get(f"/api/v1/dossiers/people/{dw.inspector.pk}/?reason=查看").status_code == 404
    dw.stats.groups.add(role_group(r.ROLE_INSPECTOR_DOSSIER))
    client.logout()
    login(client, dw.stats)
    assert client.get(url, {"reason": "查看", "purpose": "提拔任用"}).status_code == 200


def test_api_dossier_and_audit(dw, client):
    login(client, dw.stats)
    missing = client.get(f"/api/v1/dossiers/people/{dw.zhang.pk}/")
    assert missing.status_code in (400, 422)
    response = client.get(f"/api/v1/dossiers/people/{dw.zhang.pk}/",
                          {"reason": "年度考核", "as_of": "2018-12-31"})  # fmt: skip
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["grade"]["grade"] == "较差"
    assert body["in_effect"][0]["until"] == "2019-06-15"
    assert "第十条" in body["in_effect"][0]["article"]
    assert AuditLog.objects.filter(summary__contains="事由：年度考核").count() == 1
    unit = client.get(f"/api/v1/dossiers/units/{dw.rw.world.unit_a.pk}/", {"reason": "单位评先"})
    assert unit.status_code == 200


def test_unit_page_shows_cadres_aggregate(dw, client):
    login(client, dw.stats)
    url = reverse("dossiers:org", args=[dw.rw.world.unit_a.pk])
    page = client.get(url, {"reason": "单位评先评优", "purpose": "评先评优"})
    text = page.content.decode()
    assert page.status_code == 200 and "张明" in text and "本单位干部（3人）" in text


def test_opening_needs_a_reason(dw):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        services.dossier_opened(actor=dw.stats, subject=dw.zhang, reason=" ", as_of=D(2026, 1, 1))
