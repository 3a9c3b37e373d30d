"""三本账 pages and API and the 质询会 on ledger rows, as the roles that do the work: a
county (``wuhua``) keeps and reports its own rows (page, .xlsx template: all or nothing,
errors naming row and column); the city office (``stats``) sees where each county stands
(each count opens its rows) and holds the 质询会 that marks rows 交账/销账/清账; another
county sees none of it (404)."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from docx import Document as Docx
from openpyxl import load_workbook

from jiandu.inspections import ledgers, services
from jiandu.inspections.choices import LedgerKind, RoundStage
from jiandu.inspections.models import LedgerReport, LedgerRow
from jiandu.inspections.tests.helpers import make_round

pytestmark = pytest.mark.django_db
API = "/api/v1/inspections"


@pytest.fixture
def rows(rw, actor, pool):
    w = rw.world
    item = make_round(rw, actor, targets=[w.county, w.township])
    services.round_draw(actor=actor, round=item, seed=3)
    services.round_advance(actor=actor, round=item, to_stage=RoundStage.STATIONED)
    for title in ("村集体资金问题", "工程项目围标"):
        services.clue_transfer(actor=actor, round=item, org=w.township, title=title,
                               handling_org=w.county)  # fmt: skip
    made = ledgers.ledger_rows_from_round(actor=actor, round=item, county=w.county)
    made.append(ledgers.ledger_row_add(actor=actor, county=w.county, kind=LedgerKind.GOVERNANCE,
                                       title="规范村级财务报账", round=item))  # fmt: skip
    other = ledgers.ledger_row_add(actor=actor, county=w.other_county, kind=LedgerKind.ASSIGNED,
                                   title="盘龙区市级交办事项")  # fmt: skip
    return made, other


def test_county_reports_on_the_page_and_through_the_template(client, rw, rows):
    made, other = rows
    w = rw.world
    client.force_login(rw.accounts["wuhua"])
    listing = client.get(reverse("inspections:ledger_list")).content.decode()
    assert "村集体资金问题" in listing and "盘龙区市级交办事项" not in listing
    assert client.get(reverse("inspections:ledger_row", args=[other.pk])).status_code == 404
    # One row on its page.
    row = made[0]
    month = timezone.localdate().strftime("%Y-%m")
    client.post(reverse("inspections:ledger_row_report", args=[row.pk]),
                {"month": month, "status": "open", "progress": "已初核"})  # fmt: skip
    row.refresh_from_db()
    assert row.progress == "已初核" and LedgerReport.objects.filter(row=row).count() == 1
    # The month through the template: an error names row and column, nothing is saved.
    template = client.get(reverse("inspections:ledger_template", args=[w.county.pk]))
    book = load_workbook(io.BytesIO(template.content))
    sheet = book.active
    assert [c.value for c in sheet[1]] == list(ledgers.TEMPLATE_HEADERS)
    sheet.cell(row=2, column=4, value="已立案审查")
    sheet.cell(row=2, column=5, value="已办结")
    sheet.cell(row=3, column=4, value="")
    buffer = io.BytesIO()
    book.save(buffer)
    upload = reverse("inspections:ledger_upload", args=[w.county.pk])
    bad = client.post(
        upload, {"month": month, "file": SimpleUploadedFile("月报.xlsx", buffer.getvalue())}
    )
    assert bad.status_code == 422 and "第3行“进展”列：请填写进展" in bad.content.decode()
    assert LedgerReport.objects.count() == 1
    sheet.cell(row=3, column=4, value="正在核查")
    sheet.cell(row=4, column=4, value="已起草制度")
    buffer = io.BytesIO()
    book.save(buffer)
    good = client.post(
        upload, {"month": month, "file": SimpleUploadedFile("月报.xlsx", buffer.getvalue())}
    )
    assert good.status_code == 302
    assert LedgerRow.objects.get(pk=sheet.cell(row=2, column=1).value).status == "done"
    assert LedgerReport.objects.count() == 3  # the page's report of that month replaced
    not_a_book = client.post(
        upload, {"month": month, "file": SimpleUploadedFile("月报.xlsx", b"nope")}
    )
    assert "不是有效的 .xlsx 文件" in not_a_book.content.decode()
    # Another county's template and upload do not exist for 五华区.
    assert client.get(reverse("inspections:ledger_template",
                              args=[w.other_county.pk])).status_code == 404  # fmt: skip


def test_city_overview_drills_to_the_rows(client, rw, actor, rows):
    made, _ = rows
    w = rw.world
    month = timezone.localdate().replace(day=1)
    ledgers.monthly_report(actor=actor, county=w.county, month=month,
                           lines=[ledgers.ProgressLine(made[0].pk, "已办结", "done")])  # fmt: skip
    client.force_login(actor)
    page = client.get(reverse("inspections:ledger_overview")).content.decode()
    assert "五华区纪委监委" in page and "盘龙区纪委监委" in page
    drill = f"?county={w.county.pk}&amp;kind=transferred&amp;status=done"
    assert drill in page
    listing = client.get(
        reverse("inspections:ledger_list"),
        {"county": w.county.pk, "kind": "transferred", "status": "done"},
    )
    assert [r["id"] for r in listing.context["page"].items] == [made[0].pk]
    reported = client.get(
        reverse("inspections:ledger_list"),
        {"county": w.county.pk, "reported": month.strftime("%Y-%m")},
    )
    assert [r["id"] for r in reported.context["page"].items] == [made[0].pk]
    overview = client.get(f"{API}/ledgers/overview").json()
    wuhua = [r for r in overview
             if r["county"]["id"] == w.county.pk and r["kind_key"] == "transferred"]  # fmt: skip
    assert wuhua[0]["total"] == 2 and wuhua[0]["done"] == 1 and wuhua[0]["reported"] == 1
    client.force_login(rw.accounts["dongchuan"])
    assert client.get(reverse("inspections:ledger_overview")).context["rows"] == []


def test_ledger_page_walks_forward_and_back_and_counts_a_bounded_number(
    client, rw, actor, rows, monkeypatch
):
    """The list pages on the id both ways (下一页 / 上一页), counts its rows only up to
    a bound ("N条以上" above it), and a county asked for outside the jurisdiction is an
    empty list."""
    from jiandu.inspections import selectors

    made, _other = rows
    w = rw.world
    extra = [ledgers.ledger_row_add(actor=actor, county=w.county, kind=LedgerKind.ASSIGNED,
                                    title=f"交办事项{i}") for i in range(3)]  # fmt: skip
    ids = sorted([r.pk for r in made + extra], reverse=True)  # six rows of 五华区
    client.force_login(rw.accounts["wuhua"])
    url = reverse("inspections:ledger_list")
    monkeypatch.setattr(selectors, "LEDGER_COUNT_UPTO", 4)
    seen, page_url = [], url + "?county=" + str(w.county.pk)
    for _ in range(3):
        response = client.get(page_url)
        page = response.context["page"]
        seen.append([r["id"] for r in page.items])
        if not response.context["next_url"]:
            break
        page_url = url + response.context["next_url"]
    # pages of 50: one page holds all six, counted exactly
    assert seen == [ids]
    assert (
        page.total == 6
        and page.total_exact
        and "共<strong>6</strong>条" in (response.content.decode())
    )
    first = selectors.ledger_page(user=rw.accounts["wuhua"], limit=2)
    assert [r["id"] for r in first.items] == ids[:2] and first.prev_cursor is None
    assert (first.total, first.total_exact) == (4, False)  # more than the bound
    second = selectors.ledger_page(user=rw.accounts["wuhua"], limit=2, after=first.next_cursor)
    assert [r["id"] for r in second.items] == ids[2:4]
    back = selectors.ledger_page(user=rw.accounts["wuhua"], limit=2, before=second.prev_cursor)
    assert [r["id"] for r in back.items] == ids[:2] and back.prev_cursor is None
    page = client.get(url, {"county": w.county.pk, "kind": "assigned"}).context["page"]
    assert [r["id"] for r in page.items] == sorted((r.pk for r in extra), reverse=True)
    listing = client.get(url).content.decode()
    assert "村集体资金问题" in listing and "盘龙区市级交办事项" not in listing
    # Another county's rows, asked for by id: nothing (not even its name).
    foreign = client.get(url, {"county": w.other_county.pk})
    assert foreign.context["page"].items == [] and "盘龙区市级交办事项" not in (
        foreign.content.decode()
    )
    assert client.get(f"{API}/ledgers", {"county": w.other_county.pk}).json()["items"] == []
    assert client.get(url, {"after": "not-a-cursor", "before": "%%%"}).status_code == 200


def test_ledger_api_keyset_pages_and_scoping(client, rw, actor, rows):
    made, other = rows
    w = rw.world
    client.force_login(rw.accounts["wuhua"])
    first = client.get(f"{API}/ledgers", {"limit": 2}).json()
    assert [r["id"] for r in first["items"]] == sorted((r.pk for r in made), reverse=True)[:2]
    second = client.get(f"{API}/ledgers", {"limit": 2, "after": first["next_cursor"]}).json()
    assert [r["id"] for r in second["items"]] == [min(r.pk for r in made)]
    assert second["next_cursor"] is None
    assert client.get(f"{API}/ledgers/{other.pk}").status_code == 404
    made_row = client.post(f"{API}/ledgers", {"county": w.county.pk, "kind": "assigned",
                                              "title": "市纪委交办：整治群众身边腐败"},
                           content_type="application/json")  # fmt: skip
    assert made_row.status_code == 201 and made_row.json()["kind_label"] == "市级交办事项台账"
    foreign = client.post(
        f"{API}/ledgers",
        {"county": w.other_county.pk, "kind": "assigned", "title": "x"},
        content_type="application/json",
    )
    assert foreign.status_code == 422
    bad = client.post(f"{API}/ledgers/reports",
                      {"county": w.county.pk, "month": "2026-10-01",
                       "lines": [{"row": made[0].pk, "progress": "已初核", "status": "open"},
                                 {"row": other.pk, "progress": "x", "status": "done"}]},
                      content_type="application/json")  # fmt: skip
    assert bad.status_code == 422 and "第2行“编号”列" in str(bad.json())
    assert not LedgerReport.objects.exists()
    good = client.post(f"{API}/ledgers/reports",
                       {"county": w.county.pk, "month": "2026-10-01",
                        "lines": [{"row": made[0].pk, "progress": "已初核", "status": "open"}]},
                       content_type="application/json")  # fmt: skip
    assert good.status_code == 200 and good.json()[0]["progress"] == "已初核"


def test_the_inquiry_meeting_marks_ledger_rows(client, rw, actor, rows):
    """The 质询会 of the reconciliation app works on the county's 三本账 rows."""
    from jiandu.reconciliation.models import InquiryMeeting

    made, other = rows
    w = rw.world
    client.force_login(actor)
    create = f"{reverse('reconciliation:inquiry_create')}?org={w.county.pk}"
    form = client.get(create).content.decode()
    assert "质询的台账事项" in form and "村集体资金问题" in form
    assert "盘龙区市级交办事项" not in form
    convening = rw.conduct_room.pk
    response = client.post(create, {
        "title": "五华区三本账质询会", "convening_org": convening,
        "held_on": timezone.localdate().isoformat(), "place": "市纪委会议室",
        "chair": "市委巡察办主任 张林", "participants": "五华区纪委书记 王某",
        "records": [f"inspections.ledgerrow:{made[0].pk}", f"inspections.ledgerrow:{made[2].pk}"],
    })  # fmt: skip
    assert response.status_code == 302, response.content.decode()[:2000]
    meeting = InquiryMeeting.objects.get()
    first, second = meeting.record_items.order_by("order")
    assert first.reference == f"巡察移交问题线索台账第{made[0].pk}号"
    client.post(reverse("reconciliation:inquiry_hold", args=[meeting.pk]))
    mark = reverse("reconciliation:inquiry_record_mark", args=[first.pk])
    refused = client.post(mark, {"decision": "close", "text": "已办结"})
    assert refused.status_code == 422 and "尚未办结（办理中），不能销账" in refused.content.decode()
    ledgers.monthly_report(actor=rw.accounts["wuhua"], county=w.county,
                           month=timezone.localdate(),
                           lines=[ledgers.ProgressLine(made[0].pk, "已立案", "done")])  # fmt: skip
    client.post(mark, {"decision": "close", "text": "已立案审查，销账"})
    client.post(reverse("reconciliation:inquiry_record_mark", args=[second.pk]),
                {"decision": "hand_over", "text": "一个月内建立制度"})  # fmt: skip
    detail = client.get(reverse("reconciliation:inquiry_detail", args=[meeting.pk])).content
    assert "已立案审查，销账" in detail.decode() and "一个月内建立制度" in detail.decode()
    client.post(reverse("reconciliation:inquiry_minutes", args=[meeting.pk]))
    meeting.refresh_from_db()
    assert meeting.status == "minuted"
    from jiandu.reconciliation import selectors as rec_selectors

    minutes = rec_selectors.inquiry_minutes(meeting)
    doc = Docx(io.BytesIO(minutes.file.read()))
    text = "\n".join(p.text for p in doc.paragraphs)
    text += "\n".join(c.text for t in doc.tables for r in t.rows for c in r.cells)
    assert "村集体资金问题" in text and "已立案审查，销账" in text and "一个月内建立制度" in text
    # API: the meeting shows its rows; another county's rows cannot be put on it.
    body = client.get(f"/api/v1/reconciliation/inquiries/{meeting.pk}").json()
    assert [r["decision_label"] for r in body["records"]] == ["销账", "交账"]
    foreign = client.post("/api/v1/reconciliation/inquiries", {
        "title": "质询会", "org": w.county.pk, "convening_org": convening,
        "held_on": timezone.localdate().isoformat(), "place": "会议室", "chair": "张林",
        "participants": ["王某"],
        "records": [{"record_type": "inspections.ledgerrow", "record_id": other.pk}],
    }, content_type="application/json")  # fmt: skip
    assert foreign.status_code == 422 and "没有这些台账事项" in foreign.json()["detail"]
    # The statistics office of another county: the meeting and its rows do not exist.
    from jiandu.accounts.roles import ROLE_STATISTICS
    from jiandu.testing import make_user

    client.force_login(make_user("panlong-stats", w.other_county, ROLE_STATISTICS))
    assert client.post(mark, {"decision": "clear", "text": "x"}).status_code == 404
    assert client.get(f"/api/v1/reconciliation/inquiries/{meeting.pk}").status_code == 404


def test_inquiry_record_marks_through_the_api(client, rw, actor, rows):
    made, _ = rows
    w = rw.world
    client.force_login(actor)
    created = client.post("/api/v1/reconciliation/inquiries", {
        "title": "质询会", "org": w.county.pk, "convening_org": rw.conduct_room.pk,
        "held_on": timezone.localdate().isoformat(), "place": "会议室", "chair": "张林",
        "participants": ["王某"],
        "records": [{"record_type": "inspections.ledgerrow", "record_id": made[1].pk}],
    }, content_type="application/json")  # fmt: skip
    assert created.status_code == 201, created.content
    item_id = created.json()["records"][0]["id"]
    early = client.post(
        f"/api/v1/reconciliation/inquiry-records/{item_id}/mark",
        {"decision": "clear", "text": "清账"},
        content_type="application/json",
    )
    assert early.status_code == 409
    client.post(f"/api/v1/reconciliation/inquiries/{created.json()['id']}/hold")
    done = client.post(f"/api/v1/reconciliation/inquiry-records/{item_id}/mark",
                       {"decision": "clear", "text": "移送立案，清账"},
                       content_type="application/json")  # fmt: skip
    assert done.status_code == 200 and done.json()["records"][0]["decision_label"] == "清账"
