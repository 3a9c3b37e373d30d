"""The demo's political-ecology index (seed 004, 常山县“一图一表一指数”): a year of monthly
closes for every participating unit of the synthetic 昆明市, on the shipped tree.

Calibration (what the seed gives and what is chosen):

* the seed: 7 dimensions, 18 + 46 indicators, four colours, a 预警通知书 to a 黄码 unit,
  and “9个橙色单位、2个红色单位实现政治生态‘复绿’” so far. Here 9 units are made orange
  and 2 red for one month each, between the 2nd and the 9th month, and are green from the
  month after: each is recorded 复绿 two months later (k = 2), its warning closed with the
  two months that proved it; one more unit turns red in the last month and is still under
  warning, with its problem open in the rectification loop;
* every other unit: each department's reported indicators are mostly clean (a count of 0
  with probability 0.9, a rate of 90–100 %), so most units are green; each month about one
  unit in forty is given the 黄 pattern (weak 选人用人 and 清廉 figures), most of them
  green again the month after;
* the computed indicators come from the demo's own case records (clues, outcomes,
  petitions, problems, talks, 多色榜 warnings) as they are.

The reported values are written in bulk (one upload row per department and month, marked
as generated: no spreadsheet is stored) and each month is closed by the same service as
the page's button, oldest first.
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal
from typing import Any

from django.db import connection
from django.utils import timezone

from jiandu.core.db import insert_values
from jiandu.ecoindex.calc import month_shift
from jiandu.ecoindex.choices import EcoWarningStatus, LeafSource
from jiandu.ecoindex.close import index_close, participants
from jiandu.ecoindex.models import EcoWarning, IndexScore, IndexTree, IndexUpload, IndexValue

MONTHS = 12
ORANGE_STORIES = 9
RED_STORIES = 2
YELLOW_SHARE = 1 / 40

# Values that pull a unit down, by severity (applied on top of its ordinary values).
YELLOW = {  # 选人用人公信度 lost (−15): an ordinary unit (about 92) drops to about 77
    "appointment_issues": 10, "appointment_satisfaction": 0, "sick_promotion": 4,
    "personal_report_mismatch": 10, "dossier_issues": 20,
}  # fmt: skip
ORANGE = YELLOW | {  # and two thirds of 公职人员清廉度 (−13): about 64
    "eight_rules_issues": 7, "expenses_issues": 10, "risk_measure_rate": 0,
    "funds_issue_amount": 900,
}  # fmt: skip
RED = ORANGE | {  # and most of 政治生活规范度 and 人民群众满意度: about 45
    "collective_rate": 40, "meeting_rule_issues": 10, "life_meeting_rate": 40,
    "three_meetings_issues": 20, "inspection_issues": 20, "petition_ontime_rate": 0,
    "media_exposure": 10, "hotline_complaints": 90, "public_rating_score": 40,
}  # fmt: skip
PATTERNS = {"yellow": YELLOW, "orange": ORANGE, "red": RED}


def _ordinary(rng: random.Random, leaf: Any) -> Decimal:
    if leaf.unit == "%":
        return Decimal(rng.choice([90, 92, 95, 96, 98, 100, 100, 100]))
    if leaf.method == "minmax":
        if leaf.direction == "lower":
            return Decimal(rng.randint(0, 12))
        return Decimal(rng.randint(85, 100))
    return Decimal(1 if rng.random() < 0.1 else 0)


def _write_values(rows: list[tuple[Any, ...]]) -> None:
    """~130,000 rows: COPY on PostgreSQL, executemany batches elsewhere (not bulk_create's
    per-value compiling)."""
    columns = ["upload_id", "month", "org_id", "leaf", "value", "row_number"]
    table = IndexValue._meta.db_table
    if connection.vendor == "postgresql":
        with (
            connection.cursor() as cursor,
            cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy,
        ):
            for row in rows:
                copy.write_row(row)
        return
    insert_values(table, columns, rows, batch_size=5000)


def _write_month(
    tree: Any, month: str, orgs: list[Any], departments: dict[str, list[Any]],
    severity: dict[int, str], rng: random.Random, actor: Any,
) -> int:  # fmt: skip
    """One upload per department (marked as generated) and every unit's values."""
    now = timezone.now()
    uploads = {
        department: IndexUpload(
            tree=tree,
            month=month,
            department=department,
            original_name="演示数据（系统生成，未保存原始文件）",
            size=0,
            sha256="",
            rows=len(orgs),
            uploaded_by=actor,
            uploaded_at=now,
        )
        for department in departments
    }
    IndexUpload.objects.bulk_create(uploads.values())
    values = []
    for row, org in enumerate(orgs, start=2):
        pattern = PATTERNS.get(severity.get(org.pk, ""), {})
        for department, own in departments.items():
            upload_id = uploads[department].pk
            for leaf in own:
                value = pattern.get(leaf.key)
                number = Decimal(value) if value is not None else _ordinary(rng, leaf)
                values.append((upload_id, month, org.pk, leaf.key, number, row))
    _write_values(values)
    return len(values)


def demo_months(today: dt.date) -> list[str]:
    last = month_shift(f"{today.year:04d}-{today.month:02d}", -1)
    return [month_shift(last, -i) for i in range(MONTHS - 1, -1, -1)]


def build_ecoindex_demo(*, actor: Any, today: dt.date, seed: int = 2020) -> dict[str, Any]:
    """Reported values for a year and the twelve closes; returns what was made."""
    rng = random.Random(seed * 31 + 4)
    months = demo_months(today)
    tree = IndexTree.objects.filter(effective_from__lte=months[0]).order_by("-version").first()
    if tree is None:
        return {}
    orgs = participants(tree)
    leaves = list(tree.nodes.filter(source=LeafSource.REPORTED))
    departments: dict[str, list[Any]] = {}
    for leaf in leaves:
        departments.setdefault(leaf.department, []).append(leaf)

    # Stories: in months 2–9, units made orange (9) or red (2) for one month, then left
    # alone; one more made red in the last month. Each is drawn, just before its month is
    # written, among the units that were green at 90 or more the month before and have
    # no open warning, so that the month after it is green again.
    story_at: dict[str, list[str]] = {
        months[1 + i % 8]: [] for i in range(ORANGE_STORIES + RED_STORIES)
    }
    for i in range(ORANGE_STORIES + RED_STORIES):
        story_at[months[1 + i % 8]].append("orange" if i < ORANGE_STORIES else "red")
    story_at.setdefault(months[-1], []).append("red")
    storied: set[int] = set()
    written = 0
    closes = []
    previous: dict[int, tuple[Any, str]] = {}
    for month in months:
        severity: dict[int, str] = {}
        warned = set(
            EcoWarning.objects.filter(status=EcoWarningStatus.OPEN).values_list("org_id", flat=True)
        )
        candidates = [
            o
            for o in orgs
            if o.kind in ("township", "city_unit")
            and o.pk not in storied
            and o.pk not in warned
            and o.pk in previous
            and previous[o.pk][1] == "green"
            and previous[o.pk][0] >= 90
        ]
        for level in story_at.get(month, []):
            if candidates:
                org = candidates.pop(rng.randrange(len(candidates)))
                severity[org.pk] = level
                storied.add(org.pk)
        for org in orgs:
            if org.pk not in storied and rng.random() < YELLOW_SHARE:
                severity[org.pk] = "yellow"
        written += _write_month(tree, month, orgs, departments, severity, rng, actor)
        closes.append(index_close(actor=actor, month=month))
        previous = {
            org_id: (index, colour)
            for org_id, index, colour in IndexScore.objects.filter(
                snapshot=closes[-1].snapshot
            ).values_list("org_id", "index", "colour")
        }
    return {
        "months": months,
        "units": len(orgs),
        "values": written,
        "warnings": sum(len(c.warnings) for c in closes),
        "regreened": sum(len(c.regreened) for c in closes),
        "last": closes[-1].snapshot.data["colours"] if closes else {},
    }
