"""Follow-up as the roles that do it (docs/roles.md): the 信访室's ``petition`` takes a
real-name petition through 受理告知 and 结果反馈 and records the reporter's reply; the
案件审理室's ``trial`` records the 处分执行 of a 降级 (served, post and pay changed)."""

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


def _ok(response) -> None:
    assert response is not None and response.status < 400, response and response.status


def test_petition_gives_both_feedback_steps_and_records_the_reply(rw, page, log_in):
    from jiandu.clues.services import petition_file, petition_register
    from jiandu.followup.models import FeedbackStep

    officer = rw.accounts["petition"]
    today = dt.date.today()
    petition = petition_register(
        actor=officer,
        received_date=today - dt.timedelta(days=40),
        channel="letter",
        title="反映某局长违规收受礼金",
        content="实名反映某局长违规收受礼金",
        is_real_name=True,
        reporter_name="张实名",
        reporter_phone="13800000000",
    )
    petition_file(actor=officer, petition=petition, reason="所反映问题已另案查处")
    base = log_in("petition")
    # The overdue 受理告知 is on the workbench; the reporter's name is nowhere.
    row = page.locator("#followup-feedback tr", has_text=petition.number).first
    assert "受理告知" in row.inner_text()
    assert "张实名" not in page.content()
    row.get_by_role("link", name=petition.number).click()
    page.wait_for_selector("#feedback-form")
    page.fill("#feedback-form input[name=done_on]", (today - dt.timedelta(days=5)).isoformat())
    page.select_option("#feedback-form select[name=method]", "phone")
    page.locator("#feedback-form button[type=submit]").click()
    page.wait_for_selector("#done:has-text('电话')")
    assert "超期完成" in page.locator("#due").inner_text()  # given after its due date
    # 结果反馈, from the page of the other step.
    page.get_by_role("link", name="尚未告知").click()
    page.wait_for_selector("#feedback-form")
    page.fill("#feedback-form input[name=done_on]", today.isoformat())
    page.select_option("#feedback-form select[name=method]", "letter")
    page.locator("#feedback-form button[type=submit]").click()
    page.wait_for_selector("#reply-form")
    page.get_by_label("基本满意").check()
    page.fill("#reply-form input[name=reply_on]", today.isoformat())
    page.locator("#reply-form button[type=submit]").click()
    page.wait_for_selector("#reply:has-text('基本满意')")
    result = FeedbackStep.objects.get(petition=petition, kind="result")
    assert (result.method, result.reply, result.recorded_by) == ("letter", "basically", officer)
    _ok(page.goto(f"{base}/followup/"))
    assert "实名举报满意率" in page.content()


def test_trial_records_the_execution_of_a_demotion(rw, page, log_in):
    from jiandu.clues.choices import ClueSource
    from jiandu.clues.services import clue_create, clue_dispose, outcome_record
    from jiandu.followup.models import SanctionExecution
    from jiandu.people.services import person_create

    world = rw.world
    today = dt.date.today()
    person = person_create(actor=world.users["city"], name="周降级", registered_org=world.county)
    clue = clue_create(
        actor=world.users["city"],
        source=ClueSource.SUPERVISION,
        title="周降级违规发放津补贴案",
        received_date=today - dt.timedelta(days=120),
        handling_org=world.room1,
        subject_people=[person],
    )
    clue_dispose(actor=world.users["room"], clue=clue, method="case_filed",
                 on_date=today - dt.timedelta(days=110))  # fmt: skip
    outcome = outcome_record(
        actor=rw.accounts["trial"],
        clue=clue,
        kind="government_sanction",
        subtype="gov_demotion",
        person=person,
        decision_date=today - dt.timedelta(days=45),
    )
    base = log_in("trial")
    _ok(page.goto(f"{base}/followup/executions/?state=overdue"))
    page.get_by_role("link", name="周降级").click()
    page.wait_for_selector("#execution-form")
    assert "已超期" in page.locator("#personnel").inner_text()
    served = today - dt.timedelta(days=40)
    page.fill("#execution-form input[name=served_on]", served.isoformat())
    page.fill(
        "#execution-form input[name=post_changed_on]", (served + dt.timedelta(days=20)).isoformat()
    )
    page.fill("#execution-form input[name=pay_changed_on]", today.isoformat())
    page.locator("#execution-form button[type=submit]").click()
    page.wait_for_selector("#personnel:has-text('超期完成')")
    row = SanctionExecution.objects.get(outcome=outcome)
    assert row.completed_on == today and row.recorded_by == rw.accounts["trial"]
