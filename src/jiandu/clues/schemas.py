"""API schemas of the case registry.

The reporter's identity appears in one schema only, :class:`ReporterOut`, answered by the
audited reporter endpoint; petition schemas carry neither the identity nor its search
key. A detail's timeline, outcomes and next actions are read by the resolvers through
the selectors, for the requesting user (``context["request"]``)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any, ClassVar

from ninja import Field, Schema

from jiandu.clues.choices import (
    Channel,
    ClueAction,
    ClueSource,
    ClueStatus,
    Conclusion,
    DisposalMethod,
    OutcomeKind,
    OutcomeSubtype,
    PetitionAction,
    PetitionStatus,
    ResponsibilityType,
)
from jiandu.clues.selectors import (
    clue_list,
    clue_next_actions,
    clue_outcomes,
    clue_timeline,
    petition_next_actions,
    petition_timeline,
)
from jiandu.core.schemas import (
    CursorPageQuery,
    Date,
    Id,
    Line,
    OrgRef,
    PersonRef,
    QuerySchema,
    choice_label,
)


class DomainOut(Schema):
    code: str
    name: str


class ActionOut(Schema):
    action: str
    label: str


class RecordRef(Schema):
    id: int
    number: str | None


# --- petitions -------------------------------------------------------------------


class PetitionOut(Schema):
    id: int
    number: str | None
    received_date: dt.date
    channel: str
    channel_label: str
    is_real_name: bool
    title: str
    status: str
    status_label: str
    is_first_time: bool
    repeat_of_id: int | None
    received_org: OrgRef
    handling_org: OrgRef
    transferred_to: str
    closed_at: dt.datetime | None

    @staticmethod
    def resolve_channel_label(obj: Any) -> str:
        return choice_label(Channel, obj.channel)

    @staticmethod
    def resolve_status_label(obj: Any) -> str:
        return choice_label(PetitionStatus, obj.status)


class PetitionEventOut(Schema):
    id: int
    action: str
    action_label: str
    from_status: str
    to_status: str
    from_org: OrgRef | None
    to_org: OrgRef | None
    reason: str
    actor: str
    at: dt.datetime

    @staticmethod
    def resolve_action_label(obj: Any) -> str:
        return choice_label(PetitionAction, obj.action)

    @staticmethod
    def resolve_actor(obj: Any) -> str:
        return obj.actor.display_name


class PetitionDetailOut(PetitionOut):
    content: str
    domains: list[DomainOut]
    subject_people: list[PersonRef]
    subject_orgs: list[OrgRef]
    clues: list[RecordRef] = Field(description="由本件转成的问题线索（管辖范围内）")
    timeline: list[PetitionEventOut]
    allowed_actions: list[ActionOut] = Field(description="当前用户现在可执行的办理动作")
    created_at: dt.datetime

    @staticmethod
    def resolve_timeline(obj: Any) -> list[Any]:
        return list(petition_timeline(petition=obj))

    @staticmethod
    def resolve_clues(obj: Any, context: dict[str, Any]) -> list[Any]:
        visible = clue_list(user=context["request"].user).select_related(None)
        return list(visible.filter(petition=obj).order_by("pk").only("pk", "number"))

    @staticmethod
    def resolve_allowed_actions(obj: Any, context: dict[str, Any]) -> list[dict[str, str]]:
        actions = petition_next_actions(user=context["request"].user, petition=obj)
        return [{"action": a, "label": choice_label(PetitionAction, a)} for a in actions]


class PetitionPageOut(Schema):
    items: list[PetitionOut]
    next_cursor: str | None
    total: int = Field(description="符合条件的件数（total_exact 为否时是估计数）")
    total_exact: bool = True


class PetitionQuery(CursorPageQuery):
    status: PetitionStatus | None = None
    channel: Channel | None = None
    domain: str = Field("", description="领域代码，如 poverty")
    received_from: Date | None = None
    received_to: Date | None = None
    text: str = Field("", description="编号（精确）或标题（模糊）")
    repeat_only: bool = Field(False, description="只列重复举报")


class ReporterIn(Schema):
    name: Line = Field("", max_length=50)
    phone: str = Field("", max_length=50)
    id_number: str = ""
    address: str = Field("", max_length=200)


class PetitionCreateIn(Schema):
    received_date: Date
    channel: Channel
    title: Line = Field(max_length=200)
    content: str
    received_org: Id | None = Field(None, description="登记单位编号；不填为本人所在单位")
    is_real_name: bool = False
    reporter: ReporterIn | None = Field(None, description="举报人身份（加密保存，受保护）")
    domains: list[str] = Field([], description="领域代码")
    subject_people: list[Id] = Field([], description="被反映人编号")
    subject_orgs: list[Id] = Field([], description="被反映单位编号")


class ReporterOut(Schema):
    petition_id: int
    recorded: bool = Field(description="是否登记了举报人身份")
    name: str
    phone: str
    id_number: str
    address: str


class PetitionConvertIn(Schema):
    reason: str
    title: Line = Field("", max_length=200, description="线索标题；不填沿用信访件标题")
    handling_org: Id | None = Field(None, description="承办单位编号；不填为信访件承办单位")
    on_date: Date | None = Field(None, description="转线索（受理）日期；不填为今天")


class PetitionAssignIn(Schema):
    to_org: Id = Field(description="交办单位编号（须在管辖范围内）")
    reason: str


class PetitionTransferIn(Schema):
    transferred_to: Line = Field(max_length=100, description="转办至（单位名称）")
    reason: str


class PetitionFileIn(Schema):
    reason: str


# --- clues -----------------------------------------------------------------------


class ClueOut(Schema):
    id: int
    number: str | None
    source: str
    source_label: str
    title: str
    received_date: dt.date
    handling_org: OrgRef
    status: str
    status_label: str
    disposal_method: str
    disposal_method_label: str
    due_date: dt.date | None
    closed_at: dt.date | None
    is_escalated: bool
    is_direct: bool

    @staticmethod
    def resolve_source_label(obj: Any) -> str:
        return choice_label(ClueSource, obj.source)

    @staticmethod
    def resolve_status_label(obj: Any) -> str:
        return choice_label(ClueStatus, obj.status)

    @staticmethod
    def resolve_disposal_method_label(obj: Any) -> str:
        return choice_label(DisposalMethod, obj.disposal_method)

    # The columns of a list row, read with ``QuerySet.values`` (see ``from_row``).
    ROW_FIELDS: ClassVar[tuple[str, ...]] = (
        "id", "number", "source", "title", "received_date", "handling_org_id",
        "handling_org__name", "status", "disposal_method", "due_date", "closed_at",
        "is_escalated", "is_direct",
    )  # fmt: skip

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> ClueOut:
        """A list row built from trusted database values without re-validating them: a
        page of 200 rows costs a dict each instead of a validation pass per field."""
        return cls.model_construct(
            id=row["id"],
            number=row["number"],
            source=row["source"],
            source_label=choice_label(ClueSource, row["source"]),
            title=row["title"],
            received_date=row["received_date"],
            handling_org=OrgRef.model_construct(
                id=row["handling_org_id"], name=row["handling_org__name"]
            ),
            status=row["status"],
            status_label=choice_label(ClueStatus, row["status"]),
            disposal_method=row["disposal_method"],
            disposal_method_label=choice_label(DisposalMethod, row["disposal_method"]),
            due_date=row["due_date"],
            closed_at=row["closed_at"],
            is_escalated=row["is_escalated"],
            is_direct=row["is_direct"],
        )


class ClueEventOut(Schema):
    id: int
    action: str
    action_label: str
    from_status: str
    to_status: str
    disposal_method: str
    from_org: OrgRef | None
    to_org: OrgRef | None
    note: str
    actor: str
    on_date: dt.date
    at: dt.datetime

    @staticmethod
    def resolve_action_label(obj: Any) -> str:
        return choice_label(ClueAction, obj.action)

    @staticmethod
    def resolve_actor(obj: Any) -> str:
        return obj.actor.display_name


class OutcomeOut(Schema):
    id: int
    clue_id: int
    person: PersonRef | None
    subject_name: str
    kind: str
    kind_label: str
    subtype: str
    subtype_label: str
    responsibility_type: str
    discipline_form: int | None = Field(description="四种形态（1-4）")
    decision_date: dt.date
    decided_by: OrgRef
    funds_recovered: Decimal
    note: str
    archived_at: dt.datetime | None
    archive_reason: str

    @staticmethod
    def resolve_kind_label(obj: Any) -> str:
        return choice_label(OutcomeKind, obj.kind)

    @staticmethod
    def resolve_subtype_label(obj: Any) -> str:
        return choice_label(OutcomeSubtype, obj.subtype)


class ClueDetailOut(ClueOut):
    content: str
    registered_org: OrgRef
    petition: RecordRef | None
    domains: list[DomainOut]
    subject_people: list[PersonRef]
    subject_orgs: list[OrgRef]
    disposed_at: dt.date | None
    conclusion: str
    conclusion_text: str
    funds_involved: Decimal | None
    evidence: dict[str, Any]
    created_at: dt.datetime
    timeline: list[ClueEventOut]
    outcomes: list[OutcomeOut]
    allowed_actions: list[ActionOut] = Field(description="当前用户现在可执行的办理动作")

    @staticmethod
    def resolve_timeline(obj: Any) -> list[Any]:
        return list(clue_timeline(clue=obj))

    @staticmethod
    def resolve_outcomes(obj: Any) -> list[Any]:
        return list(clue_outcomes(clue=obj).defer("person__id_number"))

    @staticmethod
    def resolve_allowed_actions(obj: Any, context: dict[str, Any]) -> list[dict[str, str]]:
        actions = clue_next_actions(user=context["request"].user, clue=obj)
        return [{"action": a, "label": choice_label(ClueAction, a)} for a in actions]


class CluePageOut(Schema):
    items: list[ClueOut]
    next_cursor: str | None
    total: int = Field(description="符合条件的件数（total_exact 为否时是估计数）")
    total_exact: bool = True


class ClueQuery(CursorPageQuery):
    status: ClueStatus | None = None
    source: ClueSource | None = None
    domain: str = Field("", description="领域代码，如 poverty")
    org: Id | None = Field(None, description="承办单位编号")
    disposal_method: DisposalMethod | None = None
    received_from: Date | None = None
    received_to: Date | None = None
    text: str = Field("", description="编号（精确）或标题（模糊）")
    overdue: bool = Field(False, description="只列超期未办结")


class ClueCreateIn(Schema):
    source: ClueSource
    title: Line = Field(max_length=200)
    received_date: Date
    handling_org: Id | None = Field(None, description="承办单位编号；不填为本人所在单位")
    content: str = ""
    domains: list[str] = Field([], description="领域代码")
    subject_people: list[Id] = Field([], description="被反映人编号")
    subject_orgs: list[Id] = Field([], description="被反映单位编号")
    funds_involved: Decimal | None = Field(None, ge=0, max_digits=14, decimal_places=2)


class ClueActionIn(Schema):
    """One lifecycle action. Which fields it needs: 处置/变更处置方式 ``method``;
    办结 ``conclusion`` (+ ``conclusion_text``); 提级查办/直查直办/交办 ``to_org`` and
    ``note``; 变更处置方式 also ``note``; 延期 ``new_due`` (later than the current 办理期限)
    and ``note``."""

    action: ClueAction
    method: DisposalMethod | None = None
    conclusion: Conclusion | None = None
    conclusion_text: str = ""
    to_org: Id | None = Field(None, description="目标单位编号")
    note: str = ""
    new_due: Date | None = Field(None, description="延期后的办理期限（延期时必填）")
    on_date: Date | None = Field(None, description="业务日期；不填为今天")


class OutcomeCreateIn(Schema):
    kind: OutcomeKind
    decision_date: Date
    subtype: OutcomeSubtype | None = None
    responsibility_type: ResponsibilityType | None = None
    person: Id | None = Field(None, description="处理对象（人员编号）")
    subject_name: Line = Field("", max_length=50, description="对象不在干部库时的姓名")
    funds_recovered: Decimal = Field(Decimal(0), max_digits=14, decimal_places=2)
    decided_by: Id | None = Field(None, description="决定单位编号；不填为线索承办单位")
    note: str = ""


class OutcomeArchiveIn(Schema):
    reason: str


# --- exposure batches ------------------------------------------------------------


class ExposureBatchOut(Schema):
    id: int
    title: str
    published_on: dt.date
    org: OrgRef
    medium: str
    case_count: int
    person_count: int


class ExposureCaseOut(Schema):
    id: int
    title: str
    clue: RecordRef | None
    persons: list[PersonRef]


class ExposureBatchDetailOut(ExposureBatchOut):
    domains: list[DomainOut]
    cases: list[ExposureCaseOut]
    created_at: dt.datetime


class ExposurePageOut(Schema):
    items: list[ExposureBatchOut]
    next_cursor: str | None


class ExposureCaseIn(Schema):
    title: Line = Field(max_length=200)
    clue: Id | None = Field(None, description="关联问题线索编号")
    persons: list[Id] = Field([], description="涉及人员编号")


class ExposureBatchCreateIn(Schema):
    title: Line = Field(max_length=200)
    published_on: Date
    cases: list[ExposureCaseIn]
    org: Id | None = Field(None, description="通报单位编号；不填为本人所在单位")
    domains: list[str] = Field([], description="领域代码")
    medium: str = Field("", max_length=100)


# --- statistics ------------------------------------------------------------------


class StatisticQuery(QuerySchema):
    key: str = Field(description="统计指标，如 clues_received、criticism")
    start: Date
    end: Date
    domain: str = Field("", description="领域代码")
    org: Id | None = Field(None, description="只统计该单位（须在管辖范围内）")
    include_subtree: bool = Field(False, description="与 org 同用：含其下级单位")
    records: bool = Field(False, description="同时返回被计数记录的编号（下钻）")


class StatisticOut(Schema):
    key: str
    name: str
    unit: str
    start: dt.date
    end: dt.date
    domain: str
    org_id: int | None
    count: int
    record_type: str = Field(description="records 中编号所指的记录类型")
    records: list[int] | None


class StatisticInfoOut(Schema):
    key: str
    name: str
    unit: str
