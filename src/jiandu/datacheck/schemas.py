"""API schemas of 大数据比对. Subjects and the identities in evidence are answered masked
unless the caller holds ``people.view_id_number`` (``full_ids`` says which, and each
full answer is audited)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from ninja import Field, Schema

from jiandu.core.schemas import CursorPageQuery, Id, Line, OrgRef


class RuleParameterOut(Schema):
    name: str
    label: str
    default: Any
    display: str
    unit: str
    help: str


class RuleOut(Schema):
    code: str
    name: str
    description: str
    datasets: list[str]
    dataset_labels: list[str]
    parameters: list[RuleParameterOut]


class ColumnOut(Schema):
    name: str
    label: str
    required: bool


class VersionOut(Schema):
    id: int
    dataset: str
    version: int
    org: OrgRef
    region_code: str
    source_name: str
    rows_read: int
    rows_rejected: int
    rows_imported: int
    uploaded_by: str
    created_at: dt.datetime

    @staticmethod
    def resolve_uploaded_by(obj: Any) -> str:
        return str(obj.uploaded_by)


class ReportLineOut(Schema):
    row: int
    column: str
    message: str


class VersionDetailOut(VersionOut):
    mapping: dict[str, str]
    errors: list[ReportLineOut]
    warnings: list[ReportLineOut]

    @staticmethod
    def resolve_errors(obj: Any) -> list[dict[str, Any]]:
        return list((obj.report or {}).get("errors", []))

    @staticmethod
    def resolve_warnings(obj: Any) -> list[dict[str, Any]]:
        return list((obj.report or {}).get("warnings", []))


class DatasetOut(Schema):
    name: str
    label: str
    columns: list[ColumnOut]
    rules: list[str]
    versions: int
    latest: VersionOut | None


class VersionPageOut(Schema):
    items: list[VersionOut]
    next_cursor: str | None


class IdPageQuery(CursorPageQuery):
    """Pages by record id: ``after`` is the previous page's ``next_cursor``."""


class RuleResultOut(Schema):
    code: str
    name: str
    hits: int
    amount: Decimal
    confirmed: int
    excluded: int
    pending: int
    precision: float | None
    total_hits: int | None


class RunOut(Schema):
    id: int
    org: OrgRef
    region_code: str
    rules: list[str]
    params: dict[str, Any]
    backend: str
    status: str
    task_id: int | None
    hit_count: int
    created_by: str
    created_at: dt.datetime
    started_at: dt.datetime | None
    finished_at: dt.datetime | None

    @staticmethod
    def resolve_created_by(obj: Any) -> str:
        return str(obj.created_by)


class RunDetailOut(RunOut):
    summary: dict[str, Any]
    dataset_versions: list[VersionOut]
    results: list[RuleResultOut] = Field(description="各规则在您管辖地区内的疑点与核查情况")
    error: str

    @staticmethod
    def resolve_dataset_versions(obj: Any) -> list[Any]:
        from jiandu.datacheck.selectors import run_versions

        return run_versions(run=obj)

    @staticmethod
    def resolve_error(obj: Any) -> str:
        return str(obj.error_message)


class RunPageOut(Schema):
    items: list[RunOut]
    next_cursor: str | None


class RunStartIn(Schema):
    rules: list[str] | None = Field(None, description='规则代码，如 ["R01", "R03"]；不填为全部规则')
    versions: dict[str, Id] = Field(
        default_factory=dict,
        description="数据集 → 数据集版本编号；未给出的数据集取可见的最新版本",
    )
    region_code: str | None = Field(None, description="比对地区；不填为本单位的行政区划代码")
    params: dict[str, dict[str, Any]] = Field(
        default_factory=dict, description='规则参数，如 {"R01": {"grace_months": 1}}'
    )
    backend: str = "duckdb"


class HitQuery(CursorPageQuery):
    run: Id | None = None
    rule: str = ""
    status: str = ""


class HitOut(Schema):
    id: int
    run_id: int
    rule: str
    rule_name: str
    subject: str = Field(description="身份证号码（R07 为账号）；无权限时为脱敏值")
    subject_masked: str
    subject_name: str
    program: str
    period: str
    amount: Decimal | None
    region_code: str
    status: str
    status_label: str
    handling_org: OrgRef | None
    clue_id: int | None
    clue_number: str | None
    evidence: dict[str, Any]
    presence: str = Field(description="与上次比对相比：new 新发现 / still 仍存在 / gone 已消失")
    presence_label: str
    previous_id: int | None = Field(description="上次比对中的同一疑点")
    is_current: bool = Field(description="是否为该疑点最新一次发现（核查在其上进行）")


class HitPageOut(Schema):
    items: list[HitOut]
    next_cursor: str | None
    full_ids: bool


class HitEventOut(Schema):
    action: str
    action_label: str
    from_status: str
    to_status: str
    to_org: OrgRef | None
    reason: str
    actor: str
    at: dt.datetime


class HitDetailOut(HitOut):
    decision_reason: str
    allowed_actions: list[str]
    events: list[HitEventOut]
    full_ids: bool


class HitAssignIn(Schema):
    handling_org: Id
    reason: str = ""


class HitReasonIn(Schema):
    reason: str = ""


class HitConvertIn(Schema):
    title: Line = ""
    handling_org: Id | None = None
