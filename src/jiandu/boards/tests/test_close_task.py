"""Closing from the board page: checks that can be answered at once are (reason for a
recompute, missing reported figures), then the close runs as the ``boards.close``
background task whose page links to the closed month."""

from django.urls import reverse

from jiandu.boards.models import BoardSnapshot
from jiandu.boards.services import board_update, indicator_create
from jiandu.core.choices import TaskStatus
from jiandu.core.models import Task


def test_the_close_form_starts_the_task_and_the_task_links_the_month(bw, client):
    bw.receive(bw.world.county, 2, 2)
    client.force_login(bw.users["city"])
    url = reverse("boards:board_close", args=[bw.counties_board.pk])
    response = client.post(url, {"month": "2020-02"})
    task = Task.objects.get(kind="boards.close")
    assert response.status_code == 302
    assert response["Location"] == reverse("core:task_detail", args=[task.pk])
    assert task.status == TaskStatus.SUCCEEDED  # eager in tests
    snapshot = BoardSnapshot.objects.get(board=bw.counties_board, month="2020-02")
    assert task.result["版本"] == "第1版"
    assert task.result["url"].endswith("?month=2020-02&version=1")
    page = client.get(response["Location"]).content.decode()
    assert "查看结果" in page
    assert snapshot.created_by == bw.users["city"]


def test_refusals_are_shown_before_any_task_starts(bw, client):
    client.force_login(bw.users["city"])
    url = reverse("boards:board_close", args=[bw.counties_board.pk])
    client.post(url, {"month": "2020-02"})
    again = client.post(url, {"month": "2020-02"}, follow=True).content.decode()
    assert "2020年2月已结账（第1版），重新计算须填写原因" in again
    bad = client.post(url, {"month": "二月"}, follow=True).content.decode()
    assert "结账月份：“二月”不是有效的月份" in bad

    reported = indicator_create(
        actor=bw.users["city"], key="self_found", name="自查问题", source="reported"
    )
    columns = [(r.indicator, r.label) for r in bw.counties_board.board_indicators.all()]
    board_update(
        actor=bw.users["city"], board=bw.counties_board, indicators=[*columns, (reported, "")]
    )
    missing = client.post(url, {"month": "2020-03"}, follow=True).content.decode()
    assert "以下单位缺少填报数据" in missing and "禄劝县纪委监委" in missing
    assert Task.objects.filter(kind="boards.close").count() == 1
    client.post(url, {"month": "2020-03", "missing_as_zero": "on"})
    assert BoardSnapshot.objects.get(month="2020-03").missing_as_zero


def test_only_holders_of_the_close_permission_may_close(bw, client):
    client.force_login(bw.users["leader"])
    url = reverse("boards:board_close", args=[bw.counties_board.pk])
    assert client.post(url, {"month": "2020-02"}).status_code == 403
    assert not BoardSnapshot.objects.exists()
