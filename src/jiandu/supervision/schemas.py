"""API schemas of the 督导 campaigns."""

from __future__ import annotations

import datetime as dt

from ninja import Field, Schema

from jiandu.core.schemas import CursorPageQuery, Id, OrgRef
from jiandu.oversight.schemas import FileIn, ProblemOut


class CountsOut(Schema):
    immediate: int = Field(..., description="立行立改")
    in_progress: int = Field(..., description="正在整改（含待验收）")
    pending: int = Field(..., description="待整改")
    closed: int = Field(..., description="已销号")


class ChainLevelIn(Schema):
    name: str = Field(..., max_length=30)
    org: Id


class ChainLevelOut(Schema):
    position: int
    name: str
    org: OrgRef


class UnitOut(Schema):
    org: OrgRef
    role: str
    role_label: str
    counts: CountsOut


class TeamOut(Schema):
    id: int
    name: str
    members: list[str]
    leader: str


class CampaignOut(Schema):
    id: int
    name: str
    kind: str
    kind_label: str
    starts_on: dt.date
    ends_on: dt.date
    owner_org: OrgRef
    lead_org: OrgRef


class CampaignDetailOut(CampaignOut):
    chain: list[ChainLevelOut]
    units: list[UnitOut]
    teams: list[TeamOut]
    counts: CountsOut


class CampaignCreateIn(Schema):
    name: str = Field(..., max_length=100)
    kind: str = "supervision"
    starts_on: dt.date
    ends_on: dt.date
    lead_org: Id
    units: list[Id] = Field(..., description="责任部门（牵头单位以外的参与单位）")
    chain: list[ChainLevelIn] = Field(..., description="督导层级，自下而上")
    description: str = ""


class CampaignProblemQuery(CursorPageQuery):
    org: Id | None = Field(None, description="参与单位 id")
    stage: str = Field(
        "", description="immediate 立行立改，working 正在整改，pending 待整改，closed 已销号"
    )


class CampaignProblemPageOut(Schema):
    count: int
    items: list[ProblemOut]
    next_cursor: str | None


class EntryIn(Schema):
    item: str = Field(..., max_length=200)
    detail: str = ""
    responsible: str = Field("", max_length=100)
    due_on: dt.date | None = None
    note: str = Field("", max_length=200)


class EntryOut(EntryIn):
    position: int


class ListOut(Schema):
    kind: str
    name: str
    org: OrgRef
    entries: list[EntryOut]


class ListReplaceIn(Schema):
    rows: list[EntryIn] | None = Field(None, description="逐行填报（与 file 二选一）")
    file: FileIn | None = Field(None, description="填好的 .xlsx 模板（与 rows 二选一）")


class InspectionIn(Schema):
    held_on: dt.date
    team: Id
    units: list[Id]
    method: str = "集中督导检查"
    summary: str = ""


class InspectionOut(Schema):
    id: int
    held_on: dt.date
    method: str
    team: str
    units: list[OrgRef]
    findings: int


class FindingIn(Schema):
    org: Id
    description: str
    category: Id
    immediate_reason: str = ""
    evidence: list[FileIn] = []
    notice: bool = Field(False, description="同时下发限期整改通知（督促整改通知书）")


class FindingOut(Schema):
    problem_id: int
    number: str
    notice_number: str = ""


class WarningCardOut(Schema):
    id: int
    number: str
    issued_on: dt.date
    org: OrgRef
    problem_id: int
    problem_number: str
    reason: str
    reason_label: str
    level_position: int
    level_name: str
    issuing_org: OrgRef
    campaign_id: int | None


class WarningCardPageOut(Schema):
    items: list[WarningCardOut]
    next_cursor: str | None


class CardCheckOut(Schema):
    checked: int
    issued: list[WarningCardOut]
