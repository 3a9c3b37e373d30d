"""API schemas of 零报告 detection, 对账销账 and the 质询会."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from ninja import Field, Schema

from jiandu.core.schemas import CursorPageQuery, Date, Id, Line, OrgRef, QuerySchema
from jiandu.reconciliation.choices import (
    AccountabilityForm,
    InquiryDecision,
    ReconciliationAction,
)

PERIOD_HELP = "期间：2026Q3（季度）、2026-09（月）、2026H1（半年）或 2026（年）"


class ZeroReportRuleOut(Schema):
    id: int
    zero_min_other: int
    share_threshold: Decimal
    share_min_other: int
    describe: str
    basis: str
    since: dt.datetime
    until: dt.datetime | None
    change_reason: str


class RuleIn(Schema):
    zero_min_other: int = Field(..., ge=0, description="零报告：自查为0且其他来源至少几件即标记")
    share_threshold: Decimal = Field(
        ..., ge=0, le=10, description="自查占比下限（0.5 即其他来源件数的一半）"
    )
    share_min_other: int = Field(..., ge=1, description="占比规则：其他来源至少几件才判断")
    basis: Line = ""
    reason: Line = Field(..., min_length=1, description="修改原因")


class FlagQuery(CursorPageQuery):
    period: str = Field("", description=PERIOD_HELP)
    status: str = Field("", description="open 待专项督导，supervised 已专项督导")


class FlagOut(Schema):
    id: int
    org: OrgRef
    period: str
    period_start: dt.date
    period_end: dt.date
    reason: str
    reason_label: str
    self_found_count: int
    other_problem_count: int
    petition_count: int
    status: str
    status_label: str
    rule_id: int
    rule: str
    detected_at: dt.datetime


class FlagPageOut(Schema):
    items: list[FlagOut]
    next_cursor: str | None


class EvidenceOut(Schema):
    number: str
    title: str
    date: dt.date
    record_type: str = Field(..., description="problem 问题或 petition 信访举报")
    record_id: int | None = Field(None, description="管辖范围外办理的信访举报为空")


class FlagDetailOut(FlagOut):
    self_found: list[EvidenceOut]
    other_problems: list[EvidenceOut]
    petitions: list[EvidenceOut]
    supervised_on: dt.date | None
    supervision_note: str


class DetectIn(Schema):
    period: str = Field(..., description=PERIOD_HELP)
    within: Id | None = Field(None, description="只检测该单位及其下属单位")


class DetectOut(Schema):
    period: str
    period_label: str
    rule: str
    units_checked: int
    flags_created: int
    flags_existing: int


class SuperviseIn(Schema):
    supervised_on: Date
    note: Line = Field(..., min_length=1)


class LedgerQuery(QuerySchema):
    org: Id = Field(..., description="单位 id")
    period: str = Field(..., description=PERIOD_HELP)


class LedgerProblemOut(Schema):
    id: int
    number: str
    description: str
    source: str
    category: str
    found_on: dt.date
    rectification_status: str
    paired_with: int | None = Field(None, description="配对的另一问题 id")
    accountability: str | None = None


class PairOut(Schema):
    id: int
    self_problem: int
    other_problem: int
    kind: str
    kind_label: str
    reason: str


class LedgerOut(Schema):
    org: OrgRef
    period: str
    period_label: str
    reconciliation_id: int | None
    status: str | None
    counts: dict[str, int]
    self_ledger: list[LedgerProblemOut]
    other_ledger: list[LedgerProblemOut]
    gaps: list[LedgerProblemOut]
    pairs: list[PairOut]


class MatchIn(Schema):
    org: Id
    period: str = Field(..., description=PERIOD_HELP)


class PairIn(Schema):
    self_problem: Id
    other_problem: Id
    reason: Line = Field(..., min_length=1)


class ReconcileReasonIn(Schema):
    reason: Line = Field(..., min_length=1)


class AccountabilityIn(Schema):
    problem: Id = Field(..., description="差额清单中的问题 id")
    supervising_leader: Id = Field(..., description="主管领导（人员 id）")
    principal: Id = Field(..., description="一把手（人员 id）")
    form: AccountabilityForm
    decided_on: Date
    decision: str = Field(..., min_length=1)


class AccountabilityOut(Schema):
    id: int
    problem: int
    supervising_leader: str
    principal: str
    form: str
    form_label: str
    decided_on: dt.date
    decision: str


class ReconcileMoveIn(Schema):
    action: ReconciliationAction
    reason: str = ""


class InquiryItemOut(Schema):
    id: int
    order: int
    problem_id: int
    problem_number: str
    problem: str
    decision: str
    decision_label: str
    decision_text: str


class InquiryRecordItemOut(Schema):
    id: int
    order: int
    record_type: str = Field(..., description="inspections.ledgerrow：三本账条目")
    record_id: int
    reference: str
    text: str
    decision: str
    decision_label: str
    decision_text: str


class InquiryRecordIn(Schema):
    record_type: str = Field(..., description="inspections.ledgerrow：三本账条目")
    record_id: Id


class InquiryOut(Schema):
    id: int
    title: str
    org: OrgRef
    convening_org: OrgRef
    held_on: dt.date
    place: str
    chair: str
    participants: list[str]
    requirements: list[str]
    status: str
    status_label: str
    minutes_number: str | None
    items: list[InquiryItemOut]
    records: list[InquiryRecordItemOut] = Field([], description="质询的台账事项（三本账条目）")


class InquiryPageOut(Schema):
    items: list[InquiryOut]
    next_cursor: str | None


class InquiryIn(Schema):
    title: Line = Field(..., min_length=1, max_length=100)
    org: Id = Field(..., description="被质询单位")
    convening_org: Id = Field(..., description="召集单位：本单位或所代表的纪委监委")
    held_on: Date
    place: Line = Field(..., min_length=1, max_length=100)
    chair: Line = Field(..., min_length=1, max_length=100)
    participants: list[Line] = Field(..., min_length=1)
    requirements: list[Line] = []
    problems: list[Id] = Field([], description="质询的问题；与 records 至少有一项")
    records: list[InquiryRecordIn] = Field([], description="质询的台账事项（三本账条目）")


class MarkIn(Schema):
    decision: InquiryDecision
    text: str = Field(..., min_length=1)
