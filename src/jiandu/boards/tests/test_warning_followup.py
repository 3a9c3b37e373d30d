"""The follow-up of a warning: 已发出 → 已送达 → 已签收 → 已收到整改报告, one event per move;
an illegal move is refused naming it; the unit may sign and report, only the board's
managers deliver."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from jiandu.accounts import roles as r
from jiandu.boards.choices import WarningStatus
from jiandu.boards.lifecycle import WarningTransitionError
from jiandu.boards.services import (
    board_close,
    warning_acknowledge,
    warning_receive_rectification,
    warning_send_notice,
)
from jiandu.core.models import AuditLog
from jiandu.testing import make_user


@pytest.fixture
def warning(bw):
    for month in (1, 2):
        for org in (bw.world.county, bw.dongchuan):
            bw.receive(org, month, 1)
        outcome = board_close(
            actor=bw.users["city"], board=bw.counties_board, month=f"2020-{month:02d}"
        )
    (warning,) = outcome.warnings
    return warning


def test_the_legal_moves_write_one_event_each(bw, warning):
    city = bw.users["city"]
    warning = warning_send_notice(actor=city, warning=warning, note="已送达禄劝县纪委监委")
    warning = warning_acknowledge(actor=city, warning=warning)
    warning = warning_receive_rectification(
        actor=city, warning=warning, file_name="整改报告.pdf", file_data=b"%PDF-1.4 report"
    )
    assert warning.status == WarningStatus.RECTIFICATION_RECEIVED
    events = list(warning.events.order_by("at", "pk"))
    assert [(e.from_status, e.to_status) for e in events] == [
        ("", "issued"),
        ("issued", "notice_sent"),
        ("notice_sent", "acknowledged"),
        ("acknowledged", "rectification_received"),
    ]
    assert events[-1].original_name == "整改报告.pdf"
    assert events[-1].file.read() == b"%PDF-1.4 report"
    assert (
        AuditLog.objects.filter(
            object_type="boards.boardwarning", object_id=str(warning.pk), action="transition"
        ).count()
        == 3
    )


def test_an_illegal_move_is_refused_naming_it(bw, warning):
    with pytest.raises(WarningTransitionError, match="预警状态为“已发出”，不能执行“签收”"):
        warning_acknowledge(actor=bw.users["city"], warning=warning)
    warning.refresh_from_db()
    assert warning.status == WarningStatus.ISSUED
    assert warning.events.count() == 1


def test_the_unit_signs_and_reports_but_cannot_deliver(bw, warning, client):
    unit_user = make_user("luquan_officer", bw.luquan, r.ROLE_CLUES)  # 禄劝县 itself
    client.force_login(unit_user)
    url = reverse("boards:warning_action", args=[warning.pk, "send_notice"])
    assert client.post(url, {"note": ""}).status_code == 403

    warning_send_notice(actor=bw.users["city"], warning=warning)
    client.post(
        reverse("boards:warning_action", args=[warning.pk, "acknowledge"]), {"note": "已签收"}
    )
    report = SimpleUploadedFile(
        "整改情况报告.docx", b"rectification", content_type="application/octet-stream"
    )
    response = client.post(
        reverse("boards:warning_action", args=[warning.pk, "receive_rectification"]),
        {"note": "已完成整改", "file": report},
    )
    assert response.status_code == 302
    warning.refresh_from_db()
    assert warning.status == WarningStatus.RECTIFICATION_RECEIVED
    page = client.get(reverse("boards:warning_detail", args=[warning.pk])).content.decode()
    assert "整改情况报告.docx" in page
    # The month is read as a month, not as a code.
    year, month = warning.month.split("-")
    assert f"<dt>触发月份</dt><dd>{year}年{int(month)}月</dd>" in page
    event = warning.events.get(action="receive_rectification")
    download = client.get(reverse("boards:warning_file", args=[warning.pk, event.pk]))
    assert b"".join(download.streaming_content) == b"rectification"


def test_an_illegal_move_on_the_page_shows_the_reason(bw, warning, client):
    client.force_login(bw.users["city"])
    url = reverse("boards:warning_action", args=[warning.pk, "receive_rectification"])
    response = client.post(url, {"note": "整改完成"}, follow=True)
    assert "预警状态为“已发出”，不能执行“报送整改报告”" in response.content.decode()


def test_a_unit_reader_without_the_answer_permission_sees_but_cannot_sign(bw, warning, client):
    warning_send_notice(actor=bw.users["city"], warning=warning)
    reader = make_user("luquan_reader", bw.luquan, r.ROLE_LEADER)
    client.force_login(reader)
    page = client.get(reverse("boards:warning_detail", args=[warning.pk]))
    assert page.status_code == 200
    url = reverse("boards:warning_action", args=[warning.pk, "acknowledge"])
    assert client.post(url, {"note": "已签收"}).status_code == 403
    warning.refresh_from_db()
    assert warning.status == WarningStatus.NOTICE_SENT
