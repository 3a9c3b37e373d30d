"""API schemas of the cadre registry. No output schema carries the full ID number: it is
returned only by the audited ``GET /people/{id}/id-number``."""

from __future__ import annotations

import datetime as dt
from typing import Any

from ninja import Field, Schema

from jiandu.core.schemas import CursorPageQuery, Date, Id, Line, OrgRef, choice_label
from jiandu.people.choices import Gender, ManagementLevel, PoliticalStatus
from jiandu.people.selectors import shown_birth_date


class PostOut(Schema):
    id: int
    org: OrgRef
    title: str
    management_level: str
    management_level_label: str
    is_leader: bool
    start_date: dt.date
    end_date: dt.date | None

    @staticmethod
    def resolve_management_level_label(obj: Any) -> str:
        return choice_label(ManagementLevel, obj.management_level)


class PersonOut(Schema):
    id: int
    name: str
    id_masked: str = Field(description="脱敏后的身份证号码（只保留前2位和末位）")
    gender: str
    birth_date: dt.date | None = Field(
        description="出生日期；由身份证号码得出时，只对有查看身份证号码权限的用户给出"
    )
    political_status: str
    political_status_label: str
    registered_org: OrgRef
    archived_at: dt.datetime | None

    @staticmethod
    def resolve_political_status_label(obj: Any) -> str:
        return choice_label(PoliticalStatus, obj.political_status)

    @staticmethod
    def resolve_birth_date(obj: Any, context: Any) -> dt.date | None:
        request = (context or {}).get("request")
        if request is None or isinstance(obj, dict):
            return obj["birth_date"] if isinstance(obj, dict) else None
        return shown_birth_date(obj, request.user)


class PersonDetailOut(PersonOut):
    note: str
    posts: list[PostOut]
    created_at: dt.datetime
    updated_at: dt.datetime


class PersonPageOut(Schema):
    items: list[PersonOut]
    next_cursor: str | None


class PersonIdNumberOut(Schema):
    id: int
    name: str
    id_number: str


class PersonQuery(CursorPageQuery):
    q: str = Field(
        "",
        description="姓名（模糊）或完整身份证号码（精确；只对有查看身份证号码权限的用户查询，每次留痕）",
    )
    org: Id | None = Field(None, description="现任职单位编号")
    level: ManagementLevel | None = Field(None, description="现任职的干部管理层级")
    include_archived: bool = False


class PersonCreateIn(Schema):
    name: Line = Field(max_length=50)
    registered_org: Id = Field(description="登记单位编号（须在管辖范围内）")
    id_number: str = Field("", description="身份证号码（校验GB 11643；性别、出生日期据此得出）")
    political_status: PoliticalStatus = PoliticalStatus.PARTY_MEMBER
    gender: Gender | None = None
    birth_date: Date | None = None
    note: str = ""


class PersonUpdateIn(Schema):
    """Only the fields sent are changed."""

    name: Line | None = Field(None, max_length=50)
    registered_org: Id | None = None
    id_number: str | None = None
    political_status: PoliticalStatus | None = None
    gender: Gender | None = None
    birth_date: Date | None = None
    note: str | None = None


class PostAddIn(Schema):
    org: Id = Field(description="任职单位编号（须在管辖范围内）")
    title: Line = Field(max_length=100)
    management_level: ManagementLevel
    start_date: Date
    end_date: Date | None = None
    is_leader: bool = False


class PostEndIn(Schema):
    end_date: Date
