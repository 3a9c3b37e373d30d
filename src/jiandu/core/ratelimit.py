"""Per-user rate limits on look-ups, counted in the database.

A limit is "at most N requests per window of S seconds"; the (N+1)-th request within
the window is refused with :class:`RateLimited` — 429 with a Chinese message, on the API
and on the pages. The count lives in the database (``core.RateCount``), the one thing
every server process of every deployment shares, so N gunicorn workers still give one
limit (a per-process cache would give N×). Each request costs one statement: an upsert
that starts the row, adds one within the window, or restarts it at 1 when a new window
has begun — atomic on SQLite and PostgreSQL alike. There is one row per user and kind,
so nothing needs expiring."""

from __future__ import annotations

import time
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.db import connection
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from jiandu.core.models import RateCount


class RateLimited(Exception):
    """Too many requests of one kind from one user; the message says how many are
    allowed and when to try again."""

    def __init__(self, message: str, *, retry_after: int):
        super().__init__(message)
        self.retry_after = retry_after


def _count_sql() -> str:
    q = connection.ops.quote_name
    table = q(RateCount._meta.db_table)
    scope, user_id, start, count = (q(c) for c in ("scope", "user_id", "window_start", "count"))
    # Every right-hand side reads the row as it was, so the CASE sees the old window.
    return (
        f"INSERT INTO {table} ({scope}, {user_id}, {start}, {count}) VALUES (%s, %s, %s, 1) "
        f"ON CONFLICT ({scope}, {user_id}) DO UPDATE SET "
        f"{count} = CASE WHEN {table}.{start} = excluded.{start} "
        f"THEN {table}.{count} + 1 ELSE 1 END, "
        f"{start} = excluded.{start} "
        f"RETURNING {count}"
    )


def count_request(*, scope: str, user_id: int, window_start: int) -> int:
    """Add one request to ``user_id``'s count of ``scope`` in the window starting at
    ``window_start``; the count so far in that window, this request included."""
    with connection.cursor() as cursor:
        cursor.execute(_count_sql(), [scope, user_id, window_start])
        row = cursor.fetchone()
    return int(row[0])


def check_rate(*, user: Any, scope: str, limit: int, window: int, label: str) -> None:
    """Count one request of ``scope`` by ``user``; raise RateLimited past ``limit`` in
    the current ``window`` (seconds). ``label`` names the kind of request for people."""
    if limit <= 0 or window <= 0:
        return  # limits switched off
    now = int(time.time())
    window_start = now - now % window
    count = count_request(
        scope=scope, user_id=getattr(user, "pk", None) or 0, window_start=window_start
    )
    if count > limit:
        retry_after = max(1, window_start + window - now)
        raise RateLimited(
            f"{label}过于频繁：每{window}秒最多{limit}次，请{retry_after}秒后再试",
            retry_after=retry_after,
        )


def answers_429(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """A page view whose RateLimited becomes the 429 page (the API has its own handler)."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except RateLimited as exc:
            response = render(request, "429.html", {"message": str(exc)}, status=429)
            response["Retry-After"] = str(exc.retry_after)
            return response

    return wrapper
