"""Keyset pagination: a page is "the next N rows after this key", so page 5,000 costs the
same as page 1 (no OFFSET scan, no COUNT(*) over the whole table)."""

from __future__ import annotations

import base64
import datetime as dt
import json
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q, QuerySet
from django.http import QueryDict


def encode_cursor(values: list[Any]) -> str:
    raw = json.dumps(
        [v.isoformat() if isinstance(v, dt.date) else v for v in values], ensure_ascii=False
    )
    return base64.urlsafe_b64encode(raw.encode("utf-8")).decode("ascii").rstrip("=")


def decode_cursor(cursor: str) -> list[Any] | None:
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        values = json.loads(base64.urlsafe_b64decode(padded.encode("ascii")))
    except (ValueError, TypeError):
        return None
    return values if isinstance(values, list) else None


@dataclass
class KeysetPage:
    items: list[Any]
    next_cursor: str | None
    prev_cursor: str | None = None
    base_query: str = ""
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def has_next(self) -> bool:
        return self.next_cursor is not None

    @property
    def next_url(self) -> str:
        return f"?{self.base_query}{'&' if self.base_query else ''}after={self.next_cursor}"

    @property
    def has_prev(self) -> bool:
        return self.prev_cursor is not None

    @property
    def prev_url(self) -> str:
        return f"?{self.base_query}" if self.base_query else "?"


def keyset_paginate(
    queryset: QuerySet,
    *,
    after: str | None,
    size: int,
    date_field: str = "received_date",
    query: QueryDict | None = None,
) -> KeysetPage:
    """Rows ordered by (``date_field`` desc, id desc), strictly after the cursor."""
    qs = queryset.order_by(f"-{date_field}", "-id")
    if after:
        values = decode_cursor(after)
        if values and len(values) == 2:
            try:
                date_value = dt.date.fromisoformat(str(values[0]))
                id_value = int(values[1])
            except (TypeError, ValueError):
                pass
            else:
                # The plain upper bound lets every database use the (date, id) index as
                # a range; the OR then only trims the first day.
                qs = qs.filter(**{f"{date_field}__lte": date_value}).filter(
                    Q(**{f"{date_field}__lt": date_value})
                    | Q(**{date_field: date_value, "id__lt": id_value})
                )
    rows = list(qs[: size + 1])
    has_more = len(rows) > size
    rows = rows[:size]
    next_cursor = None
    if has_more and rows:
        last = rows[-1]
        if isinstance(last, dict):  # a ``.values()`` queryset
            next_cursor = encode_cursor([last[date_field], last["id"]])
        else:
            next_cursor = encode_cursor([getattr(last, date_field), last.pk])
    base_query = ""
    if query is not None:
        params = query.copy()
        params.pop("after", None)
        base_query = params.urlencode()
    return KeysetPage(
        items=rows, next_cursor=next_cursor, prev_cursor=after or None, base_query=base_query
    )
