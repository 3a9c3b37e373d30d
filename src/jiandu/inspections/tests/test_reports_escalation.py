"""双报告 and 提级 on their pages and API: the team's reports filed (with the signed file,
through core.files) in 报告阶段, 巡察办 reviewing them where a comment opens a problem or
a clue linked back; the 提级 suggestion on the clue's page, decided by the handling
unit with a reason; scoping (the target county looks, others get 404)."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from jiandu.inspections import services
from jiandu.inspections.choices import RoundStage
from jiandu.inspections.models import EscalationSuggestion, RoundReport
from jiandu.inspections.tests.helpers import make_round
from jiandu.oversight.models import ProblemCategory

pytestmark = pytest.mark.django_db
API = "/api/v1/inspections"


@pytest.fixture
def item(rw, actor, pool):
    item = make_round(rw, actor, targets=[rw.world.county])
    services.round_draw(actor=actor, round=item, seed=3)
    services.round_advance(actor=actor, round=item, to_stage=RoundStage.STATIONED)
    return item


def test_reports_filed_reviewed_and_a_comment_opens_a_clue(client, rw, actor, item, settings):
    w = rw.world
    client.force_login(actor)
    url = reverse("inspections:round_reports", args=[item.pk])
    target = item.targets.get()
    page = client.get(url).content.decode()
    assert 'enctype="multipart/form-data"' not in page  # not yet 报告阶段
    services.round_advance(actor=actor, round=item, to_stage=RoundStage.REPORTING)
    settings.JIANDU_MAX_UPLOAD_BYTES = 1024
    big = SimpleUploadedFile("巡察报告.pdf", b"x" * 2048, content_type="application/pdf")
    refused = client.post(url, {"target": target.pk, "kind": "inspection", "text": "总体情况",
                                "file": big})  # fmt: skip
    assert refused.status_code == 422 and "超过大小上限" in refused.content.decode()
    assert not RoundReport.objects.exists()  # all or nothing
    signed = SimpleUploadedFile("巡察报告.pdf", b"%PDF-1.4 report", content_type="application/pdf")
    client.post(url, {"target": target.pk, "kind": "inspection", "text": "总体情况良好",
                      "file": signed})  # fmt: skip
    client.post(url, {"target": target.pk, "kind": "clues", "text": "发现线索2件"})
    report = RoundReport.objects.get(kind="inspection")
    detail = client.get(reverse("inspections:report_detail", args=[report.pk])).content.decode()
    assert "总体情况良好" in detail and "巡察报告.pdf" in detail
    file_row = report.files.get()
    download = client.get(reverse("inspections:report_file_download",
                                  args=[report.pk, file_row.pk]))  # fmt: skip
    assert download.content == b"%PDF-1.4 report"
    # 巡察办's review: one comment opens a problem, one a clue (seed 002: a missed clue).
    comment_url = reverse("inspections:report_comment", args=[report.pk])
    client.post(comment_url, {"text": "报告未写明三资管理问题", "outcome": "problem",
                              "category": ProblemCategory.objects.first().pk})  # fmt: skip
    client.post(comment_url, {"text": "某村主任侵占集体资金线索未移交", "outcome": "clue",
                              "clue_title": "某村主任侵占集体资金"})  # fmt: skip
    comments = list(report.comments.order_by("pk"))
    assert comments[0].problem is not None and comments[1].clue is not None
    assert comments[1].clue.source == "inspection" and item.clues.count() == 1
    detail = client.get(reverse("inspections:report_detail", args=[report.pk])).content.decode()
    assert reverse("oversight:problem_detail", args=[comments[0].problem.pk]) in detail
    assert reverse("clues:clue_detail", args=[comments[1].clue.pk]) in detail

    # The inspected county sees the reports but does not review them.
    client.force_login(rw.accounts["wuhua"])
    assert client.get(reverse("inspections:report_detail", args=[report.pk])).status_code == 200
    assert client.post(comment_url, {"text": "x", "outcome": "note"}).status_code == 403
    assert client.post(f"{API}/reports/{report.pk}/comments", {"text": "x"},
                       content_type="application/json").status_code == 403  # fmt: skip
    # Another county: the round and its reports do not exist.
    client.force_login(rw.accounts["dongchuan"])
    assert client.get(reverse("inspections:report_detail", args=[report.pk])).status_code == 404
    assert client.get(url).status_code == 404
    assert client.get(f"{API}/reports/{report.pk}").status_code == 404
    assert client.get(f"{API}/rounds/{item.pk}/reports").status_code == 404
    assert w.county.name  # the world is the role world's


def test_report_api(client, rw, actor, item):
    w = rw.world
    client.force_login(actor)
    early = client.post(f"{API}/rounds/{item.pk}/reports",
                        {"org": w.county.pk, "kind": "inspection", "text": "x"},
                        content_type="application/json")  # fmt: skip
    assert early.status_code == 422 and "报告阶段" in early.json()["detail"]
    services.round_advance(actor=actor, round=item, to_stage=RoundStage.REPORTING)
    filed = client.post(f"{API}/rounds/{item.pk}/reports",
                        {"org": w.county.pk, "kind": "clues", "text": "线索报告"},
                        content_type="application/json")  # fmt: skip
    assert filed.status_code == 201 and filed.json()["kind_label"] == "专题报告（问题线索报告）"
    report_id = filed.json()["id"]
    reviewed = client.post(f"{API}/reports/{report_id}/comments",
                           {"text": "漏报一件线索", "outcome": "clue"},
                           content_type="application/json")  # fmt: skip
    assert reviewed.status_code == 201
    comment = reviewed.json()["comments"][0]
    assert comment["outcome_label"] == "发现问题线索" and comment["clue_number"]
    assert [r["id"] for r in client.get(f"{API}/rounds/{item.pk}/reports").json()] == [report_id]


@pytest.fixture
def suggested(rw, actor, item):
    """A 巡察移交 clue about 扶贫 handled by 红云街道: 提级 to 五华区 is suggested."""
    w = rw.world
    clue = services.clue_transfer(actor=actor, round=item, org=w.county, title="扶贫资金被截留",
                                  handling_org=w.township, domains=[w.poverty])  # fmt: skip
    return clue, EscalationSuggestion.objects.get(clue=clue)


def test_escalation_decided_on_the_clue_page(client, rw, actor, suggested):
    clue, suggestion = suggested
    page = reverse("clues:clue_detail", args=[clue.pk])
    decide = reverse("inspections:escalation_decide", args=[suggestion.pk])
    # The city office sees the suggestion, but the handling unit decides.
    client.force_login(actor)
    body = client.get(page).content.decode()
    assert "提级建议" in body and "建议提级到五华区纪委监委" in body and decide not in body
    client.force_login(rw.accounts["wuhua"])
    body = client.get(page).content.decode()
    assert decide in body
    missing = client.post(decide, {"decision": "decline", "reason": ""}, follow=True)
    assert "请选择决定并填写理由" in missing.content.decode()
    client.post(decide, {"decision": "decline", "reason": "街道已立案，无需提级"})
    suggestion.refresh_from_db()
    assert suggestion.status == "declined" and suggestion.reason == "街道已立案，无需提级"
    body = client.get(page).content.decode()
    assert "不提级" in body and "街道已立案，无需提级" in body and decide not in body
    client.force_login(rw.accounts["dongchuan"])
    assert client.post(decide, {"decision": "confirm", "reason": "x"}).status_code == 404


def test_escalation_api_confirms_once(client, rw, suggested):
    clue, suggestion = suggested
    client.force_login(rw.accounts["dongchuan"])
    assert client.get(f"{API}/clues/{clue.pk}/escalations").status_code == 404
    assert client.post(f"{API}/escalations/{suggestion.pk}/decide",
                       {"confirm": True, "reason": "x"},
                       content_type="application/json").status_code == 404  # fmt: skip
    client.force_login(rw.accounts["wuhua"])
    listed = client.get(f"{API}/clues/{clue.pk}/escalations").json()
    assert [s["status_label"] for s in listed] == ["待确认"]
    done = client.post(f"{API}/escalations/{suggestion.pk}/decide",
                       {"confirm": True, "reason": "涉及扶贫领域，提级办理"},
                       content_type="application/json")  # fmt: skip
    assert done.status_code == 200 and done.json()["status_label"] == "已提级"
    clue.refresh_from_db()
    assert clue.handling_org_id == rw.world.county.pk
    again = client.post(f"{API}/escalations/{suggestion.pk}/decide",
                        {"confirm": False, "reason": "x"},
                        content_type="application/json")  # fmt: skip
    assert again.status_code == 409
