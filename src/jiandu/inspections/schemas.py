"""API schemas of the 巡察 rounds (names prefixed: unique across apps)."""

from __future__ import annotations

import datetime as dt

from ninja import Field, Schema

from jiandu.core.schemas import Id, OrgRef


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
    org: Id = Field(..., description="被巡察单位编号")
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
    person: Id
    org: Id
    reason: str = Field("relative", description="relative/former/other")
    note: str = Field("", max_length=200)


# --- 单元制, 双报告, 提级, 三本账 -----------------------------------------------------------


class InspectionUnitMemberIn(Schema):
    org: Id
    role: str = Field(..., description="stationed/township/department/village_committee")


class InspectionUnitIn(Schema):
    name: str = Field(..., min_length=1, max_length=60)
    members: list[InspectionUnitMemberIn] = Field(..., min_length=2)
    covered: list[Id] = Field(..., min_length=1, description="监督单位编号")


class InspectionUnitMemberOut(Schema):
    org: OrgRef
    role: str
    role_label: str


class InspectionUnitOut(Schema):
    id: int
    name: str
    owner_org: OrgRef
    members: list[InspectionUnitMemberOut]
    covered: list[OrgRef]


class InspectionUnitFiguresOut(Schema):
    checks: int = Field(..., description="专项检查")
    problems: int = Field(..., description="发现问题")
    orders: int = Field(..., description="责令整改")
    talks: int = Field(..., description="责任提醒谈话")
    admonitions: int = Field(..., description="纠错诫勉")
    covered: int = Field(..., description="监督单位")
    checked: int = Field(..., description="本年已检查")


class InspectionPlanRowOut(Schema):
    org: OrgRef
    key_check: bool = Field(..., description="重点检查")


class InspectionOpenProblemOut(Schema):
    id: int
    number: str
    org: OrgRef
    description: str
    status_label: str = Field(..., description="整改状态")
    due_on: dt.date | None


class InspectionUnitDetailOut(InspectionUnitOut):
    year: int
    figures: InspectionUnitFiguresOut
    plan: list[InspectionPlanRowOut]
    unchecked: list[OrgRef] = Field(..., description="本年尚未检查的监督单位（列入计划的在前）")
    open_problems: list[InspectionOpenProblemOut] = Field(
        ..., description="下次检查前：本单元未销号的问题"
    )


class InspectionPlanIn(Schema):
    orgs: list[Id] = Field(..., description="年度监督单位")
    key: list[Id] = Field([], description="其中重点检查")


class InspectionCheckIn(Schema):
    name: str = Field(..., min_length=1, max_length=100)
    topic: str = Field(..., description="专项检查类别名称（如 扶贫、节假日、高档烟酒）")
    held_on: dt.date
    targets: list[Id] = Field(..., min_length=1)
    team_size: int = Field(3, ge=1, le=15)
    required_skills: list[str] = []


class InspectionCheckOutcomeOut(Schema):
    id: int
    kind: str
    kind_label: str
    org: OrgRef
    person_name: str
    note: str
    recorded_at: dt.datetime


class InspectionCheckOut(Schema):
    id: int
    unit: int
    name: str
    topic: str
    held_on: dt.date
    step: str
    step_label: str
    targets: list[OrgRef]
    team: list[InspectionTeamMemberOut]
    draw: dict | None = Field(..., description="抽组的随机种子、日期和结果")
    problems: list[InspectionOpenProblemOut]
    outcomes: list[InspectionCheckOutcomeOut]


class InspectionCheckStepIn(Schema):
    to_step: str = Field(..., description="problems/ledgers/visits/causes/rectify/review/done")


class InspectionCheckFindingIn(Schema):
    org: Id
    category: Id = Field(..., description="问题类别编号")
    description: str = Field(..., min_length=1)


class InspectionCheckOutcomeIn(Schema):
    kind: str = Field(..., description="order 责令整改 / talk 责任提醒谈话 / admonish 纠错诫勉")
    org: Id
    person_name: str = Field("", max_length=50)
    note: str = ""


class InspectionReportIn(Schema):
    org: Id = Field(..., description="被巡察单位")
    kind: str = Field(..., description="inspection 巡察报告 / clues 专题报告（问题线索报告）")
    text: str = Field(..., min_length=1)


class InspectionReportCommentOut(Schema):
    id: int
    text: str
    outcome: str
    outcome_label: str
    problem_id: int | None
    problem_number: str | None
    clue_id: int | None
    clue_number: str | None
    at: dt.datetime


class InspectionReportOut(Schema):
    id: int
    round: int
    org: OrgRef
    kind: str
    kind_label: str
    text: str
    files: list[str]
    comments: list[InspectionReportCommentOut]


class InspectionReportFileOut(Schema):
    id: int
    report: int
    name: str
    content_type: str
    size: int
    sha256: str
    uploaded_at: dt.datetime


class InspectionReportCommentIn(Schema):
    text: str = Field(..., min_length=1)
    outcome: str = Field("note", description="note 意见 / problem 发现问题 / clue 发现问题线索")
    category: Id | None = Field(None, description="发现问题时：问题类别编号")
    clue_title: str = Field("", max_length=100)


class InspectionEscalationOut(Schema):
    id: int
    clue_id: int
    rule: str
    to_org: OrgRef
    status: str
    status_label: str
    reason: str


class InspectionEscalationDecideIn(Schema):
    confirm: bool
    reason: str = Field(..., min_length=1)


class InspectionLedgerRowOut(Schema):
    id: int
    county: OrgRef
    kind: str
    kind_label: str
    title: str
    status: str
    status_label: str
    progress: str
    round_id: int | None
    clue_id: int | None
    problem_id: int | None


class InspectionLedgerPageOut(Schema):
    items: list[InspectionLedgerRowOut]
    next_cursor: str | None


class InspectionLedgerRowIn(Schema):
    county: Id
    kind: str = Field(..., description="transferred/governance/assigned")
    title: str = Field(..., min_length=1, max_length=200)
    clue: Id | None = None
    problem: Id | None = None


class InspectionLedgerLineIn(Schema):
    row: Id = Field(..., description="台账条目编号")
    progress: str
    status: str = Field(..., description="open 办理中 / done 已办结")


class InspectionLedgerMonthIn(Schema):
    county: Id
    month: dt.date = Field(..., description="月份（该月任一日）")
    lines: list[InspectionLedgerLineIn] = Field(..., min_length=1)


class InspectionLedgerOverviewOut(Schema):
    county: OrgRef
    kind: str
    kind_key: str
    total: int
    done: int
    open: int
    reported: int = Field(..., description="本月已报送")


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
