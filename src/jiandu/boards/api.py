"""API of the 多色榜: boards, their frozen snapshots, the records behind any cell, the
close, and the warnings with their follow-up.

Reads go through the board selectors (404 outside the user's reach, own-row boards
trimmed), writes through the board services (validated, atomic, audited)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Query, Router, Status
from ninja.errors import HttpError

from jiandu.boards import selectors, services
from jiandu.boards.choices import WarningAction
from jiandu.boards.compute import board_columns
from jiandu.boards.models import Board, BoardSnapshot, BoardWarning
from jiandu.boards.schemas import (
    BoardDetailOut,
    BoardOut,
    CellOut,
    CellQuery,
    CloseIn,
    CloseOut,
    SnapshotInfoOut,
    SnapshotOut,
    WarningActionIn,
    WarningDetailOut,
    WarningOut,
    WarningQuery,
)
from jiandu.core.access import require_perm
from jiandu.core.schemas import ERRORS, ERRORS_WITH_CONFLICT

router = Router(tags=["多色榜"])

VIEW = "boards.view_board"


def _access_label(access: selectors.BoardAccess) -> str:
    if access.full:
        return "full"
    return "whole" if access.sees_all_rows else "own_row"


def _board_out(access: selectors.BoardAccess, latest: str | None) -> dict[str, Any]:
    board = access.board
    return {
        "id": board.pk,
        "key": board.key,
        "title": board.title,
        "owner_org": {"id": board.owner_org_id, "name": board.owner_org.name},
        "domain": board.domain.code if board.domain else None,
        "visibility": board.visibility,
        "access": _access_label(access),
        "latest_month": latest,
    }


def _snapshot_info(snapshot: BoardSnapshot | selectors.SnapshotInfo) -> dict[str, Any]:
    if isinstance(snapshot, selectors.SnapshotInfo):
        created_by = snapshot.created_by
    else:
        created_by = snapshot.created_by.username if snapshot.created_by is not None else ""
    return {
        "id": snapshot.pk,
        "month": snapshot.month,
        "version": snapshot.version,
        "reason": snapshot.reason,
        "missing_as_zero": snapshot.missing_as_zero,
        "created_at": snapshot.created_at,
        "created_by": created_by,
    }


@router.get("/", response={200: list[BoardOut], **ERRORS}, summary="多色榜列表")
def list_boards(request: HttpRequest):
    require_perm(request, VIEW)
    accesses = selectors.board_list(user=request.user)
    latest = selectors.latest_snapshots(boards=[a.board for a in accesses])
    return [
        _board_out(a, latest[a.board.pk].month if a.board.pk in latest else None) for a in accesses
    ]


@router.get("/{int:board_id}", response={200: BoardDetailOut, **ERRORS}, summary="多色榜设置")
def get_board(request: HttpRequest, board_id: int):
    require_perm(request, VIEW)
    access = selectors.board_get(user=request.user, pk=board_id)
    board: Board = access.board
    infos = selectors.snapshot_infos(board=board)
    columns = [
        {
            "key": c.key,
            "name": c.name,
            "heading": c.heading,
            "source": c.source,
            "direction": c.direction,
            "domain": c.domain,
            "slots": list(c.slots),
        }
        for c in board_columns(board)
    ]
    return {
        **_board_out(access, infos[0].month if infos else None),
        "participant_rule": board.participant_rule,
        "participant_kinds": list(board.participant_kinds or []),
        "participant_labels": list(board.participant_labels.values_list("name", flat=True)),
        "yellow_labels": list(board.yellow_labels.values_list("name", flat=True)),
        "colours": {
            "red_points": board.red_points,
            "blue_points": board.blue_points,
            "white_points": board.white_points,
            "top_n": board.top_n,
        },
        "cumulative_mode": board.cumulative_mode,
        "consecutive_months": board.consecutive_months,
        "quarter_interview": board.quarter_interview,
        "bottom_k": board.bottom_k,
        "bottom_month": board.bottom_month,
        "last_place": {
            "tie_breakers": list(board.tie_breakers or []),
            "max_tied": board.max_tied_last,
        },
        "indicators": columns,
        "closed_months": list(dict.fromkeys(i.month for i in infos)),
    }


@router.get(
    "/{int:board_id}/snapshots",
    response={200: list[SnapshotInfoOut], **ERRORS},
    summary="多色榜快照列表（各月各版本）",
)
def list_snapshots(request: HttpRequest, board_id: int):
    require_perm(request, VIEW)
    access = selectors.board_get(user=request.user, pk=board_id)
    return [_snapshot_info(i) for i in selectors.snapshot_infos(board=access.board)]


@router.get(
    "/snapshots/{int:snapshot_id}",
    response={200: SnapshotOut, **ERRORS},
    summary="多色榜快照（冻结的数据）",
)
def get_snapshot(request: HttpRequest, snapshot_id: int):
    require_perm(request, VIEW)
    snapshot, access = selectors.snapshot_get_for_user(user=request.user, pk=snapshot_id)
    return {
        **_snapshot_info(snapshot),
        "board_id": snapshot.board_id,
        "data": selectors.snapshot_visible(snapshot, access),
    }


@router.get(
    "/snapshots/{int:snapshot_id}/cells",
    response={200: CellOut, **ERRORS},
    summary="单元格记录（下钻）",
)
def get_cell(request: HttpRequest, snapshot_id: int, query: Query[CellQuery]):
    """The records behind one cell: for a computed indicator the statistic's records over
    the unit's subtree in each month of the period (records outside the caller's
    jurisdiction counted in ``hidden``, not listed); for a reported one the uploaded
    figures with their file and row."""
    require_perm(request, VIEW)
    snapshot, access = selectors.snapshot_get_for_user(user=request.user, pk=snapshot_id)
    drill = selectors.cell_records(
        user=request.user,
        access=access,
        snapshot=snapshot,
        period=query.period,
        unit_key=query.unit,
        indicator_key=query.indicator,
    )
    return {
        "snapshot_id": snapshot.pk,
        "period": drill.period,
        "unit": drill.unit["key"],
        "unit_name": drill.unit["name"],
        "indicator": drill.column.key,
        "cell": drill.cell,
        "count": drill.count,
        "slots": [
            {
                "name": s.name,
                "statistic": s.statistic,
                "statistic_name": s.statistic_name,
                "date_label": s.date_label,
                "frozen": s.frozen,
                "count": s.count,
                "months": [
                    {
                        "month": m.month,
                        "count": m.count,
                        "hidden": m.hidden,
                        "truncated": m.truncated,
                        "records": [r.__dict__ for r in m.rows],
                    }
                    for m in s.months
                ],
            }
            for s in drill.slots
        ],
        "reported": [
            {
                "month": r.month,
                "slot": r.slot,
                "value": str(r.value),
                "file_name": r.file_name,
                "upload_id": r.upload_id,
                "row_number": r.row_number,
                "missing_as_zero": r.missing_as_zero,
            }
            for r in drill.reported
        ],
    }


@router.post(
    "/{int:board_id}/close",
    response={201: CloseOut, **ERRORS},
    summary="结账（生成当月及累计快照，发出预警）",
)
def close_board(request: HttpRequest, board_id: int, payload: CloseIn):
    """Close a month (``boards.close_board``, owner's jurisdiction). A month already
    closed needs a ``reason`` and gets the next version; missing reported figures are
    refused (422, naming the units) unless ``missing_as_zero``."""
    require_perm(request, VIEW)
    require_perm(request, "boards.close_board")
    access = selectors.board_get(user=request.user, pk=board_id)
    if not access.full:
        raise HttpError(403, "只有主管单位可以结账")
    outcome = services.board_close(
        actor=request.user,
        board=access.board,
        month=payload.month,
        missing_as_zero=payload.missing_as_zero,
        reason=payload.reason,
    )
    result = outcome.as_dict()
    return Status(
        201,
        {
            "snapshot": _snapshot_info(outcome.snapshot),
            "warnings": result["warnings"],
            "already_issued": result["already_issued"],
            "missing_as_zero": result["missing_as_zero"],
        },
    )


# --- warnings --------------------------------------------------------------------


def _warning_out(warning: BoardWarning) -> dict[str, Any]:
    return {
        "id": warning.pk,
        "board_id": warning.board_id,
        "board_title": warning.board.title,
        "kind": warning.kind,
        "kind_label": warning.get_kind_display(),
        "org": {"id": warning.org_id, "name": warning.org.name},
        "month": warning.month,
        "scope": warning.scope,
        "description": warning.description,
        "leader_name": warning.leader_name,
        "leader_title": warning.leader_title,
        "status": warning.status,
        "status_label": warning.get_status_display(),
        "created_at": warning.created_at,
    }


def _warning_detail(user: Any, pk: int) -> dict[str, Any]:
    warning, access = selectors.warning_get(user=user, pk=pk)
    return {
        **_warning_out(warning),
        "finding": warning.finding,
        "evidence": [
            {
                "id": s.pk,
                "month": s.month,
                "version": s.version,
                "reason": "",
                "missing_as_zero": False,
                "created_at": s.created_at,
                "created_by": "",
            }
            for s in selectors.warning_evidence(warning=warning)
        ],
        "events": [
            {
                "action": e.action,
                "from_status": e.from_status,
                "to_status": e.to_status,
                "note": e.note,
                "file_name": e.original_name,
                "actor": e.actor.username if e.actor else "",
                "at": e.at,
            }
            for e in selectors.warning_events(warning=warning)
        ],
        "next_actions": selectors.warning_actions(user=user, access=access, warning=warning),
    }


@router.get("/warnings", response={200: list[WarningOut], **ERRORS}, summary="预警列表")
def list_warnings(request: HttpRequest, query: Query[WarningQuery]):
    require_perm(request, VIEW)
    filters = selectors.WarningFilters(
        board_id=query.board,
        kind=query.kind or "",
        status=query.status or "",
        month=query.month,
    )
    return [
        _warning_out(w) for w in selectors.warning_list(user=request.user, filters=filters)[:500]
    ]


@router.get(
    "/warnings/{int:warning_id}", response={200: WarningDetailOut, **ERRORS}, summary="预警详情"
)
def get_warning(request: HttpRequest, warning_id: int):
    require_perm(request, VIEW)
    return _warning_detail(request.user, warning_id)


@router.post(
    "/warnings/{int:warning_id}/actions",
    response={200: WarningDetailOut, **ERRORS_WITH_CONFLICT},
    summary="预警跟踪（送达、签收、报送整改报告）",
)
def warning_action(request: HttpRequest, warning_id: int, payload: WarningActionIn):
    """One follow-up move; an illegal move answers 409 naming it. A rectification
    report needs a ``note`` here (files are uploaded on the warning page)."""
    require_perm(request, VIEW)
    warning, access = selectors.warning_get(user=request.user, pk=warning_id)
    if payload.action == WarningAction.ISSUE or not selectors.warning_may(
        user=request.user, access=access, warning=warning, action=payload.action
    ):
        raise HttpError(403, "您不能对该预警执行此操作")
    services.warning_transition(
        actor=request.user, warning=warning, action=payload.action, note=payload.note
    )
    return _warning_detail(request.user, warning_id)
