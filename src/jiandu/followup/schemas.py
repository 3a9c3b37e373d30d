"""API shapes of the follow-up work. The reporter's identity is never part of them."""

from __future__ import annotations

import datetime as dt

from ninja import Field, Schema

from jiandu.core.schemas import CursorPageQuery, Id, QuerySchema

STATE_HELP = (
    "overdue 已超期，due_soon 3个工作日内到期，due 已超期或3个工作日内到期，open 未完成，"
    "done 已完成；不填为全部"
)


class StateQuery(CursorPageQuery):
    state: str = Field("", description=STATE_HELP)


class FeedbackQuery(StateQuery):
    kind: str = Field("", description="acceptance 受理告知，result 结果反馈；不填为全部")


class FeedbackOut(Schema):
    id: int
    petition_id: int
    petition_number: str | None
    petition_title: str
    kind: str
    kind_label: str
    unit: str
    start_on: dt.date
    due_on: dt.date
    rule: str
    done_on: dt.date | None
    method: str
    method_label: str
    note: str
    reply: str
    reply_label: str
    reply_on: dt.date | None
    objection: str
    overdue: bool


class FeedbackPageOut(Schema):
    items: list[FeedbackOut]
    next_cursor: str | None


class FeedbackRecordIn(Schema):
    done_on: dt.date
    method: str = Field(
        ..., description="in_person 当面，phone 电话，letter 书面，sms 短信，online 网上答复"
    )
    note: str = ""


class FeedbackReplyIn(Schema):
    reply: str = Field(..., description="satisfied 满意，basically 基本满意，dissatisfied 不满意")
    reply_on: dt.date
    objection: str = ""


class ExecutionOut(Schema):
    id: int
    outcome_id: int
    clue_number: str | None
    person: str
    sanction: str
    decision_date: dt.date
    decided_by: str
    served_on: dt.date | None
    personnel_required: bool
    personnel_due: dt.date | None
    post_changed_on: dt.date | None
    pay_changed_on: dt.date | None
    completed_on: dt.date | None
    overdue: bool
    note: str


class ExecutionPageOut(Schema):
    items: list[ExecutionOut]
    next_cursor: str | None


class ExecutionIn(Schema):
    served_on: dt.date | None = None
    post_changed_on: dt.date | None = None
    pay_changed_on: dt.date | None = None
    note: str = ""


class VisitOut(Schema):
    id: int
    outcome_id: int
    person: str
    org: str
    visitors: str
    planned_on: dt.date
    held_on: dt.date | None
    findings: str
    overdue: bool


class VisitPageOut(Schema):
    items: list[VisitOut]
    next_cursor: str | None


class VisitPlanIn(Schema):
    execution_id: Id
    visitors: str = Field(..., min_length=1, max_length=100)
    planned_on: dt.date


class VisitRecordIn(Schema):
    held_on: dt.date
    findings: str = Field(..., min_length=1)


class ClarificationOut(Schema):
    id: int
    clue_id: int
    clue_number: str | None
    person: str
    org: str
    method: str
    method_label: str
    held_on: dt.date
    scope: str
    note: str


class ClarificationPageOut(Schema):
    items: list[ClarificationOut]
    next_cursor: str | None


class ClarificationIn(Schema):
    clue_id: Id
    person_id: Id
    method: str = Field(..., description="notice 书面通报，meeting 会议澄清")
    held_on: dt.date
    scope: str = Field(..., min_length=1, max_length=200)
    note: str = ""


class FalseAccusationOut(Schema):
    id: int
    clue_id: int
    clue_number: str | None
    outcome_id: int
    org: str
    nature: str
    nature_label: str
    found_on: dt.date
    description: str


class FalseAccusationPageOut(Schema):
    items: list[FalseAccusationOut]
    next_cursor: str | None


class FalseAccusationIn(Schema):
    outcome_id: Id
    nature: str = Field(..., description="false 诬告陷害，malicious 恶意举报")
    found_on: dt.date
    description: str = Field(..., min_length=1)


class PeriodQuery(QuerySchema):
    start: dt.date = Field(..., description="起始日期")
    end: dt.date = Field(..., description="截止日期（含）")


class CountsOut(Schema):
    real_name: int
    petitions: int
    satisfied: int
    replies: int
    clarifications: int
    false_accusations: int
