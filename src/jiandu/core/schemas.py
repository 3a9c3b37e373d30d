"""API schemas shared by every app: the error shape, references to orgs and people,
and the current user, background tasks and audit rows."""

from __future__ import annotations

import datetime as dt
from functools import cache
from typing import Any

from django.db import models
from ninja import Field, Schema
from pydantic import ValidationInfo, field_validator

from jiandu.core.choices import AuditAction, TaskStatus


@cache
def _labels(choices: type[models.Choices]) -> dict[Any, Any]:
    return dict(choices.choices)


def choice_label(choices: type[models.Choices], value: Any) -> str:
    """The (translated) label of a stored choice value; "" for an empty value. Lists
    show a label per row: this is a dict look-up, where ``get_FOO_display()``
    re-flattens the field's choices on every call."""
    if value in (None, ""):
        return ""
    return str(_labels(choices).get(value, value))


class ErrorOut(Schema):
    """Every error answer has this shape: a Chinese sentence, and per-field messages
    when the input was at fault (``{"received_date": ["受理日期不能晚于今天"]}``)."""

    detail: str
    errors: dict[str, list[str]] = {}


class QuerySchema(Schema):
    """Query parameters of a list. An empty value (``?status=``, as a filter form sends
    it) means "not given"."""

    @field_validator("*", mode="before")
    @classmethod
    def _blank_is_absent(cls, value: Any, info: ValidationInfo) -> Any:
        if value == "" and info.field_name:
            return cls.model_fields[info.field_name].get_default(call_default_factory=True)
        return value


class CursorPageQuery(QuerySchema):
    after: str | None = Field(None, description="上一页返回的 next_cursor；不填为第一页")
    limit: int = Field(50, ge=1, le=200, description="每页条数")


class OrgRef(Schema):
    id: int
    name: str


class PersonRef(Schema):
    """A person as other records mention them: the ID number only ever masked."""

    id: int
    name: str
    id_masked: str


class ActorRef(Schema):
    id: int
    username: str
    display_name: str


class MeOut(Schema):
    id: int
    username: str
    full_name: str
    display_name: str
    title: str
    org: OrgRef | None
    roles: list[str]
    permissions: list[str]


class TaskOut(Schema):
    id: int
    kind: str
    status: str
    status_label: str
    progress: float
    message: str
    result: dict[str, Any]
    error: str
    org: OrgRef | None
    created_at: dt.datetime
    started_at: dt.datetime | None
    finished_at: dt.datetime | None

    @staticmethod
    def resolve_status_label(obj: Any) -> str:
        return choice_label(TaskStatus, obj.status)


class AuditLogOut(Schema):
    sequence: int
    at: dt.datetime
    actor_id: int | None
    actor_name: str
    action: str
    action_label: str
    object_type: str
    object_id: str
    object_repr: str
    summary: str
    changes: dict[str, Any]
    ip_address: str
    previous_hash: str
    row_hash: str

    @staticmethod
    def resolve_action_label(obj: Any) -> str:
        return choice_label(AuditAction, obj.action)


class AuditPageOut(Schema):
    items: list[AuditLogOut]
    next_cursor: str | None


class AuditVerifyOut(Schema):
    ok: bool
    rows_checked: int
    first_broken_sequence: int | None
    reason: str
