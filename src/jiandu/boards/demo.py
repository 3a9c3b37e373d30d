"""The 多色榜 step of the demo: install the two built-in boards and close every month of
the demo from January of its calibrated year up to last month for both, so the boards,
the trend charts, the warnings and the 通报 have their history.

The demo command calls :func:`build_board_demo` after the case records exist (the boards
rank what the records say; nothing here invents figures). Each close is dated as if done
early in the following month (the 5th, or yesterday if that is still to come): the
snapshot, the warnings it issued and their first steps carry that date.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from jiandu.boards.models import Board, BoardSnapshot, BoardWarning, WarningEvent
from jiandu.boards.services import board_close, board_install_builtins, default_owner
from jiandu.orgs.models import Org

Progress = Callable[[float, str], None]


def demo_months(*, year: int, last_day: dt.date) -> list[str]:
    """January of ``year`` to the last month that ended on or before ``last_day``."""
    months: list[str] = []
    current = dt.date(year, 1, 1)
    while True:
        following = (current + dt.timedelta(days=32)).replace(day=1)
        if following - dt.timedelta(days=1) > last_day:
            return months
        months.append(f"{current:%Y-%m}")
        current = following


def close_moment(month: str, *, last_day: dt.date) -> dt.datetime:
    year, number = (int(x) for x in month.split("-"))
    following = (dt.date(year, number, 1) + dt.timedelta(days=32)).replace(day=5)
    day = min(following, last_day)
    return timezone.make_aware(dt.datetime(day.year, day.month, day.day, 10, 0))


def build_board_demo(
    *,
    actor: Any,
    year: int = 2020,
    last_day: dt.date | None = None,
    owner: Org | None = None,
    progress: Progress | None = None,
) -> dict[str, Any]:
    """Install the built-in boards (owned by the top commission) and close every month
    from January of ``year`` to the last month ended by ``last_day`` (default: that
    year's December) for each. Returns what was done, for the demo's summary."""
    owner = owner or default_owner()
    if owner is None:
        raise ValueError("找不到唯一的顶级纪委监委，无法安装内置多色榜")
    last_day = last_day or dt.date(year, 12, 31)
    months = demo_months(year=year, last_day=last_day)
    boards = board_install_builtins(actor=actor, owner=owner)
    summary: dict[str, Any] = {"boards": [], "snapshots": 0, "warnings": 0, "months": months}
    steps = max(1, len(boards) * len(months))
    done = 0
    today = last_day + dt.timedelta(days=1)
    for board in boards:
        issued = 0
        for month in months:
            if progress is not None:
                progress(done / steps, f"多色榜结账：{board.title} {month}")
            if board.snapshots.filter(month=month).exists():
                done += 1
                continue
            outcome = board_close(actor=actor, board=board, month=month, today=today)
            at = close_moment(month, last_day=last_day)
            # Dating the synthetic close is the demo's own business, done in the close's
            # transaction: past the guard that keeps published snapshots unchanged.
            QuerySet(model=BoardSnapshot).filter(pk=outcome.snapshot.pk).update(created_at=at)
            warning_ids = [w.pk for w in outcome.warnings]
            BoardWarning.objects.filter(pk__in=warning_ids).update(created_at=at, updated_at=at)
            WarningEvent.objects.filter(warning_id__in=warning_ids).update(at=at)
            issued += len(outcome.warnings)
            summary["snapshots"] += 1
            done += 1
        summary["warnings"] += issued
        summary["boards"].append({"key": board.key, "title": board.title, "warnings": issued})
    if progress is not None:
        progress(1.0, "多色榜结账完成")
    if boards:
        summary["documents"] = _issue_documents(actor=actor, board=boards[0], months=months[:-1])
    return summary


def _issue_documents(*, actor: Any, board: Board, months: list[str]) -> int:
    """What the boards' managers have done by now: each month's 工作预警通知书 and 通报
    签发, month by month (their 文号 follow the months), except the last closed month's,
    still to be issued (a first-day task of the 统计分析 account). Returns how many."""
    from jiandu.boards.exports import bulletin_docx, warning_notice_docx

    count = 0
    for month in months:
        warnings = (
            BoardWarning.objects.filter(board__owner_org_id=board.owner_org_id, month=month)
            .select_related("board__owner_org", "org")
            .order_by("pk")
        )
        for warning in warnings:
            warning_notice_docx(actor=actor, warning=warning)
            count += 1
        if bulletin_docx(actor=actor, board=board, month=month) is not None:
            count += 1
    return count
