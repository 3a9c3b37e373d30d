"""The 质询会: planned on problems of one unit, held, each problem marked 交账 / 销账 /
清账 with the decision, the agenda and the minutes (with a 文号) as .docx whose text is
checked with python-docx."""

from __future__ import annotations

import io

import pytest
from django.core.exceptions import ValidationError
from docx import Document as Docx

from jiandu.documents.choices import DocumentType
from jiandu.documents.models import Document
from jiandu.oversight.choices import RectificationAction
from jiandu.oversight.services import Upload, rectification_move
from jiandu.reconciliation.choices import InquiryStatus
from jiandu.reconciliation.lifecycle import TransitionError
from jiandu.reconciliation.services import (
    inquiry_agenda_docx,
    inquiry_create,
    inquiry_hold,
    inquiry_item_mark,
    inquiry_minutes_issue,
)
from jiandu.testing import make_user

pytestmark = pytest.mark.django_db


def docx_text(data: bytes) -> str:
    document = Docx(io.BytesIO(data))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.extend(cell.text for cell in row.cells)
    return "\n".join(parts)


@pytest.fixture
def meeting(rec):
    open_problem = rec.problem(source="inspection", description="违规聘请公职人员担任会计")
    closed_problem = rec.problem(source="supervision", description="公务接待超标准", day=8)
    rectification_move(
        actor=rec.stats,
        rectification=closed_problem.rectification,
        action=RectificationAction.IMMEDIATE,
        reason="当场退赔",
        files=[Upload("退赔凭证.pdf", b"%PDF")],
    )
    cleared = rec.problem(source="report", description="发展党员不规范", day=9)
    meeting = inquiry_create(
        actor=rec.stats,
        title="2026年第三季度巡察整改质询会",
        org=rec.world.unit_a,
        convening_org=rec.world.city,
        held_on=rec.day(60),
        place="市纪委监委第一会议室",
        chair="市委巡察办主任 张林",
        participants="统合巡察组组长 刘泽琦\n市财政局局长 王某",
        requirements="每月报送一次整改进展",
        problems=[open_problem, closed_problem, cleared],
    )
    return meeting, open_problem, closed_problem, cleared


def test_marks_need_a_held_meeting_a_text_and_for_closing_a_closed_rectification(rec, meeting):
    meeting, *_ = meeting
    first, second, third = meeting.items.order_by("order")
    with pytest.raises(TransitionError, match="筹备中"):
        inquiry_item_mark(actor=rec.stats, item=first, decision="hand_over", text="限期整改")
    inquiry_hold(actor=rec.stats, meeting=meeting)
    with pytest.raises(ValidationError, match="决定内容"):
        inquiry_item_mark(actor=rec.stats, item=first, decision="hand_over", text="")
    with pytest.raises(ValidationError, match="尚未销号"):
        inquiry_item_mark(actor=rec.stats, item=first, decision="close", text="已整改")
    inquiry_item_mark(actor=rec.stats, item=first, decision="hand_over", text="三个月内整改到位")
    inquiry_item_mark(actor=rec.stats, item=second, decision="close", text="已退赔，销账")
    with pytest.raises(TransitionError, match="未作决定"):
        inquiry_minutes_issue(actor=rec.stats, meeting=meeting)
    inquiry_item_mark(actor=rec.stats, item=third, decision="clear", text="取消违规发展党员资格")
    marks = [(i.get_decision_display(), i.decision_text) for i in meeting.items.order_by("order")]
    assert marks == [("交账", "三个月内整改到位"), ("销账", "已退赔，销账"),
                     ("清账", "取消违规发展党员资格")]  # fmt: skip


def test_the_minutes_take_a_number_and_say_each_decision(rec, meeting):
    meeting, open_problem, *_ = meeting
    inquiry_hold(actor=rec.stats, meeting=meeting)
    for item, decision in zip(meeting.items.order_by("order"), ("hand_over", "close", "clear"),
                              strict=True):  # fmt: skip
        inquiry_item_mark(actor=rec.stats, item=item, decision=decision, text=f"决定{item.order}")
    document = inquiry_minutes_issue(actor=rec.stats, meeting=meeting)
    meeting.refresh_from_db()
    assert meeting.status == InquiryStatus.MINUTED
    assert document.document_type == DocumentType.INQUIRY_MINUTES
    assert document.number.endswith("1号") and "纪要" in document.number
    text = docx_text(document.file.read())
    assert "2026年第三季度巡察整改质询会纪要" in text
    assert document.number in text
    assert "交账1项，销账1项，清账1项" in text
    assert "违规聘请公职人员担任会计" in text and open_problem.number in text
    assert "决定3" in text and "每月报送一次整改进展" in text
    assert "市委巡察办主任 张林" in text
    with pytest.raises(TransitionError, match="纪要已印发"):
        inquiry_item_mark(actor=rec.stats, item=meeting.items.first(), decision="clear", text="x")
    assert Document.objects.count() == 1


def test_the_agenda_lists_the_problems_to_be_checked(rec, meeting):
    meeting, open_problem, closed_problem, cleared = meeting
    text = docx_text(inquiry_agenda_docx(actor=rec.stats, meeting=meeting))
    assert "2026年第三季度巡察整改质询会议程" in text
    assert "市财政局汇报问题整改和问题线索办理情况" in text
    for problem in (open_problem, closed_problem, cleared):
        assert problem.number in text
    assert "立行立改" in text or "已销号" in text
    assert "统合巡察组组长 刘泽琦" in text


def test_problems_of_another_unit_are_refused(rec):
    stranger = rec.problem(source="supervision", org=rec.world.unit_b)
    with pytest.raises(ValidationError, match="不是被质询单位的问题"):
        inquiry_create(actor=rec.stats, title="质询会", org=rec.world.unit_a,
                       convening_org=rec.world.city, held_on=rec.day(1), place="会议室",
                       chair="主持人", participants="甲", problems=[stranger])  # fmt: skip


def test_the_pages_walk_a_meeting_from_plan_to_minutes(rec, client, meeting):
    from django.urls import reverse

    meeting, *_ = meeting
    client.force_login(rec.stats)
    detail = reverse("reconciliation:inquiry_detail", args=[meeting.pk])
    assert client.post(reverse("reconciliation:inquiry_hold", args=[meeting.pk])).status_code == 302
    for item, decision in zip(meeting.items.order_by("order"), ("hand_over", "hand_over", "clear"),
                              strict=True):  # fmt: skip
        response = client.post(
            reverse("reconciliation:inquiry_mark", args=[item.pk]),
            {"decision": decision, "text": "按期整改"},
        )
        assert response.status_code == 302
    issued = client.post(reverse("reconciliation:inquiry_minutes", args=[meeting.pk]))
    assert issued.status_code == 302
    page = client.get(detail).content.decode()
    document = Document.objects.get()
    assert document.number in page
    agenda = client.get(reverse("reconciliation:inquiry_agenda", args=[meeting.pk]))
    assert agenda.status_code == 200 and "议程" in docx_text(agenda.content)


def test_a_leader_reads_but_cannot_mark(rec, client, meeting):
    from django.urls import reverse

    meeting, *_ = meeting
    client.force_login(rec.leader)
    page = client.get(reverse("reconciliation:inquiry_detail", args=[meeting.pk]))
    assert page.status_code == 200 and 'id="hold"' not in page.content.decode()
    refused = client.post(reverse("reconciliation:inquiry_hold", args=[meeting.pk]))
    assert refused.status_code == 403


def test_creating_on_the_page(rec, client):
    from django.urls import reverse

    problem = rec.problem(source="inspection")
    user = make_user("stats2", rec.world.city, "统计分析")
    client.force_login(user)
    url = reverse("reconciliation:inquiry_create")
    choose = client.get(url, {"org": rec.world.unit_a.pk})
    assert choose.status_code == 200 and problem.number in choose.content.decode()
    response = client.post(
        f"{url}?org={rec.world.unit_a.pk}",
        {
            "title": "质询会",
            "convening_org": rec.world.city.pk,
            "held_on": rec.day(30).isoformat(),
            "place": "会议室",
            "chair": "主持人",
            "participants": "甲\n乙",
            "problems": [problem.pk],
        },
    )
    assert response.status_code == 302
