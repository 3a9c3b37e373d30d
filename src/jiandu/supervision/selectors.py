"""Reads of the 督导 campaigns, always through the user's jurisdiction: a campaign is
seen by its commission and its participating units; a unit sees its own lists, problems
and cards only; outside, a record does not exist (404)."""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from jiandu.core.access import get_or_404, jurisdiction_org_ids
from jiandu.core.xlsx import put, style_header
from jiandu.orgs.models import Org
from jiandu.oversight.models import Problem
from jiandu.oversight.selectors import (
    STAGE_FILTERS,
    STAGE_LABELS,
    StatusCounts,
    acting_org_ids,
    problem_counts_by,
    problem_status_counts,
)
from jiandu.supervision.choices import ListFiller
from jiandu.supervision.models import (
    Campaign,
    CampaignUnit,
    Inspection,
    ListEntry,
    ListKind,
    WarningCard,
)

# The four counts of seed 003 and the list each opens (oversight's stage filters).
COUNT_STAGES = ("immediate", "working", "pending", "closed")


def campaign_list(*, user: Any) -> QuerySet[Campaign]:
    return (
        Campaign.objects.restrict(user)
        .filter(archived_at__isnull=True)
        .select_related("owner_org", "lead_org")
    )


def campaign_get(*, user: Any, pk: int) -> Campaign:
    return get_or_404(campaign_list(user=user), pk=pk)


def may_manage(user: Any, campaign: Campaign) -> bool:
    """The campaign's commission (its offices) with the right to run campaigns."""
    return campaign.owner_org_id in acting_org_ids(user) and user.has_perm(
        "supervision.change_campaign"
    )


def campaign_units(*, user: Any, campaign: Campaign) -> list[CampaignUnit]:
    """The participating units the user may see (a unit: itself)."""
    ids = jurisdiction_org_ids(user)
    return [
        u
        for u in campaign.units.select_related("org").order_by("role", "org__path")
        if u.org_id in ids
    ]


def campaign_unit_get(*, user: Any, campaign: Campaign, org_id: int) -> CampaignUnit:
    for unit in campaign_units(user=user, campaign=campaign):
        if unit.org_id == org_id:
            return unit
    raise Http404("记录不存在")


def list_kinds() -> list[ListKind]:
    return list(ListKind.objects.filter(archived_at__isnull=True))


def list_kind_get(key: str) -> ListKind:
    return get_or_404(ListKind.objects.filter(archived_at__isnull=True), key=key)


def list_entries(*, user: Any, campaign: Campaign, org: Org, kind: ListKind) -> QuerySet[ListEntry]:
    return ListEntry.objects.restrict(user).filter(
        campaign=campaign, org=org, kind=kind, archived_at__isnull=True
    )


def may_fill(user: Any, campaign: Campaign, org: Org, kind: ListKind) -> bool:
    if not kind.is_entries or not user.has_perm("supervision.fill_campaign_list"):
        return False
    acting = acting_org_ids(user)
    if campaign.owner_org_id in acting:
        return True
    if kind.filled_by == ListFiller.UNIT:
        return org.pk in acting
    return campaign.lead_org_id in acting


def campaign_problems(
    *, user: Any, campaign: Campaign, org_id: int | None = None, stage: str = ""
) -> QuerySet[Problem]:
    """The campaign's 问题清单 in the user's jurisdiction, optionally one unit's and one
    of the four counts' (立行立改 / 正在整改 / 待整改 / 已销号)."""
    qs = Problem.objects.restrict(user).filter(campaign_link__campaign=campaign)
    if org_id:
        qs = qs.filter(org_id=org_id)
    if stage in STAGE_FILTERS:
        qs = qs.filter(STAGE_FILTERS[stage])
    return qs.select_related("org", "category", "source", "rectification")


@dataclass(frozen=True)
class CampaignCounts:
    totals: StatusCounts
    units: list[dict[str, Any]]


def campaign_counts(*, user: Any, campaign: Campaign) -> CampaignCounts:
    """立行立改 / 正在整改 / 待整改 / 已销号 for the campaign and per unit, on exactly the
    problems :func:`campaign_problems` lists for the same filter."""
    problems = campaign_problems(user=user, campaign=campaign)
    return CampaignCounts(
        totals=problem_status_counts(problems), units=problem_counts_by(problems, "org")
    )


def stage_label(stage: str) -> str:
    return STAGE_LABELS.get(stage, "")


def inspection_list(*, user: Any, campaign: Campaign | None = None) -> QuerySet[Inspection]:
    qs = Inspection.objects.restrict(user).select_related("campaign", "team")
    if campaign is not None:
        qs = qs.filter(campaign=campaign)
    return qs


def inspection_get(*, user: Any, pk: int) -> Inspection:
    return get_or_404(inspection_list(user=user), pk=pk)


def warning_card_list(*, user: Any, campaign: Campaign | None = None) -> QuerySet[WarningCard]:
    qs = WarningCard.objects.restrict(user).select_related(
        "org", "issuing_org", "document", "campaign", "rectification__problem"
    )
    if campaign is not None:
        qs = qs.filter(campaign=campaign)
    return qs


def warning_card_get(*, user: Any, pk: int) -> WarningCard:
    return get_or_404(warning_card_list(user=user), pk=pk)


def list_template_xlsx(
    *, campaign: Campaign, org: Org, kind: ListKind, entries: list[Any]
) -> bytes:
    """The .xlsx template of one unit's list, holding its current rows: filled in and
    uploaded again, it replaces the list. Written with ``core.xlsx``."""
    from openpyxl import Workbook

    from jiandu.supervision.services import TEMPLATE_COLUMNS

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = kind.name[:31]
    widths = (8, 30, 50, 18, 14, 24)
    for col, (header, width) in enumerate(zip(TEMPLATE_COLUMNS, widths, strict=True), start=1):
        cell = style_header(put(sheet, 1, col, header))
        sheet.column_dimensions[cell.column_letter].width = width
    sheet.freeze_panes = "A2"
    for row, entry in enumerate(entries, start=2):
        values = (row - 1, entry.item, entry.detail, entry.responsible, entry.due_on, entry.note)
        for col, value in enumerate(values, start=1):
            cell = put(sheet, row, col, value)
            if col == 5 and value:
                cell.number_format = "yyyy-mm-dd"
    notes = workbook.create_sheet("填写说明")
    lines = [
        f"{campaign.name} · {org.name} · {kind.name}",
        "每行一项；“事项”必填，“完成时限”填日期（如 2026-06-30）；"
        "“序号”可不填（导入时按行重新编号）。",
        "上传后替换本单位该清单的全部现有条目（原条目归档保留）；任何一行有错误时整份文件不导入。",
        f"“事项”即{kind.item_label}，“具体内容”即{kind.detail_label}。",
    ]
    for i, line in enumerate(lines, start=1):
        put(notes, i, 1, line)
    notes.column_dimensions["A"].width = 100
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
