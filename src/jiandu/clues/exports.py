""".xlsx exports of the 信访举报 and 问题线索 lists.

An export is exactly the list the user is looking at: the same selector, the same
filters, the same jurisdiction, the same order (newest first), every page. Each export
writes an audit row naming the filters and the number of rows; reporter identities are
never part of it.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import asdict
from typing import Any

from django.db.models import Model
from django.utils import timezone

from jiandu.clues.choices import ClueStatus
from jiandu.clues.models import Clue, Petition
from jiandu.clues.selectors import ClueFilters, PetitionFilters, clue_list, petition_list
from jiandu.core.audit import audit_record
from jiandu.core.choices import AuditAction
from jiandu.core.xlsx import Column, export_rows


def _names(items: Iterable[Any]) -> str:
    return "、".join(str(item) for item in items)


PETITION_COLUMNS = [
    Column("编号", lambda p: p.number, 18),
    Column("受理日期", lambda p: p.received_date, 12),
    Column("来源渠道", lambda p: p.get_channel_display(), 10),
    Column("实名/匿名", lambda p: "实名" if p.is_real_name else "匿名", 10),
    Column("标题", lambda p: p.title, 40),
    Column("领域", lambda p: _names(p.domains.all()), 14),
    Column("被反映人", lambda p: _names(p.subject_people.all()), 18),
    Column("被反映单位", lambda p: _names(p.subject_orgs.all()), 20),
    Column("登记单位", lambda p: p.received_org, 18),
    Column("承办单位", lambda p: p.handling_org, 18),
    Column("状态", lambda p: p.get_status_display(), 12),
    Column("初信初访", lambda p: p.is_first_time, 10),
    Column("重复举报于", lambda p: p.repeat_of.number if p.repeat_of_id else "", 18),
    Column("转办至", lambda p: p.transferred_to, 16),
]


def _overdue(clue: Clue, today: Any) -> bool:
    return clue.status != ClueStatus.CLOSED and clue.due_date is not None and clue.due_date < today


def _clue_columns() -> list[Column]:
    today = timezone.localdate()
    return [
        Column("编号", lambda c: c.number, 18),
        Column("受理日期", lambda c: c.received_date, 12),
        Column("线索来源", lambda c: c.get_source_display(), 12),
        Column("标题", lambda c: c.title, 40),
        Column("领域", lambda c: _names(c.domains.all()), 14),
        Column("被反映人", lambda c: _names(c.subject_people.all()), 18),
        Column("被反映单位", lambda c: _names(c.subject_orgs.all()), 20),
        Column("承办单位", lambda c: c.handling_org, 18),
        Column("状态", lambda c: c.get_status_display(), 10),
        Column("处置方式", lambda c: c.get_disposal_method_display(), 12),
        Column("办理期限", lambda c: c.due_date, 12),
        Column("是否超期", lambda c: _overdue(c, today), 10),
        Column("办结日期", lambda c: c.closed_at, 12),
        Column("办结结论", lambda c: c.get_conclusion_display(), 12),
        Column("提级查办", lambda c: c.is_escalated, 10),
        Column("直查直办", lambda c: c.is_direct, 10),
        Column("涉及金额（元）", lambda c: c.funds_involved, 14),
    ]


class _Counter:
    """Counts rows as the workbook consumes them (one pass over the queryset)."""

    def __init__(self, rows: Iterable[Any]):
        self.rows = rows
        self.count = 0

    def __iter__(self) -> Iterator[Any]:
        for row in self.rows:
            self.count += 1
            yield row


def _audit(
    *, actor: Any, model: type[Model], what: str, description: str, filters: Any, count: int
) -> None:
    audit_record(
        actor=actor,
        action=AuditAction.EXPORT,
        object_type=model._meta.label_lower,
        summary=f"导出{what}{count}条（筛选：{description}）",
        changes={"filters": asdict(filters), "rows": count},
    )


def petitions_xlsx(*, actor: Any, filters: PetitionFilters, description: str) -> bytes:
    """The filtered 信访举报 list as .xlsx, audited."""
    qs = (
        petition_list(user=actor, filters=filters)
        .select_related("repeat_of")
        .prefetch_related("domains", "subject_people", "subject_orgs")
        .order_by("-received_date", "-id")
    )
    rows = _Counter(qs.iterator(chunk_size=500))
    data = export_rows(title="信访举报", columns=PETITION_COLUMNS, rows=rows)
    _audit(
        actor=actor,
        model=Petition,
        what="信访举报",
        description=description,
        filters=filters,
        count=rows.count,
    )
    return data


def clues_xlsx(*, actor: Any, filters: ClueFilters, description: str) -> bytes:
    """The filtered 问题线索 list as .xlsx, audited."""
    qs = (
        clue_list(user=actor, filters=filters)
        .prefetch_related("domains", "subject_people", "subject_orgs")
        .order_by("-received_date", "-id")
    )
    rows = _Counter(qs.iterator(chunk_size=500))
    data = export_rows(title="问题线索", columns=_clue_columns(), rows=rows)
    _audit(
        actor=actor,
        model=Clue,
        what="问题线索",
        description=description,
        filters=filters,
        count=rows.count,
    )
    return data
