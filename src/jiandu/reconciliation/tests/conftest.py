"""Constructed data for the 零报告, 对账 and 质询会 tests: a quarter in the past, problems
of 市财政局 (unit_a) from 自查自纠 and from other sources, petitions about it, and a
statistics officer of another county (sees nothing of the city's units)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pytest

from jiandu.accounts import roles as r
from jiandu.oversight.models import Problem, ProblemCategory, ProblemSource
from jiandu.oversight.services import problem_create
from jiandu.reconciliation.periods import Period, period_of
from jiandu.testing import World, make_user


@dataclass
class Rec:
    world: World
    stats: Any  # the city's 统计分析 officer (党风政风监督室 role)
    leader: Any
    outsider: Any  # 统计分析 in another county
    period: Period

    def day(self, n: int) -> dt.date:
        return self.period.start + dt.timedelta(days=n)

    def problem(
        self,
        *,
        source: str = "supervision",
        category: str = "财务管理",
        day: int = 5,
        org: Any = None,
        description: str = "",
    ) -> Problem:
        return problem_create(
            actor=self.stats,
            org=org or self.world.unit_a,
            description=description or f"{source} {category} 第{day}天",
            category=ProblemCategory.objects.get(name=category),
            source=ProblemSource.objects.get(key=source),
            found_on=self.day(day),
            supervising_org=self.world.city,
        )

    def petition(self, *, day: int = 5, org: Any = None, title: str = "反映公款吃喝") -> Any:
        from jiandu.clues.services import petition_register

        return petition_register(
            actor=self.stats,
            received_date=self.day(day),
            channel="letter",
            title=title,
            content="群众反映的内容",
            subject_orgs=[org or self.world.unit_a],
        )


@pytest.fixture
def rec(world) -> Rec:
    stats = make_user("stats", world.city, r.ROLE_STATISTICS, r.ROLE_PETITION)
    leader = world.users["leader"]
    outsider = make_user("outstats", world.other_county, r.ROLE_STATISTICS)
    # The last full quarter: every day of it is in the past.
    period = period_of(period_of(dt.date.today()).start - dt.timedelta(days=1))
    return Rec(world=world, stats=stats, leader=leader, outsider=outsider, period=period)
