"""API schemas of the 多色榜. A snapshot is answered as frozen (``data``), trimmed to the
user's own row when the board shows participants only that."""

from __future__ import annotations

import datetime as dt
from typing import Any

from ninja import Field, Schema

from jiandu.boards.choices import BoardPeriod, WarningAction, WarningKind, WarningStatus
from jiandu.core.schemas import Id, OrgRef, QuerySchema


class IndicatorOut(Schema):
    key: str
    name: str
    heading: str
    source: str
    direction: str
    domain: str
    slots: list[dict[str, Any]]


class BoardOut(Schema):
    id: int
    key: str
    title: str
    owner_org: OrgRef
    domain: str | None
    visibility: str
    access: str = Field(
        description="full 全榜（主管单位）/ whole 全榜（参评单位）/ own_row 本单位一行"
    )
    latest_month: str | None = None


class BoardDetailOut(BoardOut):
    participant_rule: str
    participant_kinds: list[str]
    participant_labels: list[str]
    yellow_labels: list[str]
    colours: dict[str, int]
    cumulative_mode: str
    consecutive_months: int
    quarter_interview: bool
    bottom_k: int
    bottom_month: int | None
    # {"tie_breakers": [indicator keys, "previous_rank"], "max_tied": n}, as in a SPEC
    last_place: dict[str, Any]
    indicators: list[IndicatorOut]
    closed_months: list[str]


class SnapshotInfoOut(Schema):
    id: int
    month: str
    version: int
    reason: str
    missing_as_zero: bool
    created_at: dt.datetime
    created_by: str


class SnapshotOut(SnapshotInfoOut):
    board_id: int
    data: dict[str, Any] = Field(
        description="结账时冻结的数据：各月及累计的数值、名次、颜色、得分、综合得分、综合排名和所用指标定义"
    )


class CellQuery(QuerySchema):
    period: BoardPeriod = BoardPeriod.MONTH
    unit: str = Field(description="单位（组织机构编号）")
    indicator: str = Field(description="指标代码")


class RecordOut(Schema):
    reference: str
    title: str
    date: dt.date | None = Field(description="统计口径计数所依据的日期（见 date_label）")
    org: str
    detail: str
    url: str


class MonthRecordsOut(Schema):
    month: str
    count: int
    hidden: int
    truncated: int
    records: list[RecordOut]


class SlotRecordsOut(Schema):
    name: str
    statistic: str
    statistic_name: str
    date_label: str = Field(description="记录的“日期”是哪一天：统计口径计数所依据的日期")
    frozen: float | None
    count: int
    months: list[MonthRecordsOut]


class ReportedRowOut(Schema):
    month: str
    slot: str
    value: str
    file_name: str
    upload_id: int | None
    row_number: int | None
    missing_as_zero: bool


class CellOut(Schema):
    snapshot_id: int
    period: str
    unit: str
    unit_name: str
    indicator: str
    cell: dict[str, Any]
    count: int = Field(description="计入的记录数（结账后记录未变动时等于榜上数值）")
    slots: list[SlotRecordsOut]
    reported: list[ReportedRowOut]


class CloseIn(Schema):
    month: str = Field(description="结账月份，如 2020-09")
    missing_as_zero: bool = False
    reason: str = Field("", max_length=300)


class CloseOut(Schema):
    snapshot: SnapshotInfoOut
    warnings: list[dict[str, Any]]
    already_issued: list[int]
    missing_as_zero: list[dict[str, Any]]


class WarningQuery(QuerySchema):
    board: Id | None = None
    kind: WarningKind | None = None
    status: WarningStatus | None = None
    month: str = ""


class WarningEventOut(Schema):
    action: str
    from_status: str
    to_status: str
    note: str
    file_name: str
    actor: str
    at: dt.datetime


class WarningOut(Schema):
    id: int
    board_id: int
    board_title: str
    kind: str
    kind_label: str
    org: OrgRef
    month: str
    scope: str
    description: str
    leader_name: str
    leader_title: str
    status: str
    status_label: str
    created_at: dt.datetime


class WarningDetailOut(WarningOut):
    finding: dict[str, Any]
    evidence: list[SnapshotInfoOut]
    events: list[WarningEventOut]
    next_actions: list[str]


class WarningActionIn(Schema):
    action: WarningAction
    note: str = ""
