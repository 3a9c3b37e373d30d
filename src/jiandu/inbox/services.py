"""Writes of the inbox. The inbox knows no business app: the apps call it.

* **Event messages** (:func:`message_send`), written in the transaction of the business
  write that causes them, by the service that makes the move (the app's ``messages``
  module: a clue handed to a unit, a problem opened for a unit, a rectification report
  submitted → the supervising body's acceptance request, a board warning delivered).
* **Deadline reminders**, written by the daily job (:func:`reminders_run`): T−3 and T−1
  working days before a due date and once overdue, for every registered
  :class:`ReminderSource` (each app's ``reminders`` module: open rectifications, clue
  stages), set-based (one INSERT … SELECT per source and window) and idempotent (the
  reminder key is unique; a conflict is skipped).
* **Reading**: :func:`message_mark_read`, :func:`messages_mark_all_read`.
* **Delivery** to outside channels: :func:`messages_deliver` (after commit for event
  messages, and as a sweep after each reminder run).

Recipients are the users who act for the responsible unit with the permission the
work needs (the caller names it), never everybody who can see the record; the user who
made the move is not told about it.
"""

from __future__ import annotations

import datetime as dt
import logging
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.db.models import F, Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.module_loading import autodiscover_modules

from jiandu.core.audit import audit_record
from jiandu.core.choices import AuditAction
from jiandu.core.deadlines import work_calendar
from jiandu.core.workdays import PeriodKind, WorkCalendar, due_date
from jiandu.inbox.choices import DeliveryStatus, MessageKind
from jiandu.inbox.delivery import configured_adapters
from jiandu.inbox.models import DeliveryFailure, Message
from jiandu.inbox.selectors import acting_holders, recipients

log = logging.getLogger(__name__)

_SENTINEL = 987654321


def record_link(url_name: str, pk: int) -> str:
    return reverse(url_name, args=[pk])


def _link_parts(url_name: str) -> tuple[str, str]:
    """The text before and after the id in a record's URL (for links built in SQL)."""
    before, after = reverse(url_name, args=[_SENTINEL]).split(str(_SENTINEL))
    return before, after


def message_send(
    *,
    kind: str,
    record_type: str,
    record_id: int,
    title: str,
    body: str,
    link: str,
    perm: str,
    org_id: int,
    actor: Any,
) -> list[Message]:
    """One message to each user acting for ``org_id`` with ``perm`` except the actor,
    delivered to outside channels once the business write has committed."""
    actor_id = getattr(actor, "pk", None)
    users = recipients(perm=perm, org_ids=[org_id], exclude=[actor_id] if actor_id else [])
    now = timezone.now()
    messages = Message.objects.bulk_create(
        Message(
            recipient_id=user_id,
            kind=MessageKind(kind),
            title=title[:200],
            body=body,
            link=link,
            record_type=record_type,
            record_id=record_id,
            created_at=now,
        )
        for user_id in users
    )
    ids = [m.pk for m in messages if m.pk]
    if ids:
        transaction.on_commit(lambda: _deliver_quietly(ids))
    return messages


def message_send_many(items: list[dict[str, Any]], *, actor: Any) -> list[Message]:
    """:func:`message_send` for many records at once (each item holds its keyword
    arguments but ``actor``): the same messages, in the same order, with one reading of
    the permission's holders per permission and one insert."""
    actor_id = getattr(actor, "pk", None)
    holders: dict[str, list[tuple[int, int]]] = {}
    now = timezone.now()
    rows: list[Message] = []
    for item in items:
        pairs = holders.get(item["perm"])
        if pairs is None:
            pairs = holders[item["perm"]] = acting_holders(item["perm"])
        users = sorted({u for o, u in pairs if o == item["org_id"] and u != actor_id})
        rows.extend(
            Message(
                recipient_id=user_id,
                kind=MessageKind(item["kind"]),
                title=item["title"][:200],
                body=item["body"],
                link=item["link"],
                record_type=item["record_type"],
                record_id=item["record_id"],
                created_at=now,
            )
            for user_id in users
        )
    messages = Message.objects.bulk_create(rows, batch_size=1000)
    ids = [m.pk for m in messages if m.pk]
    if ids:
        transaction.on_commit(lambda: _deliver_quietly(ids))
    return messages


def _deliver_quietly(ids: list[int]) -> None:
    # After the commit: nothing may fail the request that caused the message. What is
    # not delivered now is taken by the next sweep.
    try:
        messages_deliver(ids=ids)
    except Exception:
        log.exception("站内消息发送失败（将由下次发送补发）")


# --- reading -----------------------------------------------------------------------


@transaction.atomic
def message_mark_read(*, actor: Any, message: Message) -> Message:
    """Mark one of the actor's own messages read (reading twice changes nothing)."""
    if message.recipient_id != actor.pk:
        raise PermissionError("只能标记本人的消息")
    if not message.unread:
        return message
    message.unread = False
    message.read_at = timezone.now()
    message.save(update_fields=["unread", "read_at"])
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        obj=message,
        summary=f"阅读站内消息：{message.title}"[:300],
    )
    return message


@transaction.atomic
def messages_mark_all_read(*, actor: Any) -> int:
    """Mark every unread message of the actor read; returns how many."""
    count = Message.objects.filter(recipient_id=actor.pk, unread=True).update(
        unread=False, read_at=timezone.now()
    )
    if count:
        audit_record(
            actor=actor,
            action=AuditAction.UPDATE,
            object_type="inbox.message",
            summary=f"全部标为已读（{count}条站内消息）",
            changes={"count": count},
        )
    return count


# --- the daily reminder job -----------------------------------------------------------


@dataclass(frozen=True)
class ReminderSource:
    """Open records with a due date that the reminder job watches.

    ``rows(start, end)`` gives, for due dates in [start, end) (either end open when
    None), one row per open record with the columns ``record_id``, ``unit_id`` (the
    responsible unit), ``due``, ``num`` and ``summary``."""

    record_type: str
    label: str  # 整改 / 线索办理, in the title
    perm: str
    url_name: str
    rows: Callable[[dt.date | None, dt.date | None], QuerySet]


def due_range(field: str, start: dt.date | None, end: dt.date | None) -> Q:
    q = Q(**{f"{field}__isnull": False})
    if start is not None:
        q &= Q(**{f"{field}__gte": start})
    if end is not None:
        q &= Q(**{f"{field}__lt": end})
    return q


_REMINDER_SOURCES: list[ReminderSource] = []
_DISCOVERED = False


def reminder_source_register(source: ReminderSource) -> ReminderSource:
    """Add a kind of record the daily job watches. Each app that has records with due
    dates registers its sources in its ``reminders`` module (the inbox knows no app)."""
    _REMINDER_SOURCES[:] = [s for s in _REMINDER_SOURCES if s.record_type != source.record_type]
    _REMINDER_SOURCES.append(source)
    return source


def reminder_sources() -> list[ReminderSource]:
    """Every registered source; the apps' ``reminders`` modules are imported on first use."""
    global _DISCOVERED
    if not _DISCOVERED:
        autodiscover_modules("reminders")
        _DISCOVERED = True
    return list(_REMINDER_SOURCES)


_TITLES = {
    MessageKind.DUE_IN_3: "{label}将于3个工作日内到期：",
    MessageKind.DUE_IN_1: "{label}将于1个工作日内到期：",
    MessageKind.OVERDUE: "{label}已超期：",
}


@dataclass(frozen=True)
class ReminderWindows:
    """The due dates each reminder kind covers on ``today``.

    T−1: due today or with one working day left, [today, 2nd working day after today);
    T−3: two or three working days left, [2nd, 4th working day after today); overdue:
    due in the ``JIANDU_INBOX_OVERDUE_LOOKBACK_DAYS`` (default 30) days before today.
    Two days of a window rather than one let a run missed on one day be made up the next
    (the reminder key keeps it to one message); the windows do not overlap, so a due date
    is in one kind a day. The overdue message tells that an item *became* overdue: the
    look-back lets missed runs be made up without re-reading, every day, every item
    overdue for months (those are on the lists' 超期 filter)."""

    today: dt.date
    due_in_1: tuple[dt.date, dt.date]
    due_in_3: tuple[dt.date, dt.date]
    overdue: tuple[dt.date, dt.date]

    @classmethod
    def on(
        cls, today: dt.date, calendar: WorkCalendar, *, lookback_days: int | None = None
    ) -> ReminderWindows:
        def nth(n: int) -> dt.date:
            return due_date(calendar, today, PeriodKind.WORKDAYS, n).due

        second, fourth = nth(2), nth(4)
        lookback = lookback_days
        if lookback is None:
            lookback = int(getattr(settings, "JIANDU_INBOX_OVERDUE_LOOKBACK_DAYS", 30))
        return cls(
            today=today,
            due_in_1=(today, second),
            due_in_3=(second, fourth),
            overdue=(today - dt.timedelta(days=lookback), today),
        )

    def ranges(self) -> list[tuple[str, dt.date | None, dt.date | None]]:
        return [
            (MessageKind.DUE_IN_3, *self.due_in_3),
            (MessageKind.DUE_IN_1, *self.due_in_1),
            (MessageKind.OVERDUE, *self.overdue),
        ]


def _recipients_cte(perm: str) -> str | None:
    """``WITH recipient (org_id, user_id) AS (VALUES …)``: the acting holders of
    ``perm`` as literal integers (ids from the database, a few thousand at most)."""
    pairs = acting_holders(perm)
    if not pairs:
        return None
    values = ", ".join(f"({int(org)}, {int(user)})" for org, user in pairs)
    return f"WITH recipient (org_id, user_id) AS (VALUES {values})"


def _insert_reminders(
    source: ReminderSource,
    *,
    kind: str,
    start: dt.date | None,
    end: dt.date | None,
    cte: str,
    now: dt.datetime,
) -> int:
    """INSERT … SELECT the reminders of one source and window; existing keys skipped."""
    rows_sql, rows_params = source.rows(start, end).query.sql_with_params()
    before, after = _link_parts(source.url_name)
    table = connection.ops.quote_name(Message._meta.db_table)
    # The WITH goes inside the INSERT: a statement starting with WITH is not counted as
    # a write by Python's sqlite3 (its rowcount would be -1).
    sql = f"""
        INSERT INTO {table} (recipient_id, kind, title, body, link, record_type, record_id,
                             due_on, created_at, unread, read_at, delivery_attempts,
                             delivered_at)
        {cte}
        SELECT recipient.user_id, %s, CAST(%s AS TEXT) || COALESCE(item.num, ''),
               COALESCE(item.summary, ''),
               CAST(%s AS TEXT) || CAST(item.record_id AS TEXT) || CAST(%s AS TEXT),
               %s, item.record_id, item.due, %s, %s, NULL, 0, NULL
        FROM ({rows_sql}) item JOIN recipient ON recipient.org_id = item.unit_id
        WHERE item.due IS NOT NULL
        ON CONFLICT DO NOTHING
    """
    title = _TITLES[MessageKind(kind)].format(label=source.label)
    params: list[Any] = [kind, title, before, after, source.record_type, now, True]
    with connection.cursor() as cursor:
        # The rows' own parameters sit inside the SELECT, after the column parameters.
        # A key already written is skipped by the unique index (ON CONFLICT), whatever
        # the planner knows of the messages table: an anti-join planned on stale
        # statistics (a fresh table) read the table once per row.
        cursor.execute(sql, [*params, *rows_params])
        return max(cursor.rowcount, 0)


def reminders_run(
    *,
    actor: Any,
    on_date: dt.date | None = None,
    deliver: bool = True,
    lookback_days: int | None = None,
) -> dict:
    """The daily job: write the T−3, T−1 and overdue reminders due on ``on_date``
    (default today), then deliver what is pending. Idempotent: a second run the same
    day writes nothing. ``lookback_days`` overrides the overdue look-back (a first run
    over old data). Returns the counts (per kind) and timings."""
    today = on_date or timezone.localdate()
    calendar = work_calendar()
    windows = ReminderWindows.on(today, calendar, lookback_days=lookback_days)
    now = timezone.now()
    started = time.perf_counter()
    written: dict[str, int] = {kind: 0 for kind in _TITLES}
    with transaction.atomic():
        for source in reminder_sources():
            cte = _recipients_cte(source.perm)
            if cte is None:
                continue
            for kind, start, end in windows.ranges():
                written[kind] += _insert_reminders(
                    source, kind=kind, start=start, end=end, cte=cte, now=now
                )
        total = sum(written.values())
        audit_record(
            actor=actor,
            action=AuditAction.CREATE,
            object_type="inbox.message",
            summary=f"期限提醒（{today.isoformat()}）：新增站内消息{total}条",
            changes={"date": today, **{str(k): v for k, v in written.items()}},
        )
    computed = time.perf_counter() - started
    delivery = messages_deliver() if deliver else {"delivered": 0, "failed": 0}
    return {
        "date": today.isoformat(),
        "windows": {
            MessageKind.DUE_IN_3.value: [d.isoformat() for d in windows.due_in_3],
            MessageKind.DUE_IN_1.value: [d.isoformat() for d in windows.due_in_1],
            MessageKind.OVERDUE.value: [d.isoformat() for d in windows.overdue],
        },
        "written": {str(k): v for k, v in written.items()},
        "total": total,
        "seconds": round(computed, 3),
        "delivery": delivery,
    }


# --- delivery to outside channels ----------------------------------------------------


def _max_attempts() -> int:
    return int(getattr(settings, "JIANDU_INBOX_DELIVERY_ATTEMPTS", 5))


def messages_deliver(*, ids: Iterable[int] | None = None, batch: int = 500) -> dict[str, int]:
    """Send messages through every configured adapter: the given ones, or every message
    not yet delivered (new ones, and those with a failed adapter and attempts left).

    An adapter that raises is recorded (``DeliveryFailure``: adapter, error, attempts)
    and retried alone on the next sweep; the others are not held up, and the message
    stays in the inbox whatever happens. Adapters are called outside any transaction."""
    adapters = configured_adapters()
    limit = _max_attempts()
    pending = Message.objects.filter(delivered_at__isnull=True, delivery_attempts__lt=limit)
    if ids is not None:
        pending = pending.filter(pk__in=list(ids))
    delivered = failed = 0
    last = 0
    while True:
        chunk = list(pending.filter(pk__gt=last).order_by("pk")[:batch])
        if not chunk:
            break
        last = chunk[-1].pk
        open_failures: dict[int, set[str]] = {}
        retried = [m.pk for m in chunk if m.delivery_attempts]
        if retried:
            for message_id, failed_path in DeliveryFailure.objects.filter(
                message_id__in=retried, status=DeliveryStatus.FAILED
            ).values_list("message_id", "adapter"):
                open_failures.setdefault(message_id, set()).add(failed_path)
        done: list[int] = []
        errors: list[tuple[Message, str, str]] = []
        recovered: list[tuple[int, str]] = []
        for message in chunk:
            # A retry goes only to the adapters that failed; the others already sent it.
            targets = (
                [(p, a) for p, a in adapters if p in open_failures.get(message.pk, set())]
                if message.delivery_attempts
                else adapters
            )
            ok = True
            for path, adapter in targets:
                try:
                    adapter.deliver(message)
                except Exception as exc:
                    ok = False
                    errors.append((message, path, f"{type(exc).__name__}: {exc}"[:2000]))
                else:
                    if message.delivery_attempts:
                        recovered.append((message.pk, path))
            if ok:
                done.append(message.pk)
        _record_attempts(chunk, done, errors, recovered)
        delivered += len(done)
        failed += len(chunk) - len(done)
        if ids is None and len(chunk) < batch:
            break
    return {"delivered": delivered, "failed": failed}


@transaction.atomic
def _record_attempts(
    chunk: list[Message],
    done: list[int],
    errors: list[tuple[Message, str, str]],
    recovered: list[tuple[int, str]],
) -> None:
    now = timezone.now()
    Message.objects.filter(pk__in=[m.pk for m in chunk]).update(
        delivery_attempts=F("delivery_attempts") + 1
    )
    if done:
        Message.objects.filter(pk__in=done).update(delivered_at=now)
    for message_id, path in recovered:
        DeliveryFailure.objects.filter(message_id=message_id, adapter=path).update(
            status=DeliveryStatus.SENT, last_attempt_at=now
        )
    for message, path, error in errors:
        updated = DeliveryFailure.objects.filter(message_id=message.pk, adapter=path).update(
            status=DeliveryStatus.FAILED,
            attempts=F("attempts") + 1,
            error=error,
            last_attempt_at=now,
        )
        if not updated:
            DeliveryFailure.objects.create(
                message_id=message.pk,
                adapter=path,
                error=error,
                first_failed_at=now,
                last_attempt_at=now,
            )
        log.warning("站内消息 #%s 经 %s 发送失败：%s", message.pk, path, error)
