"""API of the 文号 register (read): the documents in the user's jurisdiction, filtered by
organ, type, year and status, and one document; the file itself is downloaded from the
page's download address (audited)."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Query, Router

from jiandu.core.access import require_perm
from jiandu.core.schemas import ERRORS
from jiandu.documents.schemas import DocumentOut, DocumentQuery
from jiandu.documents.selectors import document_get, document_list

router = Router(tags=["公文与文号"])

LIST_LIMIT = 500


@router.get("/", response={200: list[DocumentOut], **ERRORS}, summary="文号登记列表")
def list_documents(request: HttpRequest, query: Query[DocumentQuery]):
    """Numbers issued and voided, newest year first, at most 500 rows."""
    require_perm(request, "documents.view_document")
    qs = document_list(
        user=request.user,
        organ_id=query.organ,
        document_type=query.document_type or "",
        year=query.year,
        status=query.status or "",
    )
    return list(qs[:LIST_LIMIT])


@router.get("/{int:document_id}", response={200: DocumentOut, **ERRORS}, summary="公文详情")
def get_document(request: HttpRequest, document_id: int):
    require_perm(request, "documents.view_document")
    return document_get(user=request.user, pk=document_id)
