"""廉政意见 batches: an .xlsx list matched by ID number (row errors, nothing created),
drafted by the period code, reviewed (override with reason), approved, issued with a
文号 as a .docx 函复 with an .xlsx annex; statistics per year; scoping of the API."""

import datetime as dt
import io

import pytest
from django.urls import reverse
from docx import Document as DocxDocument
from openpyxl import Workbook, load_workbook

from jiandu.dossiers import selectors, services
from jiandu.dossiers.models import OpinionBatch, SanctionDetail

D = dt.date
pytestmark = pytest.mark.django_db


def xlsx(rows, header=("姓名", "身份证号码")):
    wb = Workbook()
    ws = wb.active
    ws.title = "名单"
    ws.append(list(header))
    for row in rows:
        ws.append(list(row))
    buffer = io.BytesIO()
    wb.save(buffer)
    buffer.seek(0)
    buffer.name = "名单.xlsx"
    return buffer


def post_batch(client, dw, rows, **extra):
    data = {"requester": "市委组织部", "request_ref": "昆组函〔2019〕8号", "purpose": "评先评优",
            "as_of": "2018-12-31", "award_year": "2018", "received_on": "2019-01-10",
            "people_file": xlsx(rows), "units": "", **extra}  # fmt: skip
    return client.post(reverse("dossiers:batch_create"), data)


def test_a_bad_list_creates_nothing_and_names_the_rows(dw, client):
    client.force_login(dw.stats)
    response = post_batch(client, dw, [
        ("张明", dw.ids["zhang"]),
        ("李四", dw.ids["li"]),  # name does not match
        ("钱进", dw.ids["outsider"]),  # registered at 盘龙区: within the city's jurisdiction
        ("无名", "530102198001010000"),  # bad check digit or not registered
        ("张明", dw.ids["zhang"]),  # repeated
    ])  # fmt: skip
    text = response.content.decode()
    assert response.status_code == 200
    assert "第3行" in text and "不一致" in text
    assert "第5行" in text
    assert "第6行" in text and "重复" in text
    assert not OpinionBatch.objects.exists()


def test_inspectors_need_the_permission_in_a_list_too(dw, client):
    client.force_login(dw.stats)
    response = post_batch(client, dw, [("赵敏", dw.ids["inspector"])])
    assert "纪检监察干部" in response.content.decode()
    assert not OpinionBatch.objects.exists()


def test_upload_to_docx_the_whole_way(dw, client):
    client.force_login(dw.stats)
    unit = dw.rw.world.unit_b
    response = post_batch(client, dw, [("张明", dw.ids["zhang"]), ("王强", dw.ids["wang"])],
                          units=unit.name)  # fmt: skip
    batch = OpinionBatch.objects.get()
    assert response.status_code == 302
    lines = list(batch.lines.order_by("order"))
    assert [(x.name, x.drafted_verdict) for x in lines] == [
        ("张明", "有影响"), ("王强", "无影响"), ("市民政局", "无影响"),
    ]  # fmt: skip
    assert "2018年度不能评先评优" in lines[0].drafted_text
    assert lines[0].post == "市财政局副局长"
    # review: override 王强 towards 有影响 without a reason is refused, with one accepted
    url = reverse("dossiers:batch_review", args=[batch.pk])
    form = {f"v{x.pk}": x.drafted_verdict for x in lines} | {f"r{x.pk}": "" for x in lines}
    client.post(url, form | {f"v{lines[1].pk}": "有影响"})
    batch.refresh_from_db()
    assert batch.status == "drafted"
    client.post(url, form | {f"v{lines[1].pk}": "有影响", f"r{lines[1].pk}": "群众反映问题待核"})
    batch.refresh_from_db()
    assert batch.status == "reviewed"
    wang = batch.lines.get(name="王强")
    assert wang.verdict == "有影响" and wang.override_reason == "群众反映问题待核"
    # the reviewer cannot approve; the leader can
    assert client.post(reverse("dossiers:batch_approve", args=[batch.pk])).status_code == 403
    client.force_login(dw.leader)
    client.post(reverse("dossiers:batch_approve", args=[batch.pk]))
    batch.refresh_from_db()
    assert batch.status == "approved"
    client.force_login(dw.stats)
    client.post(reverse("dossiers:batch_issue", args=[batch.pk]))
    batch.refresh_from_db()
    assert batch.status == "issued" and batch.document.number.endswith("号")
    docx = client.get(reverse("dossiers:batch_docx", args=[batch.pk]))
    assert docx.status_code == 200
    text = "\n".join(p.text for p in DocxDocument(io.BytesIO(docx.content)).paragraphs)
    assert batch.document.number in text and "张明" in text and "王强" in text
    assert "提出不同意见" in text
    annex = client.get(reverse("dossiers:batch_xlsx", args=[batch.pk]))
    sheet = load_workbook(io.BytesIO(annex.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:5] == ("序号", "姓名或单位", "类别", "单位及职务", "意见")
    assert [r[1] for r in rows[1:]] == ["张明", "王强", "市民政局"]
    stats = selectors.batch_statistics(user=dw.stats)
    assert stats[0]["year"] == 2019 and stats[0]["batches"] == 1
    assert (stats[0]["people"], stats[0]["units"], stats[0]["people_objections"]) == (2, 1, 2)


def test_drafting_is_reproducible_after_later_records(dw):
    first = services.batch_create(
        actor=dw.stats, owner_org=dw.stats.org, requester="市委组织部", purpose="提拔任用",
        as_of=D(2018, 12, 31), received_on=D(2019, 1, 5), people=[dw.zhang],
    )  # fmt: skip
    # the warning is lifted later: a new draft as of the same date is the same
    SanctionDetail.objects.create(outcome=dw.warning, lifted_on=D(2019, 3, 1),
                                  lift_reason="表现良好", recorded_by=dw.stats)  # fmt: skip
    second = services.batch_create(
        actor=dw.stats, owner_org=dw.stats.org, requester="市委组织部", purpose="提拔任用",
        as_of=D(2018, 12, 31), received_on=D(2019, 4, 5), people=[dw.zhang],
    )  # fmt: skip
    a, b = first.lines.get(), second.lines.get()
    assert (a.drafted_verdict, a.drafted_text) == (b.drafted_verdict, b.drafted_text)
    assert "影响期至2019年6月15日" in a.drafted_text
    later = services.batch_create(
        actor=dw.stats, owner_org=dw.stats.org, requester="市委组织部", purpose="提拔任用",
        as_of=D(2019, 3, 15), received_on=D(2019, 4, 5), people=[dw.zhang],
    )  # fmt: skip
    line = later.lines.get()
    assert line.facts["in_effect"] == []  # lifted on 03-01
    # the case clue was never closed: still an open matter (正在核查)
    assert [m["category"] for m in line.facts["open_matters"]] == ["立案审查"]


def test_sanction_detail_is_checked_by_the_rules(dw):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError, match="只有留党察看"):
        services.sanction_detail_set(actor=dw.stats, outcome=dw.warning, period_months=12)
    with pytest.raises(ValidationError, match="理由"):
        services.sanction_detail_set(actor=dw.stats, outcome=dw.warning, lifted_on=D(2019, 1, 1))
    services.sanction_detail_set(actor=dw.stats, outcome=dw.warning, annulled_on=D(2018, 9, 1),
                                 annul_reason="复审撤销")  # fmt: skip
    d = selectors.person_dossier(dw.zhang, as_of=D(2018, 12, 31), purpose="评先评优")
    assert d.opinion.eligible_for_award and not d.opinion.in_effect
    assert all(x.colour != "black" for x in d.dots)


def test_api_batches_are_scoped_and_follow_the_steps(dw, client):
    client.force_login(dw.stats)
    body = {"requester": "市委组织部", "purpose": "提拔任用", "as_of": "2026-02-01",
            "received_on": "2026-02-02", "person_ids": [dw.li.pk, dw.wang.pk]}  # fmt: skip
    created = client.post("/api/v1/dossiers/batches/", body, content_type="application/json")
    assert created.status_code == 201, created.content
    data = created.json()
    assert [x["drafted_verdict"] for x in data["lines"]] == ["有影响", "无影响"]
    pk = data["id"]
    assert client.post(f"/api/v1/dossiers/batches/{pk}/approve/").status_code == 403
    reviewed = client.post(f"/api/v1/dossiers/batches/{pk}/review/", {"overrides": {}},
                           content_type="application/json")  # fmt: skip
    assert reviewed.status_code == 200 and reviewed.json()["status"] == "reviewed"
    again = client.post(f"/api/v1/dossiers/batches/{pk}/review/", {"overrides": {}},
                        content_type="application/json")  # fmt: skip
    assert again.status_code == 409
    client.force_login(dw.county_user)
    assert client.get(f"/api/v1/dossiers/batches/{pk}/").status_code == 404
    assert client.get("/api/v1/dossiers/batches/").json() == []
    outside = dict(body, person_ids=[dw.zhang.pk])
    response = client.post("/api/v1/dossiers/batches/", outside, content_type="application/json")
    assert response.status_code == 422
