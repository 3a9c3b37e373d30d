"""API schemas of the 巡察 rounds (names prefixed: unique across apps)."""

from __future__ import annotations

import datetime as dt

from ninja import Field, Schema

from jiandu.core.schemas import OrgRef


class InspectionRoundOut(Schema):
    id: int
    name: str
    form: str
    form_label: str
    level: str
    level_label: str
    stage: str
    stage_label: str
    starts_on: dt.date
    ends_on: dt.date
    owner_org: OrgRef
    problem_count: int = Field(..., description="发现问题")
    clue_count: int = Field(..., description="移交问题线索")


class InspectionTargetOut(Schema):
    org: OrgRef
    focus_items: list[str]


class InspectionTeamMemberOut(Schema):
    name: str
    role: str = Field(..., description="组长或组员")


class InspectionTeamOut(Schema):
    target: OrgRef
    members: list[InspectionTeamMemberOut]


class InspectionRoundFiguresOut(Schema):
    problems: int = Field(..., description="发现问题")
    closed: int = Field(..., description="已销号")
    completion: float | None = Field(..., description="整改完成率（%）")
    clues: int = Field(..., description="移交问题线索")
    case_filed: int = Field(..., description="其中立案审查")
    case_rate: float | None = Field(..., description="成案率（%）= 立案审查 / 移交")
    funds_recovered: float = Field(..., description="追缴挽回资金（元）")


class InspectionRoundDetailOut(InspectionRoundOut):
    figures: InspectionRoundFiguresOut
    team_size: int
    required_skills: list[str]
    targets: list[InspectionTargetOut]
    teams: list[InspectionTeamOut]


class InspectionTargetIn(Schema):
    org: int = Field(..., description="被巡察单位编号")
    focus_items: list[str] = Field([], description="重点事项代码（菜单式，按单位选定）")


class InspectionRoundCreateIn(Schema):
    name: str = Field(..., max_length=100)
    form: str = Field(..., description="sector/linked/menu/regular/special/mobile")
    level: str = Field(..., description="city/county/joint")
    starts_on: dt.date
    ends_on: dt.date
    targets: list[InspectionTargetIn] = Field(..., min_length=1)
    team_size: int = Field(5, ge=1, le=30)
    required_skills: list[str] = []
    cooldown_months: int = Field(36, ge=0, le=120)


class InspectionDrawIn(Schema):
    seed: int | None = Field(None, ge=0, description="随机种子；不给时自动选取")
    as_of: dt.date | None = Field(None, description="抽取日期，默认今天")


class InspectionDrawOut(Schema):
    id: int
    seed: int
    as_of: dt.date
    feasible: bool
    adopted: bool
    result: dict = Field(..., description="组队结果，或组不齐的单位及原因（与命令行计算器相同）")


class InspectionStageIn(Schema):
    to_stage: str
    note: str = Field("", max_length=500)


class InspectionTalentOut(Schema):
    person_id: int
    name: str
    skills: list[str]
    can_lead: bool = Field(..., description="可任组长")
    available: bool = Field(..., description="可抽调")


class InspectionTalentIn(Schema):
    skills: list[str] = []
    can_lead: bool = False
    available: bool = True
    note: str = Field("", max_length=200)


class InspectionConflictIn(Schema):
    person: int
    org: int
    reason: str = Field("relative", description="relative/former/other")
    note: str = Field("", max_length=200)


class InspectionStatisticsRowOut(Schema):
    key: str = Field(..., description="分组代码（轮次编号、形式、层级或 unit/village）")
    label: str
    problems: int = Field(..., description="发现问题")
    closed: int = Field(..., description="已销号")
    completion: float | None = Field(..., description="整改完成率（%）")
    clues: int = Field(..., description="移交问题线索")
    case_filed: int = Field(..., description="立案审查")
    case_rate: float | None = Field(..., description="成案率（%）= 立案审查 / 移交")
    funds_recovered: float = Field(..., description="追缴挽回资金（元）")
    records: dict[str, str] = Field(..., description="每项数字对应记录的接口地址")


class InspectionStatisticsOut(Schema):
    by: str
    rows: list[InspectionStatisticsRowOut]


class InspectionStatisticsRecordOut(Schema):
    kind: str = Field(..., description="problem / clue / outcome")
    id: int
    number: str
    text: str = Field(..., description="问题描述、线索标题或处理对象")
    org: OrgRef
    round: str = ""
    status: str = ""
    funds_recovered: float | None = None


class InspectionUnitStatisticsOut(Schema):
    unit: OrgRef
    checks: int
    problems: int
    orders: int = Field(..., description="责令整改")
    talks: int = Field(..., description="责任提醒谈话")
    admonitions: int = Field(..., description="纠错诫勉")
    covered: int = Field(..., description="监督单位")
    checked: int = Field(..., description="本年已检查")
    coverage: float | None = Field(..., description="覆盖率（%）")
    records: dict[str, str]


class InspectionUnitRecordOut(Schema):
    kind: str = Field(..., description="check / problem / outcome / org")
    id: int
    text: str
    org: OrgRef | None = None
    status: str = ""
