"""API of the inbox (/api/v1/inbox/): the current user's messages only; another user's
message does not exist (404)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import HttpRequest
from ninja import Query, Router

from jiandu.core.pagination import decode_cursor, encode_cursor
from jiandu.core.schemas import ERRORS
from jiandu.inbox import selectors, services
from jiandu.inbox.schemas import MessageOut, MessagePageOut, MessageQuery, ReadAllOut

router = Router(tags=["站内消息"])


@router.get("/", response={200: MessagePageOut, **ERRORS}, summary="我的站内消息")
def list_messages(request: HttpRequest, query: Query[MessageQuery]):
    """Unread first, newest first, keyset-paged: ``after`` = the previous page's
    ``next_cursor`` (a position, so reading messages meanwhile skips or repeats none
    of the rest)."""
    qs = selectors.message_list(user=request.user, unread_only=query.unread)
    if query.after:
        values = decode_cursor(query.after)
        if (
            not values
            or len(values) != 2
            or not isinstance(values[0], bool)
            or not isinstance(values[1], int)
        ):
            raise ValidationError({"after": "分页游标无效"})
        unread, last_id = values
        qs = qs.filter(Q(unread__lt=unread) | Q(unread=unread, id__lt=last_id))
    rows = list(qs[: query.limit + 1])
    more = len(rows) > query.limit
    rows = rows[: query.limit]
    return {
        "items": [MessageOut.from_message(m) for m in rows],
        "next_cursor": encode_cursor([rows[-1].unread, rows[-1].pk]) if more else None,
        "unread_count": selectors.unread_count(user=request.user),
    }


@router.get("/{int:message_id}", response={200: MessageOut, **ERRORS}, summary="一条消息")
def get_message(request: HttpRequest, message_id: int):
    return MessageOut.from_message(selectors.message_get(user=request.user, pk=message_id))


@router.post("/{int:message_id}/read", response={200: MessageOut, **ERRORS}, summary="标为已读")
def read_message(request: HttpRequest, message_id: int):
    message = selectors.message_get(user=request.user, pk=message_id)
    return MessageOut.from_message(services.message_mark_read(actor=request.user, message=message))


@router.post("/read-all", response={200: ReadAllOut, **ERRORS}, summary="全部标为已读")
def read_all(request: HttpRequest):
    return {"marked": services.messages_mark_all_read(actor=request.user)}
