"""Reads of the 多色榜, always scoped to the user.

Who sees a board: users whose jurisdiction includes its owner org see all of it (and
manage it, given the permissions); users within a participant's subtree see the whole
board or only their unit's row, as the board says; anyone else gets 404. Opening a cell
lists the records behind it through the records' own ``restrict(user)`` as well.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from django.db.models import DateField, F, Q, QuerySet, Value
from django.db.models.functions import Cast, Concat
from django.http import Http404, QueryDict
from django.urls import reverse

from jiandu.boards import compute, ranking
from jiandu.boards.choices import BoardPeriod, ParticipantRule, Visibility
from jiandu.boards.lifecycle import UNIT_ACTIONS, allowed_warning_actions
from jiandu.boards.models import (
    Board,
    BoardSnapshot,
    BoardWarning,
    Indicator,
    ReportedUpload,
    ReportedValue,
    WarningEvent,
)
from jiandu.clues.models import Clue, ClueEvent, ExposureBatch, ExposureCase, Outcome, Petition
from jiandu.clues.statistics import statistic as get_statistic
from jiandu.core.access import get_or_404, jurisdiction_org_ids
from jiandu.core.pagination import KeysetPage, keyset_paginate
from jiandu.documents.choices import DocumentType
from jiandu.documents.models import Document
from jiandu.documents.services import document_for_record
from jiandu.orgs.models import Org
from jiandu.oversight.selectors import problem_list
from jiandu.oversight.services import BOARD_WARNING_ORIGIN

DRILLDOWN_LIMIT = 500


# --------------------------------------------------------------------------- access


@dataclass(frozen=True)
class BoardAccess:
    """What one user may do with one board.

    ``full``: the owner org is within the user's jurisdiction. ``ancestors``: the user's
    org and its ancestors — a participant among them is the user's own unit.
    """

    board: Board
    full: bool
    ancestors: frozenset[int]
    can_change: bool = False
    can_close: bool = False

    @property
    def sees_all_rows(self) -> bool:
        return self.full or self.board.visibility == Visibility.WHOLE

    def owns(self, org_id: int) -> bool:
        return org_id in self.ancestors

    def sees_unit(self, org_id: int) -> bool:
        return self.sees_all_rows or self.owns(org_id)

    def sees_warning(self, warning: BoardWarning) -> bool:
        return self.sees_all_rows or self.owns(warning.org_id)


def _ancestors(user: Any) -> frozenset[int]:
    org = getattr(user, "org", None)
    if org is None:
        return frozenset()
    return frozenset(org.ancestor_ids())


def _participates(board: Board, ancestors: frozenset[int]) -> bool:
    """Whether one of ``ancestors`` (the user's org and above) takes part (one query)."""
    if not ancestors:
        return False
    owner = board.owner_org
    if board.participant_rule == ParticipantRule.EXPLICIT:
        return board.participant_orgs.filter(pk__in=ancestors, archived_at__isnull=True).exists()
    qs = Org.objects.filter(
        pk__in=ancestors, archived_at__isnull=True, path__startswith=owner.path
    ).exclude(pk=owner.pk)
    if board.participant_rule == ParticipantRule.LABEL:
        qs = qs.filter(labels__in=board.participant_labels.all())
    else:
        qs = qs.filter(kind__in=list(board.participant_kinds or []))
    return qs.exists()


def board_access(*, user: Any, board: Board) -> BoardAccess | None:
    """The user's access to the board, or None when the board does not exist for them."""
    if not user.has_perm("boards.view_board"):
        return None
    ancestors = _ancestors(user)
    if board.owner_org_id in jurisdiction_org_ids(user):
        return BoardAccess(
            board=board,
            full=True,
            ancestors=ancestors,
            can_change=user.has_perm("boards.change_board"),
            can_close=user.has_perm("boards.close_board"),
        )
    if _participates(board, ancestors):
        return BoardAccess(board=board, full=False, ancestors=ancestors)
    return None


def board_list(*, user: Any, include_archived: bool = False) -> list[BoardAccess]:
    """Boards the user may see, with the access to each."""
    qs = Board.objects.select_related("owner_org", "domain").order_by("pk")
    if not include_archived:
        qs = qs.active()
    result = []
    for board in qs:
        access = board_access(user=user, board=board)
        if access is not None:
            result.append(access)
    return result


def board_get(*, user: Any, pk: int) -> BoardAccess:
    board = get_or_404(Board.objects.select_related("owner_org", "domain"), pk=pk)
    access = board_access(user=user, board=board)
    if access is None:
        raise Http404("记录不存在")
    return access


def board_get_by_key(*, user: Any, key: str) -> BoardAccess:
    board = get_or_404(Board.objects.select_related("owner_org", "domain"), key=key)
    access = board_access(user=user, board=board)
    if access is None:
        raise Http404("记录不存在")
    return access


def indicator_list(*, include_archived: bool = False) -> QuerySet[Indicator]:
    qs = Indicator.objects.select_related("domain").order_by("pk")
    return qs if include_archived else qs.filter(archived_at__isnull=True)


# --------------------------------------------------------------------------- snapshots


@dataclass(frozen=True)
class SnapshotInfo:
    """A snapshot without its data (for pickers and lists)."""

    pk: int
    month: str
    version: int
    reason: str
    created_at: dt.datetime
    created_by: str
    missing_as_zero: bool

    @property
    def month_label(self) -> str:
        return ranking.month_label(self.month)


def person_label(name: str | None, username: str | None, org: str | None) -> str:
    """A user as a person reads them: “张三（昆明市纪委监委）”, never a bare user name
    when there is a name."""
    who = name or username or ""
    if not who:
        return ""
    return f"{who}（{org}）" if org else who


def user_label(user: Any) -> str:
    """:func:`person_label` of a user object (its org loaded or not)."""
    if user is None:
        return ""
    org = user.org.display_name if getattr(user, "org_id", None) else None
    return person_label(user.full_name, user.username, org)


_CREATED_BY = ("created_by__full_name", "created_by__username", "created_by__org__name")


def snapshot_infos(*, board: Board) -> list[SnapshotInfo]:
    """Every snapshot of the board, newest month first, newest version first (one query,
    the frozen data left in the database)."""
    rows = (
        BoardSnapshot.objects.filter(board=board)
        .order_by("-month", "-version")
        .values_list(
            "pk",
            "month",
            "version",
            "reason",
            "created_at",
            "missing_as_zero",
            *_CREATED_BY,
        )
    )
    return [
        SnapshotInfo(pk, month, version, reason, created_at, person_label(*by), zero)
        for pk, month, version, reason, created_at, zero, *by in rows
    ]


def latest_snapshots(*, boards: Sequence[Board]) -> dict[int, SnapshotInfo]:
    """The latest closed month (latest version) of each board, in one query."""
    rows = (
        BoardSnapshot.objects.filter(board__in=[b.pk for b in boards])
        .order_by("board_id", "-month", "-version")
        .values_list(
            "board_id",
            "pk",
            "month",
            "version",
            "reason",
            "created_at",
            "missing_as_zero",
            *_CREATED_BY,
        )
    )
    latest: dict[int, SnapshotInfo] = {}
    for board_id, pk, month, version, reason, created_at, zero, *by in rows:
        if board_id not in latest:
            latest[board_id] = SnapshotInfo(
                pk, month, version, reason, created_at, person_label(*by), zero
            )
    return latest


def latest_snapshot_ids(board: Board, months: Sequence[str]) -> dict[str, int]:
    """month → id of its latest version (one query that reads no frozen data)."""
    rows = (
        BoardSnapshot.objects.filter(board=board, month__in=list(months))
        .order_by("month", "-version")
        .values_list("pk", "month")
    )
    latest: dict[str, int] = {}
    for pk, month in rows:
        latest.setdefault(month, pk)
    return latest


def snapshot_get(*, access: BoardAccess, pk: int) -> BoardSnapshot:
    return get_or_404(BoardSnapshot.objects.filter(board=access.board), pk=pk)


def snapshot_current(*, board: Board, month: str) -> BoardSnapshot | None:
    """The latest version of a month."""
    return BoardSnapshot.objects.filter(board=board, month=month).order_by("-version").first()


def snapshot_get_for_user(*, user: Any, pk: int) -> tuple[BoardSnapshot, BoardAccess]:
    snapshot = get_or_404(BoardSnapshot.objects.select_related("board"), pk=pk)
    board = Board.objects.select_related("owner_org", "domain").get(pk=snapshot.board_id)
    access = board_access(user=user, board=board)
    if access is None:
        raise Http404("记录不存在")
    return snapshot, access


def snapshot_period(snapshot: BoardSnapshot, period: str) -> dict[str, Any]:
    """The frozen period: the snapshot's month, its cumulative period, or its quarter."""
    data = snapshot.data
    if period == BoardPeriod.MONTH:
        return data["result"]["months"][-1]
    if period == BoardPeriod.CUMULATIVE:
        return data["result"]["cumulative"]
    if period == BoardPeriod.QUARTER and data.get("quarter"):
        return data["quarter"]
    raise Http404("该期间不存在")


def snapshot_units(snapshot: BoardSnapshot) -> dict[str, dict[str, Any]]:
    return {u["key"]: u for u in snapshot.data["units"]}


def snapshot_columns(snapshot: BoardSnapshot) -> list[compute.Column]:
    return [compute.Column.from_dict(c) for c in snapshot.data["indicators"]]


def snapshot_result(snapshot: BoardSnapshot) -> ranking.BoardResult:
    """The frozen result as the calculator's dataclasses."""
    return ranking.BoardResult.from_dict(snapshot.data["result"])


def snapshot_visible(snapshot: BoardSnapshot, access: BoardAccess) -> dict[str, Any]:
    """The snapshot data as the user may see it: rows of other units are removed when
    the board shows participants only their own row (for the API)."""
    if access.sees_all_rows:
        return snapshot.data
    data = dict(snapshot.data)
    own = {u["key"] for u in data["units"] if access.owns(u["org_id"])}

    def trim(period: dict[str, Any] | None) -> dict[str, Any] | None:
        if period is None:
            return None
        return {**period, "units": [r for r in period["units"] if r["unit"] in own]}

    result = dict(data["result"])
    result["months"] = [trim(p) for p in result["months"]]
    result["cumulative"] = trim(result["cumulative"])
    result["settings"] = {**result["settings"], "units": sorted(own), "yellow_units": {}}
    data["result"] = result
    data["quarter"] = trim(data.get("quarter"))
    data["units"] = [u for u in data["units"] if u["key"] in own]
    data.pop("own", None)  # kept inside data by snapshots of an earlier format
    data["reported"] = {}
    return data


# --------------------------------------------------------------------------- the table


@dataclass
class CellView:
    column: compute.Column
    display: str
    rank: int
    colour: str | None
    points: int
    missing_as_zero: bool
    url: str = ""


@dataclass
class RowView:
    key: str
    org_id: int
    name: str
    yellow: str | None
    composite: int
    overall_rank: int
    cells: list[CellView]
    own: bool = False
    is_last: bool = False


@dataclass
class BoardTable:
    snapshot: BoardSnapshot
    period: str
    label: str
    basis: str
    columns: list[compute.Column]
    rows: list[RowView]
    participants: int
    limited: bool
    missing_as_zero: list[dict[str, Any]] = field(default_factory=list)

    @property
    def by_points(self) -> bool:
        return self.basis == ranking.RankingBasis.POINTS


def board_table(
    *, snapshot: BoardSnapshot, period: str, access: BoardAccess, cell_url: str = ""
) -> BoardTable:
    """The coloured table of one period of a snapshot, rows the user may see only.
    ``cell_url`` is the drill-down URL to which each cell appends its query."""
    data = snapshot_period(snapshot, period)
    units = snapshot_units(snapshot)
    columns = snapshot_columns(snapshot)
    lowest = min((r["composite"] for r in data["units"]), default=0)
    all_equal = all(r["composite"] == lowest for r in data["units"])
    rows = []
    for line in data["units"]:
        unit = units[line["unit"]]
        if not access.sees_unit(unit["org_id"]):
            continue
        cells = []
        for column in columns:
            cell = line["cells"][column.key]
            url = ""
            if cell_url:
                url = f"{cell_url}?period={period}&unit={line['unit']}&indicator={column.key}"
            cells.append(
                CellView(
                    column=column,
                    display=str(cell["points"])
                    if data["basis"] == ranking.RankingBasis.POINTS
                    else cell["display"],
                    rank=cell["rank"],
                    colour=cell["colour"],
                    points=cell["points"],
                    missing_as_zero=cell["missing_as_zero"],
                    url=url,
                )
            )
        rows.append(
            RowView(
                key=line["unit"],
                org_id=unit["org_id"],
                name=unit["name"],
                yellow=line.get("yellow"),
                composite=line["composite"],
                overall_rank=line["overall_rank"],
                cells=cells,
                own=access.owns(unit["org_id"]),
                is_last=not all_equal and line["composite"] == lowest,
            )
        )
    return BoardTable(
        snapshot=snapshot,
        period=period,
        label=data["label"],
        basis=data["basis"],
        columns=columns,
        rows=rows,
        participants=len(data["units"]),
        limited=not access.sees_all_rows,
        missing_as_zero=data.get("missing_as_zero", []),
    )


# --------------------------------------------------------------------------- drill-down


# The date a statistic counts a record on — the one that puts it in a month — and the
# drill-down's heading for it: a clue closed in September is listed with its closing
# date, not the day it was received. (One entry per statistic of
# jiandu.clues.statistics: a test checks that none is missing.)
COUNTED_DATES: dict[str, tuple[str, str]] = {
    "clues_received": ("received_date", "受理日期"),
    "clues_disposed": ("disposed_at", "处置日期"),
    "clues_closed": ("closed_at", "办结日期"),
    "criticism": ("decision_date", "处理决定日期"),
    "accountability": ("decision_date", "处理决定日期"),
    "party_discipline": ("decision_date", "处分决定日期"),
    "government_sanction": ("decision_date", "处分决定日期"),
    "organisational": ("decision_date", "处理决定日期"),
    "judicial_transfer": ("decision_date", "移送日期"),
    "direct_handling": ("on_date", "直查直办日期"),
    "principal_failures": ("decision_date", "问责决定日期"),
    "supervisory_failures": ("decision_date", "问责决定日期"),
    "exposure_batches": ("published_on", "通报日期"),
    "exposure_cases": ("batch__published_on", "通报日期"),
    "exposure_persons": ("exposurecase__batch__published_on", "通报日期"),
    "petitions_received": ("received_date", "受理日期"),
    "petitions_first": ("received_date", "受理日期"),
    "petitions_first_closed": ("received_date", "受理日期"),
    "petitions_repeat": ("received_date", "受理日期"),
}


@dataclass
class RecordRow:
    """One record behind a figure, as listed in a drill-down; ``date`` is the date the
    statistic counts it on (see :data:`COUNTED_DATES`)."""

    reference: str
    title: str
    date: dt.date | None
    org: str
    detail: str
    url: str


@dataclass
class MonthRecords:
    month: str
    count: int
    rows: list[RecordRow] = field(default_factory=list)
    hidden: int = 0  # records outside the user's jurisdiction (counted, not listed)
    truncated: int = 0  # visible records beyond the listing limit

    @property
    def label(self) -> str:
        return ranking.month_label(self.month)


@dataclass
class SlotRecords:
    name: str
    unit: str
    statistic: str
    statistic_name: str
    frozen: int | float | None
    months: list[MonthRecords]
    date_label: str = "日期"

    @property
    def count(self) -> int:
        return sum(m.count for m in self.months)

    @property
    def listed(self) -> int:
        return sum(len(m.rows) for m in self.months)

    @property
    def hidden(self) -> int:
        return sum(m.hidden for m in self.months)

    @property
    def changed(self) -> bool:
        return self.frozen is not None and self.frozen != self.count


@dataclass
class ReportedRow:
    month: str
    slot: str
    value: Any
    file_name: str
    upload_id: int | None
    row_number: int | None
    uploaded_at: dt.datetime | None
    uploaded_by: str
    missing_as_zero: bool = False

    @property
    def month_label(self) -> str:
        return ranking.month_label(self.month)


@dataclass
class CellDrilldown:
    snapshot: BoardSnapshot
    period: str
    period_label: str
    unit: dict[str, Any]
    column: compute.Column
    cell: dict[str, Any]
    slots: list[SlotRecords] = field(default_factory=list)
    reported: list[ReportedRow] = field(default_factory=list)

    @property
    def count(self) -> int:
        return sum(s.count for s in self.slots)


def _period_months(snapshot: BoardSnapshot, period: str) -> list[str]:
    return list(snapshot_period(snapshot, period)["months"])


def _restricted(model: type, user: Any) -> QuerySet:
    """The records of ``model`` the user may see, by the record's own scoping."""
    through = ExposureCase.persons.through
    if model is through:
        return through.objects.filter(
            exposurecase__batch__in=ExposureBatch.objects.restrict(user).values("pk")
        )
    if model is ClueEvent:
        return ClueEvent.objects.filter(clue__in=Clue.objects.restrict(user).values("pk"))
    if model is ExposureCase:
        return ExposureCase.objects.filter(
            batch__in=ExposureBatch.objects.restrict(user).values("pk")
        )
    return model._default_manager.restrict(user)  # type: ignore[attr-defined]


def _target_model(stat: Any) -> type:
    if stat.count_field == "pk":
        return stat.model
    return stat.model._meta.get_field(stat.count_field).related_model


def _record_rows(model: type, user: Any, ids: Iterable[Any]) -> dict[Any, RecordRow]:
    """Visible records by id, rendered for the drill-down (one query)."""
    qs = _restricted(model, user).filter(pk__in=list(ids))
    rows: dict[Any, RecordRow] = {}
    if model is Clue:
        for clue in qs.select_related("handling_org"):
            rows[clue.pk] = RecordRow(
                clue.number or "",
                clue.title,
                clue.received_date,
                clue.handling_org.name,
                clue.get_status_display(),
                reverse("clues:clue_detail", args=[clue.pk]),
            )
    elif model is Outcome:
        for outcome in qs.select_related("clue", "decided_by"):
            rows[outcome.pk] = RecordRow(
                outcome.clue.number or "",
                f"{outcome.subject_name}：{outcome.get_kind_display()}"
                + (f"（{outcome.get_subtype_display()}）" if outcome.subtype else ""),
                outcome.decision_date,
                outcome.decided_by.name,
                outcome.clue.title,
                reverse("clues:clue_detail", args=[outcome.clue_id]),
            )
    elif model is ExposureBatch:
        for batch in qs.select_related("org"):
            rows[batch.pk] = RecordRow(
                f"批次{batch.pk}",
                batch.title,
                batch.published_on,
                batch.org.name,
                batch.medium,
                reverse("clues:exposure_detail", args=[batch.pk]),
            )
    elif model is ExposureCase:
        for case in qs.select_related("batch__org"):
            rows[case.pk] = RecordRow(
                f"批次{case.batch_id}",
                case.title,
                case.batch.published_on,
                case.batch.org.name,
                case.batch.title,
                reverse("clues:exposure_detail", args=[case.batch_id]),
            )
    elif model is ExposureCase.persons.through:
        for link in qs.select_related("person", "exposurecase__batch__org"):
            batch = link.exposurecase.batch
            rows[link.pk] = RecordRow(
                f"批次{batch.pk}",
                f"{link.person.name}（{link.exposurecase.title}）",
                batch.published_on,
                batch.org.name,
                batch.title,
                reverse("clues:exposure_detail", args=[batch.pk]),
            )
    elif model is Petition:
        for petition in qs.select_related("received_org"):
            rows[petition.pk] = RecordRow(
                petition.number or "",
                petition.title,
                petition.received_date,
                petition.received_org.name,
                petition.get_status_display(),
                reverse("clues:petition_detail", args=[petition.pk]),
            )
    else:  # pragma: no cover - every statistic counts one of the models above
        for record in qs:
            rows[record.pk] = RecordRow(str(record.pk), str(record), None, "", "", "")
    return rows


def _frozen_slot_value(cell: dict[str, Any], slot: dict[str, Any]) -> int | float | None:
    value = cell.get("value")
    if isinstance(value, dict):
        return value.get(slot["key"])
    if isinstance(value, list):
        return None
    return value


def cell_records(
    *,
    user: Any,
    access: BoardAccess,
    snapshot: BoardSnapshot,
    period: str,
    unit_key: str,
    indicator_key: str,
) -> CellDrilldown:
    """The records behind one cell: for each value slot and month of the period, the
    statistic's records over the unit's subtree as frozen at the close. The count is
    that of the counted records (what the cell shows when nothing changed since);
    records outside the user's jurisdiction are counted but not listed."""
    data = snapshot_period(snapshot, period)
    units = snapshot_units(snapshot)
    unit = units.get(unit_key)
    if unit is None or not access.sees_unit(unit["org_id"]):
        raise Http404("记录不存在")
    column = next((c for c in snapshot_columns(snapshot) if c.key == indicator_key), None)
    if column is None:
        raise Http404("记录不存在")
    line = next(r for r in data["units"] if r["unit"] == unit_key)
    cell = line["cells"][indicator_key]
    drill = CellDrilldown(
        snapshot=snapshot,
        period=period,
        period_label=data["label"],
        unit=unit,
        column=column,
        cell=cell,
    )
    months = list(data["months"])
    if not column.is_computed:
        drill.reported = _reported_rows(snapshot, unit, column, months)
        return drill
    subtree = unit["subtree"]
    for slot in column.slots:
        stat = get_statistic(slot["statistic"])
        target = _target_model(stat)
        date_field, date_label = COUNTED_DATES[stat.key]
        counted: list[tuple[str, list[Any]]] = []
        counted_on: list[dict[Any, dt.date]] = []
        for month in months:
            start, end = compute.month_bounds(month)
            qs = stat.queryset(start=start, end=end, domain=column.domain, org_ids=subtree)
            field_name = "pk" if stat.count_field == "pk" else stat.count_field
            # Each counted record once, with the date that counts it (the first one, for
            # a clue counted through several events or decisions in the month).
            dates: dict[Any, dt.date] = {}
            for record_id, on in qs.order_by().values_list(field_name, date_field):
                if record_id not in dates or on < dates[record_id]:
                    dates[record_id] = on
            counted.append((month, list(dates)))
            counted_on.append(dates)
        wanted = list({i for _, ids in counted for i in ids})
        visible = set(_restricted(target, user).filter(pk__in=wanted).values_list("pk", flat=True))
        shown_ids = [[i for i in ids if i in visible][:DRILLDOWN_LIMIT] for _, ids in counted]
        rendered = _record_rows(target, user, {i for ids in shown_ids for i in ids})
        month_records = []
        for (month, ids), shown, dates in zip(counted, shown_ids, counted_on, strict=True):
            rows = [replace(rendered[i], date=dates[i]) for i in shown if i in rendered]
            rows.sort(key=lambda r: (r.date or dt.date.min, r.reference), reverse=True)
            listed_total = len([i for i in ids if i in visible])
            month_records.append(
                MonthRecords(
                    month=month,
                    count=len(ids),
                    rows=rows,
                    hidden=len(ids) - listed_total,
                    truncated=listed_total - len(rows),
                )
            )
        drill.slots.append(
            SlotRecords(
                name=slot["name"],
                unit=slot.get("unit") or column.unit,
                statistic=stat.key,
                statistic_name=stat.name,
                frozen=_frozen_slot_value(cell, slot),
                months=month_records,
                date_label=date_label,
            )
        )
    return drill


def _reported_rows(
    snapshot: BoardSnapshot, unit: dict[str, Any], column: compute.Column, months: Sequence[str]
) -> list[ReportedRow]:
    sources = snapshot.data.get("reported", {})
    wanted: dict[int, tuple[str, str]] = {}
    for month in months:
        for slot in column.slots:
            key = column.key + (f".{slot['key']}" if slot["key"] else "")
            value_id = sources.get(month, {}).get(unit["key"], {}).get(key)
            if value_id is not None:
                wanted[value_id] = (month, slot["name"])
    values = {
        v.pk: v
        for v in ReportedValue.objects.filter(pk__in=list(wanted)).select_related(
            "upload", "upload__uploaded_by__org"
        )
    }
    missing = {
        (m["month"], m["component"])
        for m in snapshot.data.get("missing_as_zero", [])
        if m["unit"] == unit["key"] and m["indicator"] == column.key
    }
    rows = []
    for month in months:
        for slot in column.slots:
            key = column.key + (f".{slot['key']}" if slot["key"] else "")
            value_id = sources.get(month, {}).get(unit["key"], {}).get(key)
            if value_id is not None and value_id in values:
                v = values[value_id]
                rows.append(
                    ReportedRow(
                        month=month,
                        slot=slot["name"],
                        value=ranking.format_number(v.value),
                        file_name=v.upload.original_name,
                        upload_id=v.upload_id,
                        row_number=v.row_number,
                        uploaded_at=v.upload.uploaded_at,
                        uploaded_by=user_label(v.upload.uploaded_by),
                    )
                )
            elif (month, slot["key"]) in missing:
                rows.append(
                    ReportedRow(
                        month=month,
                        slot=slot["name"],
                        value="0",
                        file_name="",
                        upload_id=None,
                        row_number=None,
                        uploaded_at=None,
                        uploaded_by="",
                        missing_as_zero=True,
                    )
                )
    return rows


def reported_upload_get(*, access: BoardAccess, pk: int) -> ReportedUpload:
    if not access.full:
        raise Http404("记录不存在")
    return get_or_404(ReportedUpload.objects.filter(board=access.board), pk=pk)


def reported_uploads(*, access: BoardAccess, month: str = "") -> QuerySet[ReportedUpload]:
    """Uploads of the board: all of them for its managers, one's own otherwise."""
    qs = ReportedUpload.objects.filter(board=access.board).select_related("uploaded_by")
    if month:
        qs = qs.filter(month=month)
    if not access.full:
        qs = qs.filter(values__org_id__in=access.ancestors).distinct()
    return qs.order_by("-uploaded_at", "-pk")


# --------------------------------------------------------------------------- trend


def rank_trend(*, access: BoardAccess, unit_key: str, year: int) -> list[dict[str, Any]]:
    """The unit's overall rank and composite in each closed month of the year (latest
    versions), for the trend chart (two queries; only the ranking part is read)."""
    months = [f"{year:04d}-{m:02d}" for m in range(1, 13)]
    latest = latest_snapshot_ids(access.board, months)
    rows = (
        BoardSnapshot.objects.filter(pk__in=list(latest.values()))
        .order_by("month")
        .values_list("month", "figures__overall")
    )
    points = []
    for month, overall in rows:
        if not overall or unit_key not in overall:
            continue
        composite, rank = overall[unit_key]
        points.append(
            {
                "month": month,
                "label": f"{int(month[5:])}月",
                "rank": rank,
                "composite": composite,
                "participants": len(overall),
            }
        )
    return points


# --------------------------------------------------------------------------- warnings


@dataclass(frozen=True)
class WarningFilters:
    board_id: int | None = None
    kind: str = ""
    status: str = ""
    month: str = ""
    year: int | None = None
    org_id: int | None = None


def _warning_scope(user: Any) -> tuple[Q, dict[int, BoardAccess]]:
    accesses = {a.board.pk: a for a in board_list(user=user, include_archived=True)}
    query = Q(pk__in=[])
    for board_id, access in accesses.items():
        if access.sees_all_rows:
            query |= Q(board_id=board_id)
        elif access.ancestors:
            query |= Q(board_id=board_id, org_id__in=access.ancestors)
    return query, accesses


def warning_list(*, user: Any, filters: WarningFilters | None = None) -> QuerySet[BoardWarning]:
    f = filters or WarningFilters()
    query, _ = _warning_scope(user)
    qs = BoardWarning.objects.filter(query)
    if f.board_id:
        qs = qs.filter(board_id=f.board_id)
    if f.kind:
        qs = qs.filter(kind=f.kind)
    if f.status:
        qs = qs.filter(status=f.status)
    if f.month:
        qs = qs.filter(month=f.month)
    if f.year:
        qs = qs.filter(month__startswith=f"{f.year:04d}-")
    if f.org_id:
        qs = qs.filter(org_id=f.org_id)
    return qs.select_related("board", "org").order_by("-month", "board_id", "kind", "pk")


WARNING_PAGE_SIZE = 50


def warning_page(
    *,
    user: Any,
    filters: WarningFilters | None = None,
    after: str | None = None,
    query: QueryDict | None = None,
    size: int | None = None,
) -> tuple[KeysetPage, int]:
    """One page of the warnings the user may see (newest month first) and how many
    match in all. Keyset pagination (ADR 0004) on the month's first day and the id."""
    qs = warning_list(user=user, filters=filters).annotate(
        month_start=Cast(Concat(F("month"), Value("-01")), output_field=DateField())
    )
    total = qs.count()
    page = keyset_paginate(
        qs, after=after, size=size or WARNING_PAGE_SIZE, date_field="month_start", query=query
    )
    return page, total


def warning_orgs(*, user: Any) -> list[tuple[int, str]]:
    """The units that have a warning the user may see, by name (for the filter)."""
    query, _ = _warning_scope(user)
    rows = (
        BoardWarning.objects.filter(query)
        .values_list("org_id", "org__name")
        .distinct()
        .order_by("org__name")
    )
    return list(rows)


def warning_get(*, user: Any, pk: int) -> tuple[BoardWarning, BoardAccess]:
    warning = get_or_404(BoardWarning.objects.select_related("board", "org", "snapshot"), pk=pk)
    board = Board.objects.select_related("owner_org", "domain").get(pk=warning.board_id)
    access = board_access(user=user, board=board)
    if access is None or not access.sees_warning(warning):
        raise Http404("记录不存在")
    return warning, access


# The records the board's two documents belong to in the register (documents app).
BULLETIN_RECORD = "boards.bulletin"
WARNING_NOTICE_RECORD = "boards.boardwarning"


def bulletin_issued(*, board: Board, month: str) -> Document | None:
    """The month's 通报 of the board's owner org, once issued."""
    return document_for_record(
        document_type=DocumentType.BULLETIN,
        record_type=BULLETIN_RECORD,
        record_id=f"{board.owner_org_id}:{month}",
    )


def warning_notice_issued(*, warning: BoardWarning) -> Document | None:
    """The warning's 工作预警通知书, once issued."""
    return document_for_record(
        document_type=DocumentType.WARNING_NOTICE,
        record_type=WARNING_NOTICE_RECORD,
        record_id=warning.pk,
    )


def warning_problems(*, user: Any, warnings: Iterable[BoardWarning]) -> dict[int, Any]:
    """warning id → the problem it opened in the rectification loop (整改闭环, source
    多色榜预警), with its rectification, for the problems the user may see (the
    oversight app's jurisdiction); a problem outside it is left out."""
    ids = [w.pk for w in warnings]
    if not ids:
        return {}
    problems = problem_list(user=user).filter(origin_type=BOARD_WARNING_ORIGIN, origin_id__in=ids)
    return {p.origin_id: p for p in problems if p.origin_id is not None}


def warning_events(*, warning: BoardWarning) -> QuerySet[WarningEvent]:
    return warning.events.select_related("actor").order_by("at", "pk")


def warning_event_get(*, warning: BoardWarning, pk: int) -> WarningEvent:
    return get_or_404(warning.events.exclude(file=""), pk=pk)


def warning_evidence(*, warning: BoardWarning) -> list[BoardSnapshot]:
    return list(
        warning.evidence.order_by("month", "version").only(
            "pk", "board_id", "month", "version", "created_at"
        )
    )


# The warned unit's officers answer a warning (签收, 整改报告) with this permission.
RESPOND = "boards.change_boardwarning"


def _answers_for_unit(user: Any, access: BoardAccess, warning: BoardWarning) -> bool:
    return access.owns(warning.org_id) and user.has_perm(RESPOND)


def warning_may(*, user: Any, access: BoardAccess, warning: BoardWarning, action: str) -> bool:
    """Whether the move is the user's to make (legal or not right now): any move for
    the board's managers; 签收 and 整改报告 for the warned unit's officers who hold
    ``boards.change_boardwarning``."""
    if access.full and user.has_perm("boards.change_board"):
        return True
    return action in UNIT_ACTIONS and _answers_for_unit(user, access, warning)


def warning_actions(*, user: Any, access: BoardAccess, warning: BoardWarning) -> list[str]:
    """The follow-up moves the user may make now: every legal move for the board's
    managers; 签收 and 整改报告 for the warned unit itself."""
    moves = allowed_warning_actions(warning.status)
    if access.full and user.has_perm("boards.change_board"):
        return moves
    if _answers_for_unit(user, access, warning):
        return [m for m in moves if m in UNIT_ACTIONS]
    return []


def warnings_for_snapshot_month(*, board: Board, month: str) -> list[BoardWarning]:
    return list(
        BoardWarning.objects.filter(board=board, month=month)
        .select_related("org")
        .order_by("kind", "pk")
    )
