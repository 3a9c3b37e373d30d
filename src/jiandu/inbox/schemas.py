"""API schemas of the inbox."""

from __future__ import annotations

import datetime as dt
from typing import Any

from ninja import Field, Schema

from jiandu.core.schemas import CursorPageQuery, choice_label
from jiandu.inbox.choices import MessageKind


class MessageQuery(CursorPageQuery):
    unread: bool = Field(False, description="只列未读")


class MessageOut(Schema):
    id: int
    kind: str = Field(
        ...,
        description="assignment 新交办，due_in_3 3个工作日内到期，due_in_1 1个工作日内到期，"
        "overdue 已超期，acceptance 待验收，warning 预警送达",
    )
    kind_label: str
    title: str
    body: str
    link: str = Field(..., description="记录页面的地址")
    record_type: str
    record_id: int
    due_on: dt.date | None
    created_at: dt.datetime
    unread: bool
    read_at: dt.datetime | None

    @staticmethod
    def from_message(message: Any) -> dict[str, Any]:
        return {
            "id": message.pk,
            "kind": message.kind,
            "kind_label": choice_label(MessageKind, message.kind),
            "title": message.title,
            "body": message.body,
            "link": message.link,
            "record_type": message.record_type,
            "record_id": message.record_id,
            "due_on": message.due_on,
            "created_at": message.created_at,
            "unread": message.unread,
            "read_at": message.read_at,
        }


class MessagePageOut(Schema):
    items: list[MessageOut]
    next_cursor: str | None
    unread_count: int = Field(..., description="未读条数（超过99时为100）")


class ReadAllOut(Schema):
    marked: int
