"""The 多色榜 step of the demo: install the two built-in boards and close every month of
the demo year for both, so the boards, the trend charts, the warnings and the 通报 have
twelve months of history.

The demo command calls :func:`build_board_demo` after the case records exist (the boards
rank what the records say; nothing here invents figures).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from jiandu.boards.services import board_close, board_install_builtins, default_owner
from jiandu.orgs.models import Org

Progress = Callable[[float, str], None]


def build_board_demo(
    *, actor: Any, year: int = 2020, owner: Org | None = None, progress: Progress | None = None
) -> dict[str, Any]:
    """Install the built-in boards (owned by the top commission) and close January to
    December of ``year`` for each. Returns what was done, for the demo's summary."""
    owner = owner or default_owner()
    if owner is None:
        raise ValueError("找不到唯一的顶级纪委监委，无法安装内置多色榜")
    boards = board_install_builtins(actor=actor, owner=owner)
    summary: dict[str, Any] = {"boards": [], "snapshots": 0, "warnings": 0}
    steps = len(boards) * 12
    done = 0
    for board in boards:
        issued = 0
        for number in range(1, 13):
            month = f"{year:04d}-{number:02d}"
            if progress is not None:
                progress(done / steps, f"多色榜结账：{board.title} {year}年{number}月")
            if board.snapshots.filter(month=month).exists():
                done += 1
                continue
            outcome = board_close(actor=actor, board=board, month=month)
            issued += len(outcome.warnings)
            summary["snapshots"] += 1
            done += 1
        summary["warnings"] += issued
        summary["boards"].append({"key": board.key, "title": board.title, "warnings": issued})
    if progress is not None:
        progress(1.0, "多色榜结账完成")
    return summary
