"""Constructed records for the statistics tests: exactly the fields a figure reads."""

from __future__ import annotations

import datetime as dt
import itertools
from decimal import Decimal
from typing import Any

from django.utils import timezone

from jiandu.clues.models import Clue, ExposureBatch, ExposureCase, Outcome, Petition

_n = itertools.count(1)


def moment(day: dt.date, hour: int = 10) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


def petition(org: Any, user: Any, received: dt.date, *, closed: dt.date | None = None,
             first: bool = True, repeat_of: Petition | None = None, real_name: bool = False) -> Petition:  # fmt: skip  # noqa: E501
    return Petition.objects.create(
        received_date=received,
        channel="letter",
        is_real_name=real_name,
        received_org=org,
        handling_org=org,
        title=f"反映问题{next(_n)}",
        content="内容",
        is_first_time=first,
        repeat_of=repeat_of,
        closed_at=moment(closed) if closed else None,
        created_by=user,
    )


def clue(org: Any, user: Any, received: dt.date, *, source: str = "petition",
         disposed: dt.date | None = None, method: str = "", closed: dt.date | None = None) -> Clue:  # fmt: skip  # noqa: E501
    return Clue.objects.create(
        source=source,
        title=f"线索{next(_n)}",
        received_date=received,
        registered_org=org,
        handling_org=org,
        disposed_at=disposed,
        disposal_method=method,
        closed_at=closed,
        created_by=user,
    )


def outcome(c: Clue, user: Any, day: dt.date, kind: str, form: int | None, *,
            funds: str = "0", archived: bool = False) -> Outcome:  # fmt: skip
    return Outcome.objects.create(
        clue=c,
        subject_name="张三",
        kind=kind,
        discipline_form=form,
        decision_date=day,
        decided_by=c.handling_org,
        recorded_by=user,
        funds_recovered=Decimal(funds),
        archived_at=timezone.now() if archived else None,
    )


def exposure(org: Any, user: Any, day: dt.date, cases: int = 1) -> ExposureBatch:
    batch = ExposureBatch.objects.create(
        title=f"通报{next(_n)}", published_on=day, org=org, created_by=user
    )
    for i in range(cases):
        ExposureCase.objects.create(batch=batch, title=f"案例{i}")
    return batch
