"""Bulk writing for the demo builder: rows with ids given up front (the demo writes
into empty tables), one insert per few hundred rows, the sequences moved past them
afterwards, and one audit row per record appended in one go.

The demo's records are drawn up in full before anything is written (:mod:`.plan`), so
they are consistent by construction; writing them one service call at a time (with a
lock, a validation round trip and an audit append each) took minutes for ~20,000 rows.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Iterable
from typing import Any

from django.core.management.color import no_style
from django.db import connection, models
from django.db.models import Max
from django.utils import timezone

from jiandu.core.db import insert_rows, insert_values

BATCH_SIZE = 1000


class Ids:
    """Hands out primary keys per model, starting after the largest one present."""

    def __init__(self) -> None:
        self._next: dict[type[models.Model], int] = {}
        self.models: list[type[models.Model]] = []

    def next(self, model: type[models.Model]) -> int:
        if model not in self._next:
            self._next[model] = (model._default_manager.aggregate(m=Max("pk"))["m"] or 0) + 1
            self.models.append(model)
        value = self._next[model]
        self._next[model] = value + 1
        return value


def insert(model: type[models.Model], rows: Iterable[models.Model]) -> None:
    insert_rows(model, rows, batch_size=BATCH_SIZE)


def link(field: Any, pairs: Iterable[tuple[int, int]]) -> None:
    """Rows of a many-to-many table from (owner id, target id) pairs."""
    through = field.remote_field.through
    columns = [
        through._meta.get_field(field.m2m_field_name()).column,
        through._meta.get_field(field.m2m_reverse_field_name()).column,
    ]
    insert_values(through._meta.db_table, columns, dict.fromkeys(pairs), batch_size=BATCH_SIZE)


def reset_sequences(models_: list[type[models.Model]]) -> None:
    """Move the id sequences past the ids given (PostgreSQL; SQLite follows by itself)."""
    statements = connection.ops.sequence_reset_sql(no_style(), models_)
    if statements:
        with connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)


def moment(day: dt.date, minute: int = 0) -> dt.datetime:
    """A time on a working day (from 09:00, local time) for a business event of ``day``:
    the n-th event of a record on a day comes n minutes after the one before."""
    return _opening(day) + dt.timedelta(minutes=minute % 480)


@functools.lru_cache(maxsize=4096)
def _opening(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime(day.year, day.month, day.day, 9, 0))
