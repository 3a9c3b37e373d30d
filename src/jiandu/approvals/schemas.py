"""Shapes of the 呈批 API."""

from __future__ import annotations

import datetime as dt

from ninja import Field, Schema

from jiandu.core.schemas import QuerySchema


class StepOut(Schema):
    round: int
    order: int
    step: str = Field(description="步骤（室主任审核，派驻组为组长审核；分管领导审批）")
    signer: str | None = Field(None, description="签批人")
    decision: str = Field(description="意见（同意、退回；空为待签）")
    opinion: str
    signed_at: dt.datetime | None


class DetailRow(Schema):
    label: str
    value: str


class RequestOut(Schema):
    id: int
    kind: str = Field(description="呈批事项代码")
    kind_label: str = Field(description="呈批事项")
    target_type: str
    target_id: int
    target_label: str
    org: str = Field(description="承办单位")
    summary: str = Field(description="呈批事由")
    details: list[DetailRow] = Field(description="拟办内容")
    reason: str
    status: str
    status_label: str
    drafted_by: str = Field(description="承办人")
    drafted_by_org: str = Field(
        "", description="承办人所在单位（可能不是承办单位，如线索大起底的复核人）"
    )
    source: str = Field("", description="来源（如线索大起底“…”、集体排查“…”；逐件呈批的为空）")
    submitted_at: dt.datetime
    decided_at: dt.datetime | None
    waiting_for: str = Field(description="待签步骤（审批中时）")
    steps: list[StepOut]


class RequestQuery(QuerySchema):
    status: str | None = Field(None, description="状态：pending、approved、returned、withdrawn")
    awaiting: bool = Field(False, description="只列出待我审批的")


class SignIn(Schema):
    approve: bool = Field(description="true 同意，false 退回")
    opinion: str = Field("", max_length=2000, description="意见（退回时必填）")


class ReasonIn(Schema):
    reason: str = Field("", max_length=2000)
