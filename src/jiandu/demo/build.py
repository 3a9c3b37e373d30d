"""``jiandu demo``: a deterministic synthetic 昆明市 to try Jiandu with.

:func:`build_demo` writes, into an empty database and in one transaction:

1. the org tree (:mod:`.orgs`): 昆明市纪委监委 with its rooms, 30 派驻组, 81 市直单位,
   the 14 county commissions with their units, 乡镇(街道) and (for three counties) 村(社区);
2. the role groups and demo accounts (:mod:`.accounts`; password :data:`DEMO_PASSWORD`);
3. about 2,600 cadres with valid ID numbers and posts (:mod:`.people`);
4. the problem domains and the 信访举报, 问题线索, 处理结果 and 通报曝光 (:mod:`.plan`
   draws them up, :mod:`.cases` writes them with their timelines and audit rows).

The demo lives in the present: the calibrated year is the last full calendar year, and
the current year runs on with the same generator up to yesterday, every step on its
business date. ``year`` pins the calibrated year instead (for reproducible tests: an
earlier year then runs on to 30 April of the year after, see :func:`demo_dates`).

The same ``seed`` (and dates) always gives the same data. At ``scale=1.0`` the 扶贫
figures for January–September of the calibrated year equal those reported by seed 000
for 2020 (see :func:`calibration`); smaller scales give a proportionally smaller,
equally consistent demo for quick tests.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils import timezone

from jiandu.core.reference import ensure_reference_data
from jiandu.demo.accounts import DEMO_PASSWORD, DemoAccount, account_specs, create_accounts
from jiandu.demo.cards import create_demo_cards
from jiandu.demo.cases import Executor, create_domain_tags
from jiandu.demo.dossiers import build_dossier_demo
from jiandu.demo.ecoindex import build_ecoindex_demo
from jiandu.demo.inbox import run_demo_reminders
from jiandu.demo.inspections import build_inspections_demo
from jiandu.demo.orgs import create_orgs, org_specs
from jiandu.demo.people import cadre_specs, create_people
from jiandu.demo.plan import build_plan
from jiandu.demo.reconciliation import create_reconciliation_demo
from jiandu.demo.scale import MAX_SCALE
from jiandu.demo.supervision import build_supervision_demo, run_demo_card_check

SETUP_USERNAME = "jiandu-demo"

# 扶贫 figures of seed 000 (昆明, 2020): 1–9月, and 9月 alone; the demo gives them to
# the same months of its calibrated year (see calibration()).
CALIBRATION: dict[str, dict[str, int]] = {
    "2020-01-01/2020-09-30": {
        "clues_received": 1009,
        "clues_closed": 943,
        "criticism": 456,
        "accountability": 112,
        "party_discipline": 99,
        "government_sanction": 10,
        "exposure_batches": 63,
        "exposure_cases": 106,
        "exposure_persons": 195,
    },
    "2020-09-01/2020-09-30": {
        "clues_received": 69,
        "clues_closed": 68,
        "criticism": 47,
        "exposure_batches": 11,
        "exposure_cases": 14,
        "exposure_persons": 21,
    },
}

Progress = Callable[[float, str], None]


def calibration(year: int) -> dict[str, dict[str, int]]:
    """Seed 000's targets for the same periods of ``year``."""
    return {
        period.replace("2020-", f"{year:04d}-"): targets for period, targets in CALIBRATION.items()
    }


def demo_dates(*, year: int | None = None, today: dt.date | None = None) -> tuple[int, dt.date]:
    """(calibrated year, last day with data). By default last year, up to yesterday; an
    earlier pinned year runs on to 30 April of the year after, whatever the date."""
    today = today or timezone.localdate()
    if year is None or year == today.year - 1:
        return today.year - 1, today - dt.timedelta(days=1)
    if year >= today.year:
        raise DemoError(f"校准年份须是已经过去的年份（早于{today.year}年）")
    if year < 2000:
        raise DemoError("校准年份不能早于2000年")
    return year, dt.date(year + 1, 4, 30)


class DemoError(Exception):
    """The demo cannot be built here (e.g. the database already holds data)."""


@dataclass
class DemoSummary:
    seed: int
    scale: float
    year: int
    last_day: dt.date
    password: str
    accounts: list[DemoAccount]
    counts: dict[str, int]
    statistics: dict[str, dict[str, int]]
    seconds: float
    other_accounts: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "seed": self.seed,
            "scale": self.scale,
            "year": self.year,
            "last_day": self.last_day.isoformat(),
            "password": self.password,
            "accounts": [a.as_dict() for a in self.accounts],
            "other_accounts": self.other_accounts,
            "counts": self.counts,
            "poverty_statistics": self.statistics,
            "seconds": round(self.seconds, 1),
        }


def database_has_data() -> bool:
    """Whether any account, org or business record exists (the demo needs none; role
    groups and audit rows of e.g. ``jiandu roles sync`` do not count)."""
    from jiandu.accounts.models import User
    from jiandu.clues.models import Clue, Petition
    from jiandu.orgs.models import Org
    from jiandu.people.models import Person

    return any(m.objects.exists() for m in (User, Org, Person, Petition, Clue))


def poverty_statistics(year: int = 2020) -> dict[str, dict[str, int]]:
    """The calibrated 扶贫 statistics of ``year`` as the registry counts them now."""
    from jiandu.clues.statistics import STATISTICS

    out: dict[str, dict[str, int]] = {}
    for period, targets in calibration(year).items():
        start, end = (dt.date.fromisoformat(d) for d in period.split("/"))
        out[period] = {
            key: STATISTICS[key].count(start=start, end=end, domain="poverty", org_ids=None)
            for key in targets
        }
    return out


def _counts() -> dict[str, int]:
    from jiandu.accounts.models import User
    from jiandu.clues.models import Clue, ExposureBatch, Outcome, Petition
    from jiandu.core.models import AuditLog
    from jiandu.orgs.models import Org
    from jiandu.people.models import Person, Post

    return {
        "orgs": Org.objects.count(),
        "users": User.objects.count(),
        "people": Person.objects.count(),
        "posts": Post.objects.count(),
        "petitions": Petition.objects.count(),
        "clues": Clue.objects.count(),
        "open_clues": Clue.objects.open().count(),
        "outcomes": Outcome.objects.count(),
        "exposure_batches": ExposureBatch.objects.count(),
        "audit_rows": AuditLog.objects.count(),
    }


def build_demo(
    *,
    seed: int = 2020,
    scale: float = 1.0,
    year: int | None = None,
    today: dt.date | None = None,
    progress: Progress | None = None,
) -> DemoSummary:
    """Build the demo into an empty database (all or nothing): calibrated on ``year``
    (default: last year) and running up to the day before ``today``."""
    from jiandu.accounts.models import User
    from jiandu.core.audit import audit_record
    from jiandu.core.choices import AuditAction

    if not 0 < scale <= MAX_SCALE:
        raise DemoError(f"规模系数应大于0且不超过{MAX_SCALE}（1为完整演示数据）")
    if database_has_data():
        raise DemoError("数据库中已有数据，演示数据只能写入空数据库")
    started = time.monotonic()
    year, last_day = demo_dates(year=year, today=today)

    def report(fraction: float, message: str) -> None:
        if progress is not None:
            progress(fraction, message)

    report(0.0, "生成演示计划")
    org_plan = org_specs(seed)
    cadres = cadre_specs(seed, org_plan)
    case_plan = build_plan(
        seed=seed, scale=scale, orgs=org_plan, cadres=cadres, year=year, last_day=last_day
    )
    # The statistics' daily aggregate is built once at the end, not kept row by row.
    from jiandu.statcentre.aggregate import paused as statistics_paused

    with transaction.atomic(), statistics_paused():
        ensure_reference_data()
        setup = User(username=SETUP_USERNAME, full_name="演示数据生成", is_active=False)
        setup.set_unusable_password()
        setup.save()
        audit_record(actor=None, action=AuditAction.CREATE, obj=setup, summary="演示数据生成账号")
        report(0.02, "组织机构")
        orgs = create_orgs(actor=setup, plan=org_plan)
        report(0.06, "角色与演示账号")
        specs = account_specs(
            counties=org_plan.counties, rooms=org_plan.rooms, groups=org_plan.groups
        )
        accounts, actors = create_accounts(seed=seed, actor=setup, orgs=orgs, specs=specs)
        report(0.08, "党员干部")
        people = create_people(actor=actors["data"], orgs=orgs, cadres=cadres)
        tags = create_domain_tags(actor=setup)
        load_shipped_holidays(actor=setup, years=range(year, last_day.year + 1))

        def case_progress(fraction: float, message: str) -> None:
            report(0.12 + 0.88 * fraction, message)

        Executor(plan=case_plan, orgs=orgs, people=people, actors=actors, tags=tags).run(
            case_progress
        )
        create_reconciliation_demo(orgs=orgs, last_day=last_day)
        create_demo_cards(
            actor=setup, orgs=orgs, today=last_day + dt.timedelta(days=1), seed=seed, scale=scale
        )
        build_supervision_demo(orgs=orgs, today=last_day + dt.timedelta(days=1))
        build_inspections_demo(orgs=orgs, today=last_day + dt.timedelta(days=1), seed=seed)
        report(0.97, "政治生态档案与廉政意见")
        build_dossier_demo(year=year, today=last_day + dt.timedelta(days=1), seed=seed, scale=scale)
        report(0.98, "政治生态指数（一年的月度结账）")
        build_ecoindex_demo(actor=setup, today=last_day + dt.timedelta(days=1), seed=seed)
        from jiandu.demo.followup import build_followup_demo

        build_followup_demo(actor=setup, today=last_day + dt.timedelta(days=1), seed=seed)
        report(0.99, "呈批：审批流程与呈批件")
        from jiandu.demo.approvals import (
            build_approvals_demo,
            build_collective_review_demo,
            build_sweep_demo,
            date_on_last_day,
        )

        build_approvals_demo(actor=setup, orgs=orgs, last_day=last_day)
        build_sweep_demo(last_day=last_day)
        build_collective_review_demo(last_day=last_day)
        date_on_last_day(last_day=last_day)
        report(0.99, "每日检查：整改警示卡、期限提醒（站内消息）")
        run_demo_card_check(today=last_day + dt.timedelta(days=1))
        run_demo_reminders(today=today)
        report(0.995, "统计日汇总（由原始记录一次生成）")
        from jiandu.statcentre.aggregate import rebuild as statistics_rebuild

        statistics_rebuild()
        report(0.995, "统计报表（上上个月，各县区与市本级已上报）")
        from jiandu.demo.statcentre import build_statcentre_demo

        build_statcentre_demo(orgs=orgs, today=last_day + dt.timedelta(days=1))
    return DemoSummary(
        seed=seed,
        scale=scale,
        year=year,
        last_day=last_day,
        password=DEMO_PASSWORD,
        accounts=[a for a in accounts if a.listed],
        other_accounts=[a.username for a in accounts if not a.listed],
        counts=_counts(),
        statistics=poverty_statistics(year),
        seconds=time.monotonic() - started,
    )


__all__ = [
    "CALIBRATION",
    "DEMO_PASSWORD",
    "DemoError",
    "DemoSummary",
    "build_demo",
    "calibration",
    "demo_dates",
]


def load_shipped_holidays(*, actor: Any, years: Iterable[int]) -> list[int]:
    """The working-day calendar of the demo's years from the holiday files shipped with
    the platform (``core/data/holidays/YYYY.csv``); a year without a file stays unloaded
    (its deadlines count weekends alone, and the pages say so)."""
    from jiandu.core.deadlines import calendar_import, shipped_holiday_rows

    loaded = []
    for year in years:
        rows = shipped_holiday_rows(year)
        if rows is None:
            continue
        calendar_import(actor=actor, rows=rows, source=f"随系统提供的{year}年节假日安排")
        loaded.append(year)
    return loaded
