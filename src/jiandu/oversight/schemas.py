"""API schemas of the rectification loop and of the deadlines' reference data."""

from __future__ import annotations

import base64
import binascii
import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from ninja import Field, Schema

from jiandu.core.schemas import CursorPageQuery, Id, OrgRef, QuerySchema, choice_label
from jiandu.oversight.choices import RectificationAction, RectificationStatus
from jiandu.oversight.services import Upload


class RefOut(Schema):
    id: int
    name: str


class FileIn(Schema):
    """A file in a JSON body: its name and its bytes in base64."""

    name: str = Field(..., max_length=200)
    content_type: str = ""
    data_base64: str

    def upload(self, field: str = "files") -> Upload:
        try:
            data = base64.b64decode(self.data_base64, validate=True)
        except (binascii.Error, ValueError):
            raise ValidationError({field: f"文件“{self.name}”的内容不是有效的 base64"}) from None
        return Upload(self.name, data, self.content_type)


class ProblemQuery(CursorPageQuery):
    stage: str = Field(
        "",
        description="整改状态：pending 待整改，working 正在整改（含待验收），submitted 待验收，"
        "closed 已销号，immediate 立行立改",
    )
    source: Id | None = Field(None, description="问题来源 id")
    category: Id | None = Field(None, description="问题类别 id")
    org: Id | None = Field(None, description="责任单位 id")
    overdue: bool = Field(False, description="只列超期未销号")
    text: str = Field("", description="编号或描述关键词")


class ProblemOut(Schema):
    id: int
    number: str
    org: OrgRef
    supervising_org: OrgRef
    description: str
    source: RefOut
    category: RefOut
    found_on: dt.date
    status: str
    status_label: str
    immediate: bool
    due_on: dt.date
    workdays_left: int | None = Field(
        None, description="距整改期限的工作日数（负数为超期工作日数）；已销号为空"
    )
    overdue: bool

    @classmethod
    def from_row(cls, row: dict[str, Any], due: Any) -> ProblemOut:
        """A list row (:func:`~jiandu.oversight.selectors.problem_rows_named`) built from
        trusted database values without re-validating them (as the clue list does): a page
        costs a dict each, not a validation pass per field. ``due`` is the row's
        :class:`~jiandu.oversight.selectors.DueState`."""
        status = row["rectification__status"]
        return cls.model_construct(
            id=row["id"],
            number=row["number"],
            org=OrgRef.model_construct(id=row["org_id"], name=row["org__name"]),
            supervising_org=OrgRef.model_construct(
                id=row["supervising_org_id"], name=row["supervising_org__name"]
            ),
            description=row["description"],
            source=RefOut.model_construct(id=row["source_id"], name=row["source__name"]),
            category=RefOut.model_construct(id=row["category_id"], name=row["category__name"]),
            found_on=row["found_on"],
            status=status,
            status_label=choice_label(RectificationStatus, status),
            immediate=row["rectification__immediate"],
            due_on=row["rectification__due_on"],
            workdays_left=due.workdays_left if due.is_open else None,
            overdue=due.overdue,
        )

    @staticmethod
    def from_problem(problem: Any) -> dict[str, Any]:
        rect = problem.rectification
        due = problem.due
        return {
            "id": problem.pk,
            "number": problem.number,
            "org": {"id": problem.org_id, "name": problem.org.name},
            "supervising_org": {
                "id": problem.supervising_org_id,
                "name": problem.supervising_org.name,
            },
            "description": problem.description,
            "source": {"id": problem.source_id, "name": problem.source.name},
            "category": {"id": problem.category_id, "name": problem.category.name},
            "found_on": problem.found_on,
            "status": rect.status,
            "status_label": rect.get_status_display(),
            "immediate": rect.immediate,
            "due_on": rect.due_on,
            "workdays_left": due.workdays_left if due.is_open else None,
            "overdue": due.overdue,
        }


class ProblemPageOut(Schema):
    items: list[ProblemOut]
    next_cursor: str | None


class EventOut(Schema):
    action: str
    action_label: str
    from_status: str
    to_status: str
    reason: str
    due_before: dt.date | None
    due_after: dt.date | None
    actor: str
    on_date: dt.date
    at: dt.datetime


class AttachmentOut(Schema):
    id: int
    kind: str
    kind_label: str
    name: str
    size: int
    sha256: str
    uploaded_at: dt.datetime


class ActionOut(Schema):
    action: str
    label: str


class FollowUpOut(Schema):
    id: int
    problem_id: int
    problem_number: str
    due_on: dt.date
    status: str
    status_label: str
    checked_on: dt.date | None
    note: str
    recurrence_id: int | None


class ProblemDetailOut(ProblemOut):
    found_by_org: OrgRef
    plan: str
    report: str
    signed_at: dt.datetime | None
    closed_on: dt.date | None
    rejection_count: int
    origin_type: str
    origin_id: int | None
    events: list[EventOut]
    attachments: list[AttachmentOut]
    actions: list[ActionOut]
    follow_ups: list[FollowUpOut]


class ProblemCreateIn(Schema):
    org: Id = Field(..., description="责任单位 id（须在管辖范围内）")
    description: str = Field(..., min_length=1)
    source: str = Field(..., description="问题来源代码，如 supervision、inspection、self_check")
    category: Id = Field(..., description="问题类别 id")
    found_on: dt.date
    supervising_org: Id = Field(..., description="监督责任单位 id：本单位或所代表的纪委监委")
    evidence: list[FileIn] = []
    immediate_reason: str = Field("", description="立行立改情况；填写即登记为立行立改并销号")


class MoveIn(Schema):
    action: RectificationAction
    reason: str = ""
    text: str = Field("", description="整改方案（plan）或整改报告（submit）")
    new_due: dt.date | None = Field(None, description="延期（extend）后的新期限")
    files: list[FileIn] = []


class FollowUpQuery(CursorPageQuery):
    status: str = Field("", description="scheduled 待回头看，passed 未发现反弹，recurred 问题反弹")


class FollowUpPageOut(Schema):
    items: list[FollowUpOut]
    next_cursor: str | None


class FollowUpRecordIn(Schema):
    recurred: bool
    note: str = Field(..., min_length=1)
    checked_on: dt.date | None = None
    recurrence_description: str = ""


class CalendarQuery(QuerySchema):
    year: int | None = Field(None, ge=2000, le=2100, description="年份（默认今年）")


class CalendarDayOut(Schema):
    date: dt.date
    kind: str = Field(..., description="休 或 班")
    note: str


class CalendarOut(Schema):
    year: int
    loaded_years: list[int]
    missing_years: list[int] = Field(..., description="今明两年中尚未载入节假日安排的年份")
    days: list[CalendarDayOut]


class CalendarImportIn(Schema):
    file: FileIn | None = Field(None, description=".csv 或 .xlsx（表头 date,kind）")
    rows: list[list[str]] = Field([], description='不传文件时：[["2026-10-01", "休"], …]')


class CalendarImportOut(Schema):
    years: list[int]
    rest_days: int
    work_days: int
    replaced: int


class DeadlineRuleOut(Schema):
    step: str
    label: str
    period_kind: str
    length: int
    describe: str
    basis: str
    since: dt.datetime
    until: dt.datetime | None
    change_reason: str
