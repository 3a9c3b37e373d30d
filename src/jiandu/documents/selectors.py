"""Reads of the 文号 register, always through the user's jurisdiction: a document is
seen by the issuing organ's jurisdiction and the recipient unit's; outside, it does not
exist (404)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Max, Q, QuerySet

from jiandu.core.access import get_or_404, jurisdiction_org_ids
from jiandu.documents.choices import DocumentStatus
from jiandu.documents.models import Document, NumberingRule


def document_list(
    *,
    user: Any,
    organ_id: int | None = None,
    document_type: str = "",
    year: int | None = None,
    status: str = "",
) -> QuerySet[Document]:
    qs = Document.objects.restrict(user).select_related(
        "organ", "recipient_org", "issued_by", "voided_by"
    )
    if organ_id is not None:
        qs = qs.filter(organ_id=organ_id)
    if document_type:
        qs = qs.filter(document_type=document_type)
    if year is not None:
        qs = qs.filter(year=year)
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("-year", "organ__sort_order", "organ_id", "document_type", "-sequence")


def document_get(*, user: Any, pk: int) -> Document:
    return get_or_404(document_list(user=user), pk=pk)


@dataclass(frozen=True)
class SequenceSummary:
    """One organ/type/year sequence of the register: how many numbers were issued, how
    many of them are void, and the highest number."""

    organ_id: int
    organ_name: str
    document_type: str
    document_type_label: str
    year: int
    issued: int
    void: int
    last_sequence: int


def register_summary(documents: QuerySet[Document]) -> list[SequenceSummary]:
    from jiandu.documents.choices import DocumentType

    rows = (
        documents.order_by()
        .values("organ_id", "organ__name", "document_type", "year")
        .annotate(
            total=Count("pk"),
            void=Count("pk", filter=Q(status=DocumentStatus.VOID)),
            last=Max("sequence"),
        )
        .order_by("-year", "organ__name", "document_type")
    )
    return [
        SequenceSummary(
            organ_id=row["organ_id"],
            organ_name=row["organ__name"],
            document_type=row["document_type"],
            document_type_label=str(DocumentType(row["document_type"]).label),
            year=row["year"],
            issued=row["total"],
            void=row["void"],
            last_sequence=row["last"],
        )
        for row in rows
    ]


def numbering_rule_list(*, user: Any) -> QuerySet[NumberingRule]:
    """The rules in force of the organs in the user's jurisdiction."""
    return (
        NumberingRule.objects.filter(
            organ_id__in=jurisdiction_org_ids(user), archived_at__isnull=True
        )
        .select_related("organ")
        .order_by("organ__path", "document_type")
    )
