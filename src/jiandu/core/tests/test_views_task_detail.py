"""A background task's progress page: visible within the jurisdiction of the org that
started it, 404 elsewhere; polled with htmx while it runs."""

import re

from django.urls import reverse

from jiandu.core.choices import TaskStatus
from jiandu.core.models import Task


def _task(world, org, **fields):
    return Task.objects.create(kind="imports.people", org=org, **fields)


def test_task_of_a_county_is_visible_to_the_county_and_the_city(client, world):
    task = _task(world, world.county, status=TaskStatus.SUCCEEDED, progress=1.0)
    for name in ("county", "city"):
        client.force_login(world.users[name])
        assert client.get(reverse("core:task_detail", args=[task.pk])).status_code == 200


def test_task_outside_the_jurisdiction_is_404(client, world):
    task = _task(world, world.county)
    client.force_login(world.users["outsider"])
    assert client.get(reverse("core:task_detail", args=[task.pk])).status_code == 404
    assert client.get(reverse("core:task_detail", args=[999999])).status_code == 404


def test_running_task_polls_every_two_seconds(client, world):
    task = _task(world, world.county, status=TaskStatus.RUNNING, progress=0.42, message="第3/7批")
    client.force_login(world.users["county"])
    response = client.get(
        reverse("core:task_detail", args=[task.pk]),
        HTTP_HX_REQUEST="true",
        HTTP_HX_TARGET=f"task-{task.pk}",
    )
    html = response.content.decode()
    assert 'hx-trigger="every 2s"' in html
    assert "42%" in html
    assert "第3/7批" in html
    assert "<html" not in html  # the partial only


def test_finished_task_stops_polling_and_shows_result_or_error(client, world):
    done = _task(
        world,
        world.county,
        status=TaskStatus.SUCCEEDED,
        progress=1.0,
        result={"rows": 120, "url": "/people/"},
    )
    failed = _task(
        world, world.county, status=TaskStatus.FAILED, error="第5行：身份证号码校验位错误"
    )
    client.force_login(world.users["county"])

    html = client.get(reverse("core:task_detail", args=[done.pk])).content.decode()
    assert "hx-trigger" not in html
    assert "120" in html
    assert 'href="/people/"' in html

    html = client.get(reverse("core:task_detail", args=[failed.pk])).content.decode()
    assert "hx-trigger" not in html
    assert "第5行：身份证号码校验位错误" in html


def test_result_link_never_leaves_the_site(client, world):
    task = _task(
        world,
        world.county,
        status=TaskStatus.SUCCEEDED,
        result={"url": "//evil.example/steal"},
    )
    client.force_login(world.users["county"])
    html = client.get(reverse("core:task_detail", args=[task.pk])).content.decode()
    assert "evil.example" not in html


def test_backslash_trick_is_not_a_result_link(client, world):
    task = _task(
        world, world.county, status=TaskStatus.SUCCEEDED, result={"url": "/\\evil.example/"}
    )
    client.force_login(world.users["county"])
    html = client.get(reverse("core:task_detail", args=[task.pk])).content.decode()
    assert "evil.example" not in html


def test_the_page_names_the_kind_of_task_not_its_code(client, world):
    from jiandu.core.tasks import task_label

    task = Task.objects.create(kind="datacheck.run", org=world.county)
    client.force_login(world.users["county"])
    html = client.get(reverse("core:task_detail", args=[task.pk])).content.decode()
    assert '<h2 class="card-title">大数据比对</h2>' in html
    assert "<dt>任务类型</dt><dd>大数据比对</dd>" in html and "datacheck.run" not in html
    kinds = ["boards.close", "ecoindex.close", "inbox.remind", "reconciliation.zero_report"]
    kinds += ["statcentre.rebuild", "supervision.warning_cards"]
    assert all(task_label(kind) != kind for kind in kinds)


def test_results_kept_as_records_read_as_labelled_rows(client, world):
    """The reminder job and the 零报告 detection return the records their commands print
    as JSON (English keys); their task pages show labelled rows instead."""
    from jiandu.core.tasks import task_submit
    from jiandu.inbox.tasks import REMIND_TASK
    from jiandu.reconciliation.tasks import ZERO_REPORT_TASK

    city = world.users["city"]
    remind = task_submit(actor=city, kind=REMIND_TASK, params={"date": "2026-06-01"})
    zero = task_submit(actor=city, kind=ZERO_REPORT_TASK, params={"period": "2026Q1"})
    client.force_login(city)
    for task, labels in (
        (remind, ["提醒日期", "新增站内消息", "已超期", "发送成功", "计算用时"]),
        (zero, ["检测期间", "检测规则", "检测单位", "新标记", "此前已标记"]),
    ):
        task.refresh_from_db()
        assert task.status == TaskStatus.SUCCEEDED, task.error
        html = client.get(reverse("core:task_detail", args=[task.pk])).content.decode()
        rows = re.findall(r'<th scope="row">([^<]*)</th>', html)
        assert all(label in rows for label in labels), rows
        assert not [r for r in rows if re.fullmatch(r"[a-z_]+", r)], rows
