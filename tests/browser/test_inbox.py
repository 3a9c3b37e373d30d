"""The inbox (站内消息) as the people it serves use it, in Debian's chromium: a unit's
整改落实 officer (the demo's ``rectify``) sees the unread count in the header, finds the
new problem and the overdue reminder, opens the problem from its message, marks the rest
read; the supervising 派驻组 (``group1``) is asked to accept the report and reaches the
problem from its own message; neither can open the other's message."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.utils import timezone

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _unread_badge(page) -> str:
    badge = page.locator("[data-inbox-unread]")
    return badge.inner_text() if badge.count() else ""


def test_officers_find_open_and_clear_their_messages(page, log_in, no_code_like_text):
    from jiandu.accounts import roles
    from jiandu.inbox.models import Message
    from jiandu.inbox.services import reminders_run
    from jiandu.oversight.choices import RectificationAction
    from jiandu.oversight.models import ProblemCategory, ProblemSource, Rectification
    from jiandu.oversight.services import Upload, problem_create, rectification_move
    from jiandu.testing import build_world, make_user

    world = build_world()
    officer = make_user("caizheng", world.unit_a, roles.ROLE_RECTIFICATION, full_name="王财")
    supervisor = world.users["group"]
    today = timezone.localdate()
    category = ProblemCategory.objects.get(name="惠民资金管理")
    source = ProblemSource.objects.get(key="supervision")
    first = problem_create(
        actor=supervisor, org=world.unit_a, description="惠民资金发放台账不全",
        category=category, source=source, found_on=today,
        supervising_org=world.group1,
    )  # fmt: skip
    second = problem_create(
        actor=supervisor, org=world.unit_a, description="公务接待清单与实际不符",
        category=category, source=source, found_on=today - dt.timedelta(days=30),
        supervising_org=world.group1,
    )  # fmt: skip
    # Constructed: the second problem's deadline passed a week ago; the daily job runs.
    Rectification.objects.filter(problem=second).update(due_on=today - dt.timedelta(days=7))
    reminders_run(actor=supervisor, on_date=today)

    # The officer: three unread (two new problems, one overdue reminder), counted in the
    # header on every page.
    log_in("caizheng")
    assert _unread_badge(page) == "3"
    page.get_by_role("link", name=re.compile("站内消息")).first.click()
    rows = page.locator("#inbox-results tbody tr")
    assert rows.count() == 3
    text = page.locator("#inbox-results").inner_text()
    assert f"新问题待整改：{first.number}" in text and f"新问题待整改：{second.number}" in text
    assert "超期" in text and "惠民资金发放台账不全" in text

    # Opening a message opens its problem and marks it read.
    page.get_by_role("link", name=f"新问题待整改：{first.number}").click()
    page.wait_for_url(re.compile(rf".*/oversight/problems/{first.pk}/$"))
    assert "惠民资金发放台账不全" in page.content()
    assert _unread_badge(page) == "2"

    # 只看未读 lists the two left; 全部标为已读 clears them.
    page.goto(page.url.split("/oversight/")[0] + "/inbox/?show=unread")
    assert page.locator("#inbox-results tbody tr").count() == 2
    page.get_by_role("button", name="全部标为已读").click()
    page.wait_for_load_state()
    assert "已将2条消息标为已读" in page.content()
    assert _unread_badge(page) == ""
    assert not Message.objects.filter(recipient=officer, read_at__isnull=True).exists()

    # The unit reports on the first problem; the group is asked to accept it.
    rect = first.rectification
    rectification_move(actor=officer, rectification=rect, action=RectificationAction.PLAN,
                       text="补齐台账")  # fmt: skip
    rectification_move(actor=officer, rectification=rect, action=RectificationAction.SUBMIT,
                       text="台账已补齐", files=[Upload("台账.pdf", b"%PDF-1")])  # fmt: skip
    officer_message = Message.objects.filter(recipient=officer).first()

    base = log_in("group")
    assert _unread_badge(page) == "1"
    page.goto(f"{base}/inbox/")
    title = f"整改报告待验收：{first.number}（市财政局）"
    assert title in page.locator("#inbox-results").inner_text()
    page.get_by_role("link", name=title).click()
    page.wait_for_url(re.compile(rf".*/oversight/problems/{first.pk}/$"))
    assert "台账已补齐" in page.content()
    # Another user's message does not exist for this one.
    response = page.goto(f"{base}/inbox/{officer_message.pk}/")
    assert response.status == 404
