"""API schemas shared by every app: the error shape, references to orgs and people,
and the current user, background tasks and audit rows."""

from __future__ import annotations

import datetime as dt
import re
from functools import cache
from typing import Annotated, Any

from django.db import models
from ninja import Field, Schema
from pydantic import AfterValidator, BeforeValidator, ValidationInfo, field_validator
from pydantic.json_schema import WithJsonSchema
from pydantic_core import PydanticCustomError

from jiandu.core.choices import AuditAction, TaskStatus
from jiandu.core.ids import ID_RANGE_MESSAGE, MAX_ID
from jiandu.core.text import clean_line


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


_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _check_id(value: int) -> int:
    if not 1 <= value <= MAX_ID:
        raise PydanticCustomError("id_range", ID_RANGE_MESSAGE)
    return value


def _iso_date(value: Any) -> Any:
    # Pydantic would also read a number as a Unix timestamp (``received_to=0`` →
    # 1970-01-01): a date in this API is written YYYY-MM-DD, nothing else.
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value
    if isinstance(value, str) and _ISO_DATE.match(value):
        return value
    raise PydanticCustomError("date_parsing", "日期格式应为 YYYY-MM-DD")


Id = Annotated[
    int,
    AfterValidator(_check_id),
    WithJsonSchema({"type": "integer", "minimum": 1, "maximum": MAX_ID}),
]
"""A record's id in a request (query, body): refused with 422 outside the key range."""


def _line(value: Any) -> Any:
    return clean_line(value) if isinstance(value, str) else value


Line = Annotated[str, BeforeValidator(_line)]
"""A name or title in a request: invisible characters stripped (``core.text``)."""

Date = Annotated[
    dt.date,
    BeforeValidator(_iso_date),
    WithJsonSchema({"type": "string", "format": "date"}),
]
"""A date in a request: only ``YYYY-MM-DD``."""


class ErrorOut(Schema):
    """Every error answer has this shape: a Chinese sentence, and per-field messages
    when the input was at fault (``{"received_date": ["受理日期不能晚于今天"]}``)."""

    detail: str
    errors: dict[str, list[str]] = {}


# The errors every endpoint may answer, as documented in the OpenAPI schema: 400 a body
# that is no JSON, 401 not signed in, 403 no permission, 404 absent or outside the
# jurisdiction (and an unknown path), 422 bad input, 500 an unforeseen failure.
ERRORS: dict[int, type[Schema]] = {
    400: ErrorOut,
    401: ErrorOut,
    403: ErrorOut,
    404: ErrorOut,
    422: ErrorOut,
    500: ErrorOut,
}
# … and of an endpoint that moves a record through its lifecycle (409 an illegal move),
# or that looks people up (429 too many look-ups, see ``core.ratelimit``).
ERRORS_WITH_CONFLICT = {**ERRORS, 409: ErrorOut}
ERRORS_WITH_RATE_LIMIT = {**ERRORS, 429: ErrorOut}


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
