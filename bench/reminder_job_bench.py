"""The daily reminder job at scale: set-based INSERT … SELECT vs a per-item Python loop.

Loads N problems (default 1,000,000; about 750,000 open rectifications with due dates
from 90 days ago to 120 days ahead) with ``bench/problem_list_bench.py``'s loader, then
measures in one run:

- ours: ``reminders_run`` (T−3, T−1 and overdue on the working-day calendar, one
  INSERT … SELECT per source and window, existing keys skipped) — the first day (every
  overdue item is new), the same day again (idempotent: nothing written) and the next
  working day (the steady state);
- naive: for each open item in Python, the working days left (``workdays_between``), the
  kind, and per recipient a ``get_or_create`` of the message — on a sample of
  ``--naive-items`` items (default 5,000), scaled to N.

Delivery to outside channels is left out of both (``deliver=False``): the inbox is
complete once the rows are written; the delivery sweep follows separately.

Usage::

    .venv/bin/python bench/reminder_job_bench.py [--rows 1000000] [--db postgres|sqlite]
                                                [--naive-items 5000]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from problem_list_bench import configure, load


def naive(today: dt.date, items: int) -> dict:
    """The per-item loop over the first ``items`` open rectifications (no writes kept:
    run in a transaction rolled back, so it does not disturb ours)."""
    from django.db import transaction

    from jiandu.core.deadlines import work_calendar
    from jiandu.core.workdays import workdays_between
    from jiandu.inbox.models import Message
    from jiandu.inbox.selectors import recipients
    from jiandu.oversight.models import Rectification

    calendar = work_calendar()
    open_items = Rectification.objects.filter(status__in=["pending", "in_progress"]).select_related(
        "problem"
    )
    total = open_items.count()
    written = 0
    started = time.perf_counter()
    with transaction.atomic():
        for rect in open_items.order_by("pk")[:items]:
            left = workdays_between(calendar, today, rect.due_on)
            if rect.due_on < today:
                kind = "overdue"
            elif left <= 1:
                kind = "due_in_1"
            elif left <= 3:
                kind = "due_in_3"
            else:
                continue
            for user_id in recipients(perm="oversight.rectify_problem",
                                      org_ids=[rect.problem.org_id]):  # fmt: skip
                _, created = Message.objects.get_or_create(
                    recipient_id=user_id,
                    record_type="oversight.problem",
                    record_id=rect.problem_id,
                    kind=kind,
                    due_on=rect.due_on,
                    defaults={"title": f"整改提醒：{rect.problem.number}"},
                )
                written += created
        transaction.set_rollback(True)
    seconds = time.perf_counter() - started
    return {
        "items": items,
        "written": written,
        "seconds": round(seconds, 2),
        "open_items": total,
        "scaled_seconds": round(seconds * total / max(items, 1), 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="postgres")
    parser.add_argument("--naive-items", type=int, default=5_000)
    args = parser.parse_args()
    configure(args.db)
    from django.db import connection

    from jiandu.core.deadlines import work_calendar
    from jiandu.core.workdays import PeriodKind, due_date
    from jiandu.inbox.models import Message
    from jiandu.inbox.services import reminders_run

    today = dt.date.today()
    loaded = load(args.rows, today=today)
    Message.objects.all().delete()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    from django.urls import reverse

    # The web and worker processes have the URL map loaded; a cold ``jiandu inbox remind``
    # pays its import once (seconds on a busy machine), not counted here.
    reverse("oversight:problem_list")
    ours: dict = {}
    naive_result = naive(today, args.naive_items)  # first, on the same empty inbox
    for label, day in (
        ("first_day", today),
        ("same_day_again", today),
        ("next_working_day", due_date(work_calendar(), today, PeriodKind.WORKDAYS, 1).due),
    ):
        t = time.perf_counter()
        result = reminders_run(actor=None, on_date=day, deliver=False)
        ours[label] = {
            "seconds": round(time.perf_counter() - t, 2),
            "written": result["written"],
            "total": result["total"],
        }
    summary = {
        "db": args.db,
        "rows": args.rows,
        "load": loaded,
        "ours": ours,
        "naive_per_item_loop": naive_result,
        "speedup_first_day": round(
            naive_result["scaled_seconds"] / max(ours["first_day"]["seconds"], 1e-9), 1
        ),
    }
    print(json.dumps(summary, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
