"""API shapes of the 文号 register."""

from __future__ import annotations

import datetime as dt
from typing import Any

from ninja import Field, Schema

from jiandu.core.schemas import Id, OrgRef, QuerySchema, choice_label
from jiandu.documents.choices import DocumentStatus, DocumentType


class DocumentQuery(QuerySchema):
    organ: Id | None = Field(None, description="发文机关编号")
    document_type: DocumentType | None = Field(None, description="公文种类")
    year: int | None = Field(None, ge=2000, le=2100, description="年份")
    status: DocumentStatus | None = Field(None, description="状态：issued 已印发，void 已作废")


class DocumentOut(Schema):
    id: int
    number: str
    organ: OrgRef
    document_type: str
    document_type_label: str
    year: int
    sequence: int
    title: str
    recipient_org: OrgRef | None
    issued_on: dt.date
    issued_by: str
    record_type: str
    record_id: str
    file_name: str
    size: int
    status: str
    status_label: str
    voided_at: dt.datetime | None
    voided_by: str | None
    void_reason: str
    download_url: str

    @staticmethod
    def resolve_document_type_label(obj: Any) -> str:
        return choice_label(DocumentType, obj.document_type)

    @staticmethod
    def resolve_status_label(obj: Any) -> str:
        return choice_label(DocumentStatus, obj.status)

    @staticmethod
    def resolve_issued_by(obj: Any) -> str:
        return obj.issued_by.get_full_name() or obj.issued_by.username

    @staticmethod
    def resolve_voided_by(obj: Any) -> str | None:
        if obj.voided_by is None:
            return None
        return obj.voided_by.get_full_name() or obj.voided_by.username

    @staticmethod
    def resolve_download_url(obj: Any) -> str:
        from django.urls import reverse

        return reverse("documents:download", args=[obj.pk])
