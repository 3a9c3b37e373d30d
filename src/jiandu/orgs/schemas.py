"""API schemas of the organisation tree."""

from __future__ import annotations

import datetime as dt
from typing import Any

from ninja import Field, Schema

from jiandu.core.schemas import Id, Line, QuerySchema, choice_label
from jiandu.orgs.choices import OrgKind
from jiandu.orgs.selectors import org_list


class OrgOut(Schema):
    id: int
    name: str
    short_name: str
    kind: str
    kind_label: str
    parent_id: int | None
    path: str
    depth: int
    region_code: str
    sort_order: int
    acts_for_commission: bool = Field(
        description="内设机构代表所属纪委监委履职：其人员的管辖范围是上级纪委监委的管辖范围"
    )
    labels: list[str]
    supervises: list[int] = Field(description="本单位监督的单位编号")
    archived_at: dt.datetime | None
    archive_reason: str

    @staticmethod
    def resolve_kind_label(obj: Any) -> str:
        return choice_label(OrgKind, obj.kind)

    @staticmethod
    def resolve_labels(obj: Any) -> list[str]:
        return [label.name for label in obj.labels.all()]

    @staticmethod
    def resolve_supervises(obj: Any) -> list[int]:
        return [org.pk for org in obj.supervises.all()]


class OrgDetailOut(OrgOut):
    children: list[int] = Field(description="可见的下级单位编号")
    supervised_by: list[int] = Field(description="可见的监督本单位的单位编号")

    @staticmethod
    def resolve_children(obj: Any, context: dict[str, Any]) -> list[int]:
        visible = org_list(user=context["request"].user, include_archived=True)
        return list(visible.filter(parent=obj).values_list("pk", flat=True))

    @staticmethod
    def resolve_supervised_by(obj: Any, context: dict[str, Any]) -> list[int]:
        visible = org_list(user=context["request"].user, include_archived=True)
        return list(visible.filter(supervises=obj).values_list("pk", flat=True))


class OrgTreeNodeOut(Schema):
    id: int
    name: str
    short_name: str
    kind: str
    kind_label: str
    region_code: str
    labels: list[str]
    children: list[OrgTreeNodeOut]


OrgTreeNodeOut.model_rebuild()


class OrgQuery(QuerySchema):
    kind: OrgKind | None = None
    label: str = Field("", description="标签名称")
    parent: Id | None = Field(None, description="上级单位编号（只列直属下级）")
    include_archived: bool = Field(False, description="是否包含已归档单位")


class OrgCreateIn(Schema):
    name: Line = Field(max_length=100)
    kind: OrgKind
    parent: Id = Field(description="上级单位编号（须在管辖范围内）")
    short_name: Line = Field("", max_length=50)
    region_code: str = ""
    labels: list[str] = Field([], description="标签名称（须已存在）")
    sort_order: int = Field(0, ge=-(2**31), le=2**31 - 1, description="排序（小的在前）")
    acts_for_commission: bool | None = Field(
        None, description="代表所属纪委监委履职；不填时纪委监委下的信访室等内设机构默认是"
    )


class OrgUpdateIn(Schema):
    """Only the fields sent are changed."""

    name: Line | None = Field(None, max_length=100)
    kind: OrgKind | None = None
    parent: Id | None = Field(None, description="新的上级单位编号")
    short_name: Line | None = Field(None, max_length=50)
    region_code: str | None = None
    labels: list[str] | None = None
    sort_order: int | None = Field(None, ge=-(2**31), le=2**31 - 1)
    acts_for_commission: bool | None = None


class OrgArchiveIn(Schema):
    reason: str


class OrgSupervisesIn(Schema):
    supervises: list[Id] = Field(description="本单位监督的全部单位编号（整体替换）")
