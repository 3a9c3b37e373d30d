"""Real-name feedback from the petition page, as the 信访室's ``petition`` (docs/roles.md):
the petition's steps with their due dates and state, 受理告知 and then 结果反馈 recorded
with the panel's buttons, the reporter's reply, and the reporter's identity shown only
through the page's audited 查看举报人信息."""

from __future__ import annotations

import datetime as dt

import pytest

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("no_code_like_text"),
]


@pytest.fixture
def rw():
    from jiandu.core.deadlines import calendar_import, shipped_holiday_rows
    from jiandu.testing import build_role_world

    rw = build_role_world()
    for year in (2025, 2026):
        rows = shipped_holiday_rows(year)
        if rows:
            calendar_import(actor=rw.world.users["city"], rows=rows)
    return rw


def test_petition_records_both_feedback_steps_and_the_reply_on_the_petition_page(rw, page, log_in):
    from jiandu.clues.services import petition_file, petition_register
    from jiandu.core.choices import AuditAction
    from jiandu.core.models import AuditLog
    from jiandu.followup.models import FeedbackStep

    officer = rw.accounts["petition"]
    today = dt.date.today()
    petition = petition_register(
        actor=officer,
        received_date=today - dt.timedelta(days=40),
        channel="letter",
        title="实名反映某局长违规收受礼金",
        content="实名反映某局长违规收受礼金",
        is_real_name=True,
        reporter_name="张实名",
        reporter_phone="13800000000",
    )
    base = log_in("petition")
    page.goto(f"{base}/clues/petitions/{petition.pk}/")
    panel = page.locator("#petition-feedback")
    row = panel.locator("#feedback-steps tr", has_text="受理告知")
    assert "已超期" in row.inner_text()  # 40 days after receipt, nothing told yet
    assert "办结后生成结果反馈环节" in panel.inner_text()
    assert "张实名" not in page.content() and "13800000000" not in page.content()

    # 受理告知 from the panel (htmx: the panel alone is answered).
    panel.locator("summary", has_text="记录受理告知").click()
    told = today - dt.timedelta(days=2)
    page.fill("#petition-feedback-record input[name=feedback-done_on]", told.isoformat())
    page.select_option("#petition-feedback-record select[name=feedback-method]", "phone")
    page.fill("#petition-feedback-record textarea[name=feedback-note]", "电话告知已受理")
    page.get_by_role("button", name="保存受理告知").click()
    page.wait_for_selector("#petition-feedback:has-text('已记录受理告知')")
    row = page.locator("#feedback-steps tr", has_text="受理告知")
    assert "超期完成" in row.inner_text() and "电话" in row.inner_text()
    step = FeedbackStep.objects.get(petition=petition, kind="acceptance")
    assert (step.done_on, step.method, step.recorded_by) == (told, "phone", officer)

    # The matter is closed (存档了结); the page now owes the 结果反馈.
    petition_file(actor=officer, petition=petition, reason="所反映问题已另案查处")
    page.reload()
    result_row = page.locator("#feedback-steps tr", has_text="结果反馈")
    assert "未完成" in result_row.inner_text()
    page.locator("#petition-feedback summary", has_text="记录结果反馈").click()
    page.fill("#petition-feedback-record input[name=feedback-done_on]", today.isoformat())
    page.select_option("#petition-feedback-record select[name=feedback-method]", "letter")
    page.get_by_role("button", name="保存结果反馈").click()
    page.wait_for_selector("#petition-feedback-reply")

    # The reporter's reply: 不满意 without the objection is refused, naming it.
    page.locator("#petition-feedback-reply").get_by_label("不满意", exact=True).check()
    page.fill("#petition-feedback-reply input[name=reply-reply_on]", today.isoformat())
    page.get_by_role("button", name="保存评价").click()
    page.wait_for_selector("#petition-feedback:has-text('请填写举报人的异议内容')")
    page.locator("#petition-feedback-reply").get_by_label("基本满意", exact=True).check()
    page.get_by_role("button", name="保存评价").click()
    page.wait_for_selector("#feedback-steps:has-text('举报人评价：基本满意')")
    result = FeedbackStep.objects.get(petition=petition, kind="result")
    assert (result.done_on, result.method, result.reply) == (today, "letter", "basically")
    assert "张实名" not in page.content()

    # The identity only through the page's audited reveal.
    page.get_by_role("button", name="查看举报人信息").click()
    page.wait_for_selector("#reporter-panel:has-text('张实名')")
    assert AuditLog.objects.filter(
        action=AuditAction.VIEW_PROTECTED, actor=officer, object_id=str(petition.pk)
    ).exists()
