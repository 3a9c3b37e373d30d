"""An inbox world: the standard test world, a 国庆 holiday with 调休 weekends on the
calendar, a unit's 整改落实 officer and a colleague without that role, and a problem
the supervising 派驻组 opened for the unit."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pytest

from jiandu.accounts import roles as r
from jiandu.boards.tests.conftest import bw  # noqa: F401  (the board world, for warnings)
from jiandu.core.deadlines import calendar_import
from jiandu.oversight.models import Problem, ProblemCategory, ProblemSource, Rectification
from jiandu.oversight.services import problem_create
from jiandu.testing import World, make_user

FOUND = dt.date(2026, 9, 1)
# 国庆 2026 as the tests' calendar: 10-01 … 10-08 休, Sunday 09-27 and Saturday 10-10 班.
HOLIDAYS = [[f"2026-10-{d:02d}", "休"] for d in range(1, 9)] + [
    ["2026-09-27", "班"],
    ["2026-10-10", "班"],
]


@dataclass
class InboxWorld:
    world: World
    officer: Any  # 整改落实 of 市财政局 (unit_a)
    colleague: Any  # 市财政局, no role that acts on problems
    supervisor: Any  # 派驻第一纪检监察组 (supervises unit_a), 线索管理
    problem: Problem

    @property
    def users(self) -> dict[str, Any]:
        return self.world.users

    def due(self, on: dt.date) -> Rectification:
        """Constructed data: the problem's rectification due on ``on``."""
        Rectification.objects.filter(problem=self.problem).update(due_on=on)
        return Rectification.objects.get(problem=self.problem)


@pytest.fixture
def iw(world) -> InboxWorld:
    calendar_import(actor=world.users["city"], rows=HOLIDAYS)
    officer = make_user("caizheng", world.unit_a, r.ROLE_RECTIFICATION)
    colleague = make_user("caizheng2", world.unit_a, r.ROLE_LEADER)
    supervisor = world.users["group"]
    problem = problem_create(
        actor=supervisor,
        org=world.unit_a,
        description="惠民资金发放台账不全",
        category=ProblemCategory.objects.get(name="惠民资金管理"),
        source=ProblemSource.objects.get(key="supervision"),
        found_on=FOUND,
        supervising_org=world.group1,
    )
    return InboxWorld(
        world=world, officer=officer, colleague=colleague, supervisor=supervisor, problem=problem
    )
