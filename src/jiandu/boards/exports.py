"""Documents of the 多色榜 as downloaded: the monthly 通报 (.docx), a 工作预警通知书
(.docx) per warning, and the board workbook (.xlsx). Each download is audited (EXPORT).

The renderers are the pure functions of :mod:`jiandu.boards.documents`; this module
gathers their input from snapshots, warnings and the case statistics. The 通报 of a
month and the 预警通知书 of a warning are official documents: the first download issues
them in the 文号 register (:mod:`jiandu.documents`), which assigns the 文号 printed in the
版头 and stores the file; later downloads return the stored file under the same number.
Voiding the number in the register lets the next download issue the document anew.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.utils import timezone

from jiandu.boards import compute, documents, ranking
from jiandu.boards.models import Board, BoardSnapshot, BoardWarning
from jiandu.boards.selectors import (
    BULLETIN_RECORD,
    WARNING_NOTICE_RECORD,
    bulletin_issued,
    snapshot_current,
    snapshot_result,
    snapshot_units,
    warning_notice_issued,
)
from jiandu.clues.models import DomainTag
from jiandu.clues.statistics import statistic
from jiandu.core.audit import audit_record
from jiandu.core.choices import AuditAction
from jiandu.documents.choices import DocumentType
from jiandu.documents.models import Document
from jiandu.documents.services import document_issue
from jiandu.orgs.choices import OrgKind
from jiandu.orgs.models import Org
from jiandu.orgs.selectors import org_subtree_ids

# Outcome kinds counted as 处理 (persons dealt with) in the headline.
HANDLED_STATISTICS = (
    "criticism",
    "organisational",
    "accountability",
    "party_discipline",
    "government_sanction",
    "judicial_transfer",
)

BULLETIN_REQUIREMENTS = (
    "各单位要对照多色榜找差距、补短板，排名靠前的要保持力度，排名靠后的要认真分析原因，"
    "拿出有针对性的措施，切实把监督执纪问责工作往深处做、往实处抓、往细处落。",
    "收到工作预警通知书或被约谈的单位，要按要求认真整改，按时书面报送整改情况。",
    "各单位要加强日常统计，确保报送的数据真实、准确、完整。",
)


def _unit_names(snapshot: BoardSnapshot) -> dict[str, str]:
    return {key: unit["name"] for key, unit in snapshot_units(snapshot).items()}


def _findings(warnings: Sequence[BoardWarning]) -> list[ranking.WarningFinding]:
    return [ranking.WarningFinding.from_dict(w.finding) for w in warnings]


def _lasts(snapshot: BoardSnapshot) -> dict[str, ranking.LastPlace]:
    """Who the close found last in the month and the cumulative period (snapshots
    closed before this was stored: none, the documents decide by the rule)."""
    stored = snapshot.data.get("last") or {}
    keys = {"month": snapshot.month, "cumulative": "cumulative"}
    return {keys[k]: ranking.LastPlace.from_dict(v) for k, v in stored.items() if k in keys}


def _section(snapshot: BoardSnapshot, warnings: Sequence[BoardWarning]) -> documents.BoardSection:
    return documents.BoardSection(
        title=snapshot.board.title,
        result=snapshot_result(snapshot),
        unit_names=_unit_names(snapshot),
        warnings=_findings(warnings),
        month=snapshot.month,
        lasts=_lasts(snapshot),
        bottom=_bottom(snapshot),
    )


def _bottom(snapshot: BoardSnapshot) -> ranking.BottomList | None:
    """The bottom-K list the close cut (snapshots closed before it was stored, and the
    months without one: none)."""
    stored = snapshot.data.get("bottom")
    return ranking.BottomList.from_dict(stored) if stored else None


def _snapshot_warnings(snapshot: BoardSnapshot) -> list[BoardWarning]:
    return list(
        BoardWarning.objects.filter(board_id=snapshot.board_id, month=snapshot.month).order_by(
            "kind", "pk"
        )
    )


def board_xlsx(*, actor: Any, snapshot: BoardSnapshot) -> bytes:
    """The snapshot as a coloured workbook: a sheet for its month, one for the cumulative
    period, and the warnings issued at this close."""
    data = documents.render_board_xlsx(board=_section(snapshot, _snapshot_warnings(snapshot)))
    audit_record(
        actor=actor,
        action=AuditAction.EXPORT,
        obj=snapshot,
        summary=f"导出多色榜：{snapshot}",
        changes={"format": "xlsx", "size": len(data)},
    )
    return data


def _scope_word(owner: Org) -> str:
    if owner.kind == OrgKind.COUNTY:
        return "全县（市、区）"
    if owner.depth == 0 and owner.kind == OrgKind.COMMISSION:
        return "全市"
    return owner.display_name


def headline_sentence(
    *, owner: Org, domain: DomainTag | None, months: Sequence[str], org_ids: Sequence[int]
) -> str:
    """The totals paragraph of a 通报 for a period, counted from the case statistics
    over the owner's whole jurisdiction (its subtree), as the seed's first paragraph."""
    start, _ = compute.month_bounds(months[0])
    _, end = compute.month_bounds(months[-1])
    code = domain.code if domain else ""

    def n(key: str) -> int:
        return statistic(key).count(start=start, end=end, domain=code, org_ids=org_ids)

    area = f"{domain.name}领域" if domain else ""
    handled = sum(n(key) for key in HANDLED_STATISTICS)
    groups: list[list[tuple[str, object, str]]] = [
        [(f"受理{area}问题线索", n("clues_received"), "个"), ("处置办结", n("clues_closed"), "个")],
        [("处理", handled, "人")],
        [
            ("批评教育", n("criticism"), "人"),
            ("问责处理", n("accountability"), "人"),
            ("党纪处分", n("party_discipline"), "人"),
            ("政务处分", n("government_sanction"), "人"),
        ],
        [
            (
                "通报曝光典型问题",
                f"{n('exposure_batches')}批{n('exposure_cases')}起",
                f"{n('exposure_persons')}人",
            )
        ],
    ]
    lead = f"{ranking.months_label(list(months))}，{_scope_word(owner)}纪检监察机关共"
    return documents.headline_totals(lead=lead, groups=groups)


def bulletin_boards(*, board: Board, month: str) -> list[BoardSnapshot]:
    """The month's boards for a 通报: every active board of the same owner with a closed
    snapshot of the month (latest versions), in board order."""
    boards = Board.objects.active().filter(owner_org_id=board.owner_org_id).order_by("pk")
    snapshots = []
    for candidate in boards:
        snapshot = snapshot_current(board=candidate, month=month)
        if snapshot is not None:
            snapshots.append(snapshot)
    return snapshots


def _stored(document: Document) -> bytes:
    with document.file.open("rb") as handle:
        return handle.read()


def bulletin_docx(
    *, actor: Any, board: Board, month: str, today: dt.date | None = None, issue: bool = True
) -> tuple[bytes, str] | None:
    """The monthly 通报 of the owner org and its file name: the stored file once issued;
    before that, issued with its 文号 when ``issue`` (the board's managers 签发 it),
    else None."""
    owner = board.owner_org
    record_id = f"{owner.pk}:{month}"
    document = bulletin_issued(board=board, month=month)
    if document is None and not issue:
        return None
    snapshots = bulletin_boards(board=board, month=month)
    if document is None:
        if not snapshots:
            raise ValueError(f"{ranking.month_label(month)}尚未结账，无法生成通报")
        title, render = _bulletin_render(owner=owner, board=board, month=month, snapshots=snapshots)
        document = document_issue(
            actor=actor,
            organ=owner,
            document_type=DocumentType.BULLETIN,
            title=title,
            render=render,
            file_name=f"{title}.docx",
            # Dated on the close it reports (the latest of the month's boards), not on
            # the day someone first downloads it.
            issued_on=today or max(timezone.localdate(s.created_at) for s in snapshots),
            record_type=BULLETIN_RECORD,
            record_id=record_id,
        )
    data = _stored(document)
    audit_record(
        actor=actor,
        action=AuditAction.EXPORT,
        obj=board,
        summary=f"导出多色榜通报：{document.title}"[:300],
        changes={
            "format": "docx",
            "month": month,
            "snapshots": [s.pk for s in snapshots],
            "size": len(data),
            "document": document.pk,
            "number": document.number,
        },
    )
    return data, document.file_name


def _warning_notice_issue(*, actor: Any, warning: BoardWarning, reply_days: int) -> Document:
    """签发 the warning's notice: its 文号 from the register, dated on the warning."""
    board = warning.board

    def render(number: str, day: dt.date) -> bytes:
        notice = documents.WarningNotice(
            finding=ranking.WarningFinding.from_dict(warning.finding),
            recipient=warning.org.name,
            issuer=board.owner_org.name,
            date=day,
            document_number=number,
            source=f"“{board.title}”多色榜",
            reply_by=day + dt.timedelta(days=reply_days),
            reply_to=board.owner_org.name,
        )
        return documents.render_warning_notice_docx(notice=notice)

    return document_issue(
        actor=actor,
        organ=board.owner_org,
        document_type=DocumentType.WARNING_NOTICE,
        title=f"关于对{warning.org.name}的工作预警通知书（{warning.month}）",
        render=render,
        file_name=f"工作预警通知书_{warning.org.name}_{warning.month}.docx",
        issued_on=timezone.localtime(warning.created_at).date(),
        recipient_org=warning.org,
        record_type=WARNING_NOTICE_RECORD,
        record_id=warning.pk,
    )


def _bulletin_render(
    *, owner: Org, board: Board, month: str, snapshots: Sequence[BoardSnapshot]
) -> tuple[str, Any]:
    domains = {s.board.domain_id for s in snapshots}
    domain = board.domain if len(domains) == 1 else None
    org_ids = org_subtree_ids(org=owner)
    months = compute.year_months(month)
    headline = headline_sentence(owner=owner, domain=domain, months=[month], org_ids=org_ids)
    paragraphs = []
    if len(months) > 1:
        paragraphs.append(
            headline_sentence(owner=owner, domain=domain, months=months, org_ids=org_ids)
        )
    sections = [_section(s, _snapshot_warnings(s)) for s in snapshots]
    area = f"{domain.name}领域" if domain else ""
    title = f"关于{ranking.month_label(month)}{_scope_word(owner)}{area}监督执纪问责工作情况的通报"

    def render(number: str, day: dt.date) -> bytes:
        bulletin = documents.Bulletin(
            title=title,
            issuer=owner.name,
            date=day,
            headline=headline,
            boards=sections,
            header=owner.name,
            document_number=number,
            recipients="各县（市、区）纪委监委，各派驻（出）机构，各监督检查室",
            paragraphs=tuple(paragraphs),
            requirements=BULLETIN_REQUIREMENTS,
        )
        return documents.render_bulletin_docx(bulletin=bulletin)

    return title, render


def warning_notice_docx(
    *, actor: Any, warning: BoardWarning, reply_days: int = 30, issue: bool = True
) -> tuple[bytes, str] | None:
    """The 工作预警通知书 of one warning and its file name: the stored file once issued;
    before that, issued with its 文号 when ``issue`` (the board's managers 签发 it),
    else None (a download never numbers one)."""
    document = warning_notice_issued(warning=warning)
    if document is None:
        if not issue:
            return None
        document = _warning_notice_issue(actor=actor, warning=warning, reply_days=reply_days)
    data = _stored(document)
    audit_record(
        actor=actor,
        action=AuditAction.EXPORT,
        obj=warning,
        summary=f"导出工作预警通知书：{warning.org.name}（{warning.month}）",
        changes={
            "format": "docx",
            "size": len(data),
            "document": document.pk,
            "number": document.number,
        },
    )
    return data, document.file_name
