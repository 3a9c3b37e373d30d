"""API schemas of the 主体责任提醒卡."""

from __future__ import annotations

import datetime as dt
from typing import Any

from ninja import Field, Schema

from jiandu.core.schemas import CursorPageQuery, Id, OrgRef, QuerySchema
from jiandu.oversight.schemas import FileIn


class CardQuery(CursorPageQuery):
    year: int | None = Field(None, ge=2000, le=2100, description="年度")
    quarter: int | None = Field(None, ge=1, le=4, description="季度")
    committee: Id | None = Field(None, description="发卡党委 id")
    category: str = Field("", description="提醒对象类别")
    status: str = Field("", description="状态：draft 草稿，issued 已印发，void 已作废")
    overdue: bool = Field(False, description="只列逾期未报送履责小结的")
    text: str = Field("", description="姓名或文号")


class ItemOut(Schema):
    id: int
    order: int
    text: str
    summary: str
    summarised_on: dt.date | None


class CardOut(Schema):
    id: int
    number: str
    year: int
    quarter: int
    quarter_label: str
    committee: OrgRef
    leader: dict[str, Any]
    leader_org: OrgRef
    leader_title: str
    category: str
    category_label: str
    status: str
    status_label: str
    summary_due: dt.date
    issued_on: dt.date | None
    items: int
    summarised: int
    overdue: bool
    url: str


class SpotCheckOut(Schema):
    id: int
    checked_on: dt.date
    note: str
    checked_by_org: OrgRef
    problems: list[dict[str, Any]]


class CardDetailOut(CardOut):
    item_list: list[ItemOut]
    negative_list: list[str]
    spot_checks: list[SpotCheckOut]
    followed: list[dict[str, Any]]


class CardPageOut(Schema):
    items: list[CardOut]
    next_cursor: str | None


class CardCreateIn(Schema):
    committee: Id
    post: Id = Field(..., description="提醒对象的现任职务（党员干部库任职记录 id）")
    year: int = Field(..., ge=2000, le=2100)
    quarter: int = Field(..., ge=1, le=4)
    template: Id | None = Field(None, description="主体责任清单模板 id")
    negative_list: Id | None = Field(None, description="附负面清单模板 id")
    items: list[str] | None = Field(None, description="不用模板时的事项")


class BatchIssueIn(Schema):
    committee: Id
    year: int = Field(..., ge=2000, le=2100)
    quarter: int = Field(..., ge=1, le=4)
    template: Id
    negative_list: Id | None = None
    posts: list[int] = Field(..., description="提醒对象的现任职务 id")


class BatchIssueOut(Schema):
    cards: list[CardOut]
    items: int


class ItemsIn(Schema):
    items: list[str]


class ReasonIn(Schema):
    reason: str = Field(..., max_length=200)


class SummaryIn(Schema):
    summaries: dict[int, str] = Field(..., description="事项 id → 履责小结")
    files: list[FileIn] = []


class SpotCheckIn(Schema):
    note: str
    checked_on: dt.date | None = None
    checklist: Id | None = None
    findings: list[str] = []
    category: Id | None = None


class StatsQuery(QuerySchema):
    year: int | None = Field(None, ge=2000, le=2100)
    quarter: int | None = Field(None, ge=1, le=4)


class StatsRowOut(Schema):
    year: int
    quarter: int
    committee: OrgRef
    values: dict[str, int]


class StatsOut(Schema):
    metrics: dict[str, str]
    rows: list[StatsRowOut]
    total: dict[str, int]


class RecordsQuery(StatsQuery):
    metric: str
    committee: Id | None = None


class RecordsOut(Schema):
    metric: str
    label: str
    kind: str
    count: int
    records: list[dict[str, Any]]


class TemplateOut(Schema):
    id: int
    key: str
    version: int
    name: str
    kind: str
    kind_label: str
    archived: bool
    items: list[str]
