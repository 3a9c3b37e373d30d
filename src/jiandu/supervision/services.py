"""Writes of the 督导 campaigns: setting a campaign up (units, 牵头单位, 督导 chain, 督导组),
the units' "5+2" lists (on the page or from the .xlsx template, all or nothing), the
督导检查 and their findings (problems of the 整改闭环, linked to the campaign), the
限期整改通知 of a finding, and the 整改警示卡.

Every function is keyword-only with ``actor=``, atomic, validated and audited.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from jiandu.core.access import jurisdiction_org_ids
from jiandu.core.audit import audit_record
from jiandu.core.choices import AuditAction
from jiandu.core.deadlines import deadline_rule, work_calendar
from jiandu.core.workdays import WorkCalendar, due_date
from jiandu.documents.choices import DocumentType
from jiandu.documents.models import Document
from jiandu.documents.services import (
    document_issue,
    rectification_notice_issue,
    warning_card_from_rectification,
)
from jiandu.orgs.models import Org
from jiandu.oversight.choices import RectificationStatus
from jiandu.oversight.models import Problem, ProblemCategory, ProblemSource, Rectification
from jiandu.oversight.selectors import acting_org_ids
from jiandu.oversight.services import problem_create
from jiandu.supervision.choices import CardReason, ListFiller, UnitRole
from jiandu.supervision.models import (
    Campaign,
    CampaignProblem,
    CampaignUnit,
    ChainLevel,
    Inspection,
    ListEntry,
    ListKind,
    Team,
    TeamMember,
    WarningCard,
)

if TYPE_CHECKING:
    pass

# The deadline table's step: how long an overdue rectification waits at one level of the
# 督导 chain before its next card goes one level up.
ESCALATION_STEP = "supervision.warning_escalation"
# The problem source of a 督导检查's findings (oversight reference data).
INSPECTION_SOURCE = "supervision"
INSPECTION_ORIGIN = "supervision.inspection"
CARD_RECORD = "supervision.warningcard"
# The states in which a rectification past its due date is overdue (the unit's move).
OVERDUE_STATUSES = (RectificationStatus.PENDING, RectificationStatus.IN_PROGRESS)

# The levels a new campaign's chain is offered with (seed 003's 四级督导).
DEFAULT_CHAIN_NAMES = ("牵头责任单位", "督导问责组", "领导小组办公室", "领导小组")


def _owner_org(actor: Any) -> Org:
    """The commission a user works for (an office acts for its commission)."""
    org = actor.org
    if org is None:
        raise ValidationError({"org": "您的账号没有所属单位"})
    if org.acts_for_commission and org.parent_id:
        return org.parent
    return org


def _in_jurisdiction(actor: Any, orgs: Iterable[Org], field: str) -> None:
    ids = jurisdiction_org_ids(actor)
    outside = [o.name for o in orgs if o.pk not in ids]
    if outside:
        raise ValidationError({field: f"{'、'.join(outside)}不在您的管辖范围内"})


# --- campaigns -----------------------------------------------------------------------


@dataclass(frozen=True)
class ChainLevelSpec:
    name: str
    org: Org


@transaction.atomic
def campaign_create(
    *,
    actor: Any,
    name: str,
    kind: str,
    starts_on: dt.date,
    ends_on: dt.date,
    lead_org: Org,
    units: Sequence[Org],
    chain: Sequence[ChainLevelSpec],
    description: str = "",
) -> Campaign:
    """Set up a campaign run by the actor's commission: the 牵头单位 (a participating unit
    at the 牵头部门 level), the other units (责任部门) and the 督导 chain, lowest level
    first. Every unit must be in the actor's jurisdiction."""
    if ends_on < starts_on:
        raise ValidationError({"ends_on": "结束日期不能早于开始日期"})
    if not chain:
        raise ValidationError({"chain": "请至少设置一级督导层级"})
    names = [level.name.strip() for level in chain]
    if any(not n for n in names):
        raise ValidationError({"chain": "每一级督导层级都须填写名称"})
    if len(set(names)) != len(names):
        raise ValidationError({"chain": "督导层级名称不能重复"})
    others = [u for u in units if u.pk != lead_org.pk]
    if not others:
        raise ValidationError({"units": "请选择至少一个责任部门（牵头单位以外的参与单位）"})
    _in_jurisdiction(actor, [lead_org, *others], "units")
    campaign = Campaign(
        name=name.strip(),
        kind=kind,
        starts_on=starts_on,
        ends_on=ends_on,
        owner_org=_owner_org(actor),
        lead_org=lead_org,
        description=description.strip(),
        created_by=actor,
    )
    campaign.full_clean()
    campaign.save()
    CampaignUnit.objects.create(campaign=campaign, org=lead_org, role=UnitRole.LEAD)
    CampaignUnit.objects.bulk_create(
        CampaignUnit(campaign=campaign, org=o, role=UnitRole.RESPONSIBLE)
        for o in dict.fromkeys(others)
    )
    ChainLevel.objects.bulk_create(
        ChainLevel(campaign=campaign, position=i, name=n, org=level.org)
        for i, (n, level) in enumerate(zip(names, chain, strict=True), start=1)
    )
    audit_record(
        actor=actor,
        action=AuditAction.CREATE,
        obj=campaign,
        summary=f"建立督导：{campaign.name}",
        changes={
            "lead_org": lead_org.pk,
            "units": [o.pk for o in others],
            "chain": [f"{n}：{level.org.name}" for n, level in zip(names, chain, strict=True)],
            "period": [starts_on, ends_on],
        },
    )
    return campaign


@transaction.atomic
def team_create(
    *, actor: Any, campaign: Campaign, name: str, members: Sequence[Any], leader: Any = None
) -> Team:
    """A 督导组 of the campaign with its members (people of the registry); ``leader`` is
    one of them (组长)."""
    if not members:
        raise ValidationError({"members": "请选择督导组成员"})
    if leader is not None and leader not in members:
        raise ValidationError({"leader": "组长须是督导组成员"})
    if campaign.teams.filter(name=name.strip()).exists():
        raise ValidationError({"name": f"本次督导已有“{name.strip()}”"})
    team = Team(campaign=campaign, name=name.strip())
    team.full_clean()
    team.save()
    TeamMember.objects.bulk_create(
        TeamMember(team=team, person=p, is_leader=leader is not None and p.pk == leader.pk)
        for p in dict.fromkeys(members)
    )
    audit_record(
        actor=actor,
        action=AuditAction.CREATE,
        obj=team,
        summary=f"{campaign.name}：组建{team.name}（{len(members)}人）",
        changes={"members": [p.pk for p in members], "leader": getattr(leader, "pk", None)},
    )
    return team


# --- the 5+2 lists ------------------------------------------------------------------------


@dataclass(frozen=True)
class EntryRow:
    """One list row as entered on the page or read from the template."""

    item: str
    detail: str = ""
    responsible: str = ""
    due_on: dt.date | None = None
    note: str = ""


def list_fill_check(*, actor: Any, campaign: Campaign, org: Org, kind: ListKind) -> None:
    """Whether ``actor`` may fill ``org``'s ``kind`` list: the five lists are filled by the
    unit's own staff (or the campaign's commission for them); the 督导检查/问责清单 by
    the lead unit or the commission. Raises ValidationError naming why not."""
    if not kind.is_entries:
        raise ValidationError({"kind": f"“{kind.name}”即本次督导的问题和整改，在问题整改中办理"})
    if kind.is_archived:
        raise ValidationError({"kind": f"“{kind.name}”已停用"})
    if not campaign.units.filter(org=org).exists():
        raise ValidationError({"org": f"{org.name}不是本次督导的参与单位"})
    acting = acting_org_ids(actor)
    commission = campaign.owner_org_id in acting
    if kind.filled_by == ListFiller.UNIT:
        allowed = org.pk in acting or commission
    else:
        allowed = campaign.lead_org_id in acting or commission
    if not allowed:
        who = "本单位" if kind.filled_by == ListFiller.UNIT else "牵头单位或组织单位"
        raise ValidationError({"org": f"“{kind.name}”应由{who}填报"})


def _entry_errors(rows: Sequence[EntryRow], *, first_row: int) -> list[str]:
    errors = []
    for i, row in enumerate(rows, start=first_row):
        if not row.item.strip():
            errors.append(f"第{i}行“事项”：不能为空")
        elif len(row.item.strip()) > 200:
            errors.append(f"第{i}行“事项”：不能超过200字")
        if len(row.responsible.strip()) > 100:
            errors.append(f"第{i}行“责任领导/责任人”：不能超过100字")
        if len(row.note.strip()) > 200:
            errors.append(f"第{i}行“备注”：不能超过200字")
    return errors


@transaction.atomic
def list_replace(
    *,
    actor: Any,
    campaign: Campaign,
    org: Org,
    kind: ListKind,
    rows: Sequence[EntryRow],
    source: str = "页面填报",
    first_row: int = 1,
) -> list[ListEntry]:
    """Replace ``org``'s ``kind`` list with ``rows`` (all or nothing): the current entries
    are archived (kept, with who and why), the new ones numbered 1, 2, …"""
    list_fill_check(actor=actor, campaign=campaign, org=org, kind=kind)
    errors = _entry_errors(rows, first_row=first_row)
    if not rows:
        errors.append("清单至少需要一行")
    if errors:
        raise ValidationError(errors)
    now = timezone.now()
    archived = ListEntry.objects.filter(
        campaign=campaign, org=org, kind=kind, archived_at__isnull=True
    ).update(archived_at=now, archived_by=actor, archive_reason=f"由{source}替换")
    entries = ListEntry.objects.bulk_create(
        ListEntry(
            campaign=campaign,
            org=org,
            kind=kind,
            position=i,
            item=row.item.strip(),
            detail=row.detail.strip(),
            responsible=row.responsible.strip(),
            due_on=row.due_on,
            note=row.note.strip(),
            created_by=actor,
        )
        for i, row in enumerate(rows, start=1)
    )
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        obj=campaign,
        summary=f"{campaign.name}：{org.name}{kind.name}（{len(entries)}项，{source}）"[:300],
        changes={"org": org.pk, "kind": kind.key, "rows": len(entries), "replaced": archived},
    )
    return entries


# The template's columns, in order (the header row names them; import checks it).
TEMPLATE_COLUMNS = ("序号", "事项", "具体内容", "责任领导/责任人", "完成时限", "备注")


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _cell_date(value: Any, *, row: int) -> tuple[dt.date | None, str]:
    if value in (None, ""):
        return None, ""
    if isinstance(value, dt.datetime):
        return value.date(), ""
    if isinstance(value, dt.date):
        return value, ""
    text = str(value).strip().replace("/", "-").replace(".", "-")
    try:
        return dt.date.fromisoformat(text), ""
    except ValueError:
        return None, f"第{row}行“完成时限”：“{value}”不是日期（应为 2026-06-30 这样的格式）"


def list_rows_from_xlsx(data: bytes) -> list[EntryRow]:
    """The rows of a filled template (openpyxl), after checking the header; every bad
    cell is named by row and column. Blank rows are skipped."""
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a broken file
        raise ValidationError(["无法读取 Excel 文件（应为本页下载的 .xlsx 模板）"]) from exc
    try:
        sheet = workbook.worksheets[0]
        rows = list(sheet.iter_rows(values_only=True))
    finally:
        workbook.close()
    if not rows:
        raise ValidationError(["第1行：文件为空，应为本页下载的模板"])
    header = tuple(_cell_text(c) for c in rows[0][: len(TEMPLATE_COLUMNS)])
    if header != TEMPLATE_COLUMNS:
        raise ValidationError([f"第1行：表头应为“{'、'.join(TEMPLATE_COLUMNS)}”"])
    out: list[EntryRow] = []
    errors: list[str] = []
    for number, values in enumerate(rows[1:], start=2):
        cells = list(values[: len(TEMPLATE_COLUMNS)]) + [None] * len(TEMPLATE_COLUMNS)
        if all(_cell_text(c) == "" for c in cells[1:6]):
            continue
        due_on, error = _cell_date(cells[4], row=number)
        if error:
            errors.append(error)
        row = EntryRow(
            item=_cell_text(cells[1]),
            detail=_cell_text(cells[2]),
            responsible=_cell_text(cells[3]),
            due_on=due_on,
            note=_cell_text(cells[5]),
        )
        errors.extend(_entry_errors([row], first_row=number))
        out.append(row)
    if errors:
        raise ValidationError(errors)
    if not out:
        raise ValidationError(["第2行起：模板中没有填写任何事项"])
    return out


def list_import(
    *, actor: Any, campaign: Campaign, org: Org, kind: ListKind, name: str, data: bytes
) -> list[ListEntry]:
    """Replace a list from its filled .xlsx template: all or nothing, every error naming
    its row and column."""
    if not name.lower().endswith(".xlsx"):
        raise ValidationError(["文件类型应为 .xlsx（本页下载的模板）"])
    list_fill_check(actor=actor, campaign=campaign, org=org, kind=kind)
    rows = list_rows_from_xlsx(data)
    return list_replace(
        actor=actor,
        campaign=campaign,
        org=org,
        kind=kind,
        rows=rows,
        source=f"导入文件“{name}”",
        first_row=2,
    )


# --- 督导检查 and their findings ---------------------------------------------------------


@transaction.atomic
def inspection_record(
    *,
    actor: Any,
    campaign: Campaign,
    held_on: dt.date,
    team: Team,
    units: Sequence[Org],
    method: str = "集中督导检查",
    summary: str = "",
) -> Inspection:
    """Record a 督导检查 of participating units by one of the campaign's 督导组."""
    if team.campaign_id != campaign.pk:
        raise ValidationError({"team": "督导组不属于本次督导"})
    if not units:
        raise ValidationError({"units": "请选择被检查单位"})
    participating = set(campaign.units.values_list("org_id", flat=True))
    outside = [u.name for u in units if u.pk not in participating]
    if outside:
        raise ValidationError({"units": f"{'、'.join(outside)}不是本次督导的参与单位"})
    if held_on > timezone.localdate():
        raise ValidationError({"held_on": "检查日期不能晚于今天"})
    inspection = Inspection(
        campaign=campaign,
        held_on=held_on,
        team=team,
        method=method.strip() or "集中督导检查",
        summary=summary.strip(),
        recorded_by=actor,
    )
    inspection.full_clean()
    inspection.save()
    inspection.units.set(units)
    audit_record(
        actor=actor,
        action=AuditAction.CREATE,
        obj=inspection,
        summary=f"{campaign.name}：{inspection.method}（{held_on.isoformat()}，{team.name}）",
        changes={"units": [u.pk for u in units], "team": team.pk},
    )
    return inspection


def _link(*, actor: Any, campaign: Campaign, problem: Problem, inspection: Any = None) -> None:
    CampaignProblem.objects.create(
        campaign=campaign,
        problem=problem,
        inspection=inspection,
        linked_by=actor,
        linked_at=timezone.now(),
    )


@transaction.atomic
def inspection_finding_add(
    *,
    actor: Any,
    inspection: Inspection,
    org: Org,
    description: str,
    category: ProblemCategory,
    immediate_reason: str = "",
    evidence: list[Any] | None = None,
    found_on: dt.date | None = None,
) -> Problem:
    """A finding of a 督导检查: a problem of the 整改闭环 about a unit checked (source
    督导检查, supervised by the campaign's commission), in the campaign's 问题清单."""
    if not inspection.units.filter(pk=org.pk).exists():
        raise ValidationError({"org": f"{org.name}不在本次检查的被检查单位中"})
    campaign = inspection.campaign
    problem = problem_create(
        actor=actor,
        org=org,
        description=description,
        category=category,
        source=ProblemSource.objects.get(key=INSPECTION_SOURCE),
        found_on=found_on or inspection.held_on,
        supervising_org=campaign.owner_org,
        found_by_org=campaign.owner_org,
        origin=(INSPECTION_ORIGIN, inspection.pk),
        evidence=evidence,
        immediate_reason=immediate_reason,
    )
    _link(actor=actor, campaign=campaign, problem=problem, inspection=inspection)
    return problem


@transaction.atomic
def campaign_problem_link(*, actor: Any, campaign: Campaign, problem: Problem) -> Problem:
    """Put an existing problem of a participating unit on the campaign's 问题清单."""
    if not campaign.units.filter(org=problem.org_id).exists():
        raise ValidationError({"problem": f"{problem.org}不是本次督导的参与单位"})
    if CampaignProblem.objects.filter(problem=problem).exists():
        raise ValidationError({"problem": f"问题{problem.number}已纳入督导"})
    _link(actor=actor, campaign=campaign, problem=problem)
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        obj=campaign,
        summary=f"{campaign.name}：纳入问题{problem.number}",
        changes={"problem": problem.pk},
    )
    return problem


def deadline_notice_issue(*, actor: Any, problem: Problem) -> Document:
    """The 限期整改通知 (督促整改通知书, with its 文号) of a problem found in a campaign."""
    return rectification_notice_issue(actor=actor, problem=problem)


# --- 整改警示卡 ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Level:
    position: int
    name: str
    org: Org


def chain_for(problem: Problem) -> list[Level]:
    """The 督导 chain a problem's cards climb, lowest level first.

    In a campaign: its configured levels. Outside one: the supervising body and then
    each parent up the org tree (an office acting for a commission counts as the
    commission), named after the org."""
    link = CampaignProblem.objects.filter(problem=problem).select_related("campaign").first()
    if link is not None:
        return [
            Level(c.position, c.name, c.org)
            for c in link.campaign.chain.select_related("org").order_by("position")
        ]
    org: Org | None = problem.supervising_org
    if org is not None and org.acts_for_commission and org.parent_id:
        org = org.parent
    levels: list[Level] = []
    while org is not None:
        levels.append(Level(len(levels) + 1, org.name, org))
        org = org.parent
    return levels


def overdue_periods(rectification: Rectification, *, today: dt.date, calendar: WorkCalendar) -> int:
    """How many overdue periods have begun by ``today``: 0 when not overdue, 1 from the
    day after the due date, 2 once one escalation period (the deadline table's
    ``supervision.warning_escalation``) has passed after it, and so on. A rectification
    whose report awaits acceptance is not overdue: the next move is the supervisor's."""
    if rectification.status not in OVERDUE_STATUSES or rectification.due_on >= today:
        return 0
    rule = deadline_rule(ESCALATION_STEP)
    periods, boundary = 1, rectification.due_on
    while True:
        boundary = due_date(calendar, boundary, rule.period_kind, rule.length).due
        if boundary >= today:
            return periods
        periods += 1


def _issue_card(
    *,
    actor: Any,
    rectification: Rectification,
    reason: str,
    ordinal: int,
    level: Level,
    campaign: Campaign | None,
    today: dt.date,
) -> WarningCard:
    card = WarningCard(
        rectification=rectification,
        org=rectification.problem.org,
        campaign=campaign,
        reason=reason,
        ordinal=ordinal,
        level_position=level.position,
        level_name=level.name,
        issuing_org=level.org,
        issued_on=today,
        due_on=rectification.due_on,
    )
    problem = rectification.problem
    level_text = level.name if level.name == level.org.name else f"{level.name}（{level.org.name}）"

    def render(number: str, day: dt.date) -> bytes:
        from jiandu.documents import renderers

        data = warning_card_from_rectification(
            rectification=rectification,
            level=level_text,
            issuer=level.org.name,
            number=number,
            date=day,
        )
        return renderers.render_warning_card_docx(card=data)

    # The register's record id is fixed before the card row exists (one per ordinal).
    record_id = f"{rectification.pk}:{reason}:{ordinal}"
    card.document = document_issue(
        actor=actor,
        organ=level.org,
        document_type=DocumentType.WARNING_CARD,
        title=f"{problem.org.name}整改警示卡（{problem.number}）",
        render=render,
        file_name=f"整改警示卡_{problem.org.name}_{problem.number}_{ordinal}.docx",
        issued_on=today,
        recipient_org=problem.org,
        record_type=CARD_RECORD,
        record_id=record_id,
    )
    card.full_clean(exclude=["document"])
    card.save()
    audit_record(
        actor=actor,
        action=AuditAction.CREATE,
        obj=card,
        summary=f"整改警示卡 {card.document.number}：{problem.number}"
        f"（{card.get_reason_display()}，{level.name}）"[:300],
        changes={"rectification": rectification.pk, "reason": reason, "ordinal": ordinal,
                 "level": level.position, "issuing_org": level.org.pk},
    )  # fmt: skip
    return card


def warning_cards_for(
    *,
    actor: Any,
    rectification: Rectification,
    today: dt.date | None = None,
    calendar: WorkCalendar | None = None,
) -> list[WarningCard]:
    """Issue the cards ``rectification`` is owed today and has not had: one for each
    overdue period begun (the n-th at level n of the chain, none past the top), and one
    for every two failed acceptances (the first at level 1, each next one level up).
    Idempotent: a second call the same day issues nothing."""
    today = today or timezone.localdate()
    calendar = calendar or work_calendar()
    with transaction.atomic():
        rectification = (
            Rectification.objects.select_for_update(of=("self",))
            .select_related("problem__org", "problem__supervising_org__parent")
            .get(pk=rectification.pk)
        )
        problem = rectification.problem
        owed = {
            CardReason.OVERDUE: overdue_periods(rectification, today=today, calendar=calendar),
            CardReason.REJECTED: rectification.rejection_count // 2
            if rectification.status != RectificationStatus.CLOSED
            else 0,
        }
        if not any(owed.values()):
            return []
        chain = chain_for(problem)
        if not chain:
            return []
        have = dict.fromkeys(owed, 0)
        for reason, ordinal in WarningCard.objects.filter(rectification=rectification).values_list(
            "reason", "ordinal"
        ):
            have[reason] = max(have[reason], ordinal)
        link = CampaignProblem.objects.filter(problem=problem).first()
        campaign = link.campaign if link else None
        issued = []
        for reason, count in owed.items():
            for ordinal in range(have[reason] + 1, min(count, len(chain)) + 1):
                issued.append(
                    _issue_card(
                        actor=actor,
                        rectification=rectification,
                        reason=reason,
                        ordinal=ordinal,
                        level=chain[ordinal - 1],
                        campaign=campaign,
                        today=today,
                    )
                )
        return issued


@dataclass(frozen=True)
class CardCheck:
    """What one run of the card check did."""

    checked: int
    issued: list[WarningCard]


def warning_cards_check(*, actor: Any, today: dt.date | None = None) -> CardCheck:
    """The daily check: every open rectification in ``actor``'s jurisdiction that is
    overdue or has failed acceptance twice gets the cards it is owed (see
    :func:`warning_cards_for`). Running it twice issues nothing new."""
    today = today or timezone.localdate()
    calendar = work_calendar()
    due = Q(due_on__lt=today, status__in=OVERDUE_STATUSES) | Q(rejection_count__gte=2)
    candidates = (
        Rectification.objects.filter(problem__in=Problem.objects.restrict(actor).values("pk"))
        .exclude(status=RectificationStatus.CLOSED)
        .filter(due)
        .order_by("due_on", "pk")
    )
    issued: list[WarningCard] = []
    ids = list(candidates.values_list("pk", flat=True))
    for pk in ids:
        issued.extend(
            warning_cards_for(
                actor=actor, rectification=Rectification(pk=pk), today=today, calendar=calendar
            )
        )
    return CardCheck(checked=len(ids), issued=issued)
