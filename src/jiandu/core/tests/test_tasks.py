import pytest
from django.core.management import call_command

from jiandu.core import tasks
from jiandu.core.choices import TaskStatus
from jiandu.core.models import Task


@tasks.register("test.add")
def _add(task, progress):
    progress(0.5, "半程")
    return {"sum": task.params["a"] + task.params["b"]}


@tasks.register("test.fail")
def _fail(task, progress):
    raise ValueError("数据文件第3行格式错误")


def test_eager_task_runs_and_records_result(world):
    task = tasks.task_submit(actor=world.users["city"], kind="test.add", params={"a": 2, "b": 3})
    assert task.status == TaskStatus.SUCCEEDED
    assert task.result == {"sum": 5}
    assert task.progress == 1.0
    assert task.org == world.city


def test_failing_task_keeps_the_error(world):
    task = tasks.task_submit(actor=world.users["city"], kind="test.fail", params={})
    assert task.status == TaskStatus.FAILED
    assert "第3行" in task.error


def test_worker_claims_queued_tasks(world, settings):
    settings.JIANDU_TASKS_MODE = "worker"
    task = tasks.task_submit(actor=world.users["city"], kind="test.add", params={"a": 1, "b": 1})
    assert Task.objects.get(pk=task.pk).status == TaskStatus.QUEUED
    call_command("tasks", "worker", "--once")
    assert Task.objects.get(pk=task.pk).result == {"sum": 2}


def test_unknown_kind_is_refused(world):
    with pytest.raises(KeyError, match="未知的任务类型"):
        tasks.task_submit(actor=world.users["city"], kind="nope", params={})
