"""The one background task layer. It needs no extra server by default.

``task_submit`` stores a :class:`~jiandu.core.models.Task` row and, after the
transaction commits, runs it according to ``JIANDU_TASKS_MODE``:

- ``thread`` (default): in a daemon thread of the web process;
- ``worker``: left queued for ``jiandu tasks worker`` (a separate process, e.g. a
  systemd unit), which claims rows one at a time;
- ``eager``: inline, before ``task_submit`` returns (tests).

A task function receives the task row and a ``progress(fraction, message)`` callback,
and returns a JSON-able result. Task functions are registered by name with
:func:`register`; scoping is the caller's: a task carries the org of the user who
started it, and task pages list only tasks within the viewer's jurisdiction.
"""

from __future__ import annotations

import logging
import threading
import traceback
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.db import close_old_connections, transaction
from django.utils import timezone
from django.utils.module_loading import autodiscover_modules

from jiandu.core.choices import TaskStatus
from jiandu.core.models import Task

log = logging.getLogger(__name__)

Progress = Callable[[float, str], None]
TaskFunction = Callable[[Task, Progress], dict[str, Any]]
# A task's result as people read it on the task page: (label, value) rows.
Describe = Callable[[dict[str, Any]], list[tuple[str, Any]]]
_REGISTRY: dict[str, TaskFunction] = {}
_LABELS: dict[str, str] = {}  # kind -> what people read (任务类型)
_DESCRIBE: dict[str, Describe] = {}


_DISCOVERED = False


def register(
    kind: str, label: str = "", describe: Describe | None = None
) -> Callable[[TaskFunction], TaskFunction]:
    """Register a task function under ``kind``; ``label`` names it on the pages.

    A task whose result is keyed by Chinese labels is shown as it is (its plain values;
    ``url`` links to the outcome). One whose result is a machine-readable record (English
    keys, shared with the command line's JSON) registers ``describe``, which turns the
    result into the rows people read."""

    def decorator(func: TaskFunction) -> TaskFunction:
        _REGISTRY[kind] = func
        if label:
            _LABELS[kind] = label
        if describe is not None:
            _DESCRIBE[kind] = describe
        return func

    return decorator


def task_functions() -> dict[str, TaskFunction]:
    """Every registered task. Each app's ``tasks`` module registers its own; they are
    imported here on first use, not at start-up, so that a command which runs no task
    does not import what the tasks need (the board close, the comparison engine)."""
    global _DISCOVERED
    if not _DISCOVERED:
        autodiscover_modules("tasks")
        _DISCOVERED = True
    return _REGISTRY


def task_label(kind: str) -> str:
    """The name of a kind of task people read (大数据比对 …); an unknown kind, as is."""
    task_functions()
    return _LABELS.get(kind, kind)


def task_result_rows(kind: str, result: Any) -> list[tuple[str, Any]]:
    """A finished task's result as (label, value) rows people read: its kind's
    ``describe``, else the result's plain values (nested ones and ``url`` left out)."""
    task_functions()
    if not isinstance(result, dict):
        return []
    if kind in _DESCRIBE:
        return _DESCRIBE[kind](result)
    return [(k, v) for k, v in result.items() if k != "url" and not isinstance(v, dict | list)]


def task_submit(*, actor: Any, kind: str, params: dict[str, Any]) -> Task:
    if kind not in task_functions():
        raise KeyError(f"未知的任务类型“{kind}”")
    task = Task.objects.create(
        kind=kind,
        params=params,
        created_by=actor if getattr(actor, "pk", None) else None,
        org=getattr(actor, "org", None),
    )
    mode = settings.JIANDU_TASKS_MODE
    if mode == "eager":
        task_run(task.pk)
        task.refresh_from_db()
    elif mode == "thread":
        transaction.on_commit(lambda: _start_thread(task.pk))
    return task


def _start_thread(task_id: int) -> None:
    thread = threading.Thread(target=_thread_main, args=(task_id,), daemon=True)
    thread.start()


def _thread_main(task_id: int) -> None:
    try:
        task_run(task_id)
    finally:
        close_old_connections()


def task_claim_next() -> int | None:
    """Claim the oldest queued task (for the worker); None when the queue is empty."""
    with transaction.atomic():
        queued = Task.objects.select_for_update().filter(status=TaskStatus.QUEUED)
        if transaction.get_connection().vendor == "postgresql":
            queued = Task.objects.select_for_update(skip_locked=True).filter(
                status=TaskStatus.QUEUED
            )
        task = queued.order_by("created_at", "pk").first()
        if task is None:
            return None
        task.status = TaskStatus.RUNNING
        task.started_at = timezone.now()
        task.save(update_fields=["status", "started_at", "updated_at"])
        return task.pk


def task_run(task_id: int) -> Task:
    """Run one task to the end, recording progress, result or error."""
    task = Task.objects.get(pk=task_id)
    if task.status in (TaskStatus.SUCCEEDED, TaskStatus.FAILED):
        return task
    func = task_functions()[task.kind]
    Task.objects.filter(pk=task.pk).update(
        status=TaskStatus.RUNNING, started_at=task.started_at or timezone.now()
    )

    def progress(fraction: float, message: str = "") -> None:
        Task.objects.filter(pk=task.pk).update(
            progress=max(0.0, min(1.0, fraction)), message=message[:300], updated_at=timezone.now()
        )

    try:
        result = func(task, progress)
    except Exception as exc:
        log.exception("task %s failed", task.pk)
        Task.objects.filter(pk=task.pk).update(
            status=TaskStatus.FAILED,
            error=f"{exc}\n\n{traceback.format_exc(limit=5)}"[:10000],
            finished_at=timezone.now(),
        )
    else:
        Task.objects.filter(pk=task.pk).update(
            status=TaskStatus.SUCCEEDED,
            progress=1.0,
            result=result or {},
            finished_at=timezone.now(),
        )
    return Task.objects.get(pk=task.pk)


def task_get(*, user: Any, pk: int) -> Task:
    """A task the user may follow: started within their jurisdiction or by themselves;
    any other task does not exist for them (404)."""
    from django.db.models import Q

    from jiandu.core.access import get_or_404, jurisdiction_org_ids

    visible = Q(org_id__in=jurisdiction_org_ids(user))
    if getattr(user, "pk", None):
        visible |= Q(created_by_id=user.pk)
    return get_or_404(Task.objects.select_related("org").filter(visible), pk=pk)
