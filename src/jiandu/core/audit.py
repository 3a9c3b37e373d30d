"""The audit trail: append a row, seal it into the hash chain, verify the chain.

Service functions call :func:`audit_record` inside their own transaction, so a write and
its audit row are committed together or not at all. The row is written *unsealed* (no
sequence, no hashes) and takes no lock; :func:`audit_seal` links committed rows into the
chain, in the order they became visible, in a short transaction of its own: on commit of
the writing transaction, from the task worker's loop and from ``jiandu audit seal``
(ADR 0010). Hashes are HMAC-SHA256 under a key held outside the database
(``JIANDU_AUDIT_KEY``), so rewriting the chain needs more than database access;
``jiandu audit checkpoint`` writes signed (sequence, hash, time) records to an
append-only place outside the database that :func:`audit_verify` checks against.
"""

from __future__ import annotations

import datetime as dt
import decimal
import hashlib
import hmac
import json
import logging
import os
import time
import uuid
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import DatabaseError, connection, models, transaction
from django.utils import timezone

from jiandu.core.choices import AuditAction
from jiandu.core.db import (
    AheadWrite,
    StagedTable,
    discard_abandoned_ahead,
    insert_rows,
    large_write_cache,
    reserve_ids,
)
from jiandu.core.middleware import current_ip
from jiandu.core.models import AuditChainHead, AuditJob, AuditJobRow, AuditLog

log = logging.getLogger(__name__)

GENESIS_HASH = "0" * 64
SEAL_BATCH = 500
CHECKPOINT_FILE = "checkpoints.jsonl"


class AuditKeyError(RuntimeError):
    """The audit key a row or checkpoint names is not configured."""


def _json_default(value: Any) -> Any:
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, set | frozenset | tuple):
        return sorted(value, key=str)
    return str(value)


def canonical_json(value: Any) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False, default=_json_default)


def current_key_id() -> str:
    keys: dict[str, str] = settings.AUDIT_KEYS
    if not keys:
        raise AuditKeyError("没有配置审计密钥（JIANDU_AUDIT_KEY 或 JIANDU_AUDIT_KEY_FILE）")
    return list(keys)[-1]


def _key(key_id: str) -> bytes:
    secret = settings.AUDIT_KEYS.get(key_id)
    if secret is None:
        raise AuditKeyError(f"审计密钥“{key_id}”未配置")
    return str(secret).encode("utf-8")


def _mac(key_id: str, message: str) -> str:
    return hmac.new(_key(key_id), message.encode("utf-8"), hashlib.sha256).hexdigest()


def _row_digest(row: AuditLog) -> str:
    content = {
        "sequence": row.sequence,
        "at": row.at.astimezone(dt.UTC).isoformat(timespec="microseconds"),
        "actor_id": row.actor_id,
        "actor_name": row.actor_name,
        "action": row.action,
        "object_type": row.object_type,
        "object_id": row.object_id,
        "object_repr": row.object_repr,
        "summary": row.summary,
        "changes": row.changes,
        "ip_address": row.ip_address,
        "previous_hash": row.previous_hash,
    }
    if not row.key_id:
        # Rows sealed before the chain was keyed: plain SHA-256 (accepted only as the
        # chain's prefix, see audit_verify).
        return hashlib.sha256(canonical_json(content).encode("utf-8")).hexdigest()
    content["key_id"] = row.key_id
    return _mac(row.key_id, canonical_json(content))


def _head_mac(key_id: str, sequence: int, last_hash: str) -> str:
    return _mac(key_id, f"jiandu-audit-head|{sequence}|{last_hash}")


def _checkpoint_mac(key_id: str, sequence: int, last_hash: str, at: str) -> str:
    return _mac(key_id, f"jiandu-audit-checkpoint|{sequence}|{last_hash}|{at}")


def _new_row(
    *,
    at: dt.datetime,
    actor: Any,
    action: str,
    obj: models.Model | None,
    object_type: str,
    object_id: str,
    summary: str,
    changes: dict[str, Any] | None,
    ip_address: str | None,
    object_repr: str = "",
) -> AuditLog:
    """An unsealed audit row (no sequence, no hashes: :func:`audit_seal` adds them)."""
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or str(obj.pk)
    actor_obj = actor if getattr(actor, "pk", None) else None
    return AuditLog(
        at=at,
        actor=actor_obj,
        actor_name=getattr(actor_obj, "username", "") if actor_obj else "",
        action=action,
        object_type=object_type,
        object_id=object_id,
        object_repr=(object_repr or (str(obj) if obj is not None else ""))[:200],
        summary=summary[:300],
        changes=json.loads(canonical_json(changes or {})),
        ip_address=ip_address if ip_address is not None else (current_ip() or ""),
    )


def audit_record(
    *,
    actor: Any,
    action: str,
    obj: models.Model | None = None,
    object_type: str = "",
    object_id: str = "",
    summary: str = "",
    changes: dict[str, Any] | None = None,
    ip_address: str | None = None,
) -> AuditLog:
    """Append one audit row (unsealed; sealed into the chain once its transaction has
    committed). ``actor`` may be None (a failed login by an unknown name is recorded with
    ``changes['username']``)."""
    row = _new_row(
        at=timezone.now(),
        actor=actor,
        action=action,
        obj=obj,
        object_type=object_type,
        object_id=object_id,
        summary=summary,
        changes=changes,
        ip_address=ip_address,
    )
    row.save()
    _seal_after_write()
    return row


def audit_rows(entries: list[dict[str, Any]]) -> list[AuditLog]:
    """One unsaved, unsealed audit row per entry (the keyword arguments of
    :func:`audit_record`, and ``object_repr`` when the caller has it at hand), in the
    order given."""
    now = timezone.now()
    return [
        _new_row(
            at=now,
            actor=entry.get("actor"),
            action=entry["action"],
            obj=entry.get("obj"),
            object_type=entry.get("object_type", ""),
            object_id=entry.get("object_id", ""),
            summary=entry.get("summary", ""),
            changes=entry.get("changes"),
            ip_address=entry.get("ip_address"),
            object_repr=entry.get("object_repr", ""),
        )
        for entry in entries
    ]


def audit_record_many(entries: list[dict[str, Any]], *, batch_size: int = 2000) -> int:
    """Append one unsealed audit row per entry (see :func:`audit_rows`), in the order
    given, with one insert per ``batch_size`` rows: for writers of thousands of records
    in one transaction (the demo builder). They are sealed, in that order, once the
    transaction commits. Returns the row count."""
    if not entries:
        return 0
    rows = audit_rows(entries)
    insert_rows(AuditLog, rows, batch_size=batch_size)
    _seal_after_write(backlog=True, rows=len(rows))
    return len(rows)


JOB_ROW_FIELDS = (
    "actor_id",
    "actor_name",
    "action",
    "object_type",
    "object_id",
    "object_repr",
    "summary",
    "changes",
    "ip_address",
)

# A job whose rows were never published (its process was killed before publishing) is
# discarded by the sealer after this long: no job runs that long before publishing.
ABANDONED_JOB_AGE = dt.timedelta(hours=12)


class AuditStage:
    """The audit rows of a long job, written ahead of its publication into
    :class:`AuditJobRow` under one :class:`AuditJob`, where no reader of the log looks.
    :meth:`add` them outside any transaction (each batch commits on its own and holds
    the write lock only for that batch); :meth:`publish` inside the short transaction
    that publishes the job's business rows: one UPDATE of the job row, whatever the
    number of audit rows. After the commit the sealer moves them into the log and the
    chain in batches, in the job's place in the commit order (ADR 0010). :meth:`discard`
    (in a ``finally``) deletes the rows of a job that was not published; a job killed
    before publishing leaves rows nobody reads, discarded by a later seal."""

    def __init__(self) -> None:
        self.job: AuditJob | None = None
        self.rows = 0

    def add(self, entries: list[dict[str, Any]]) -> int:
        """Write the entries' rows, in batches of :data:`SEAL_BATCH`; on SQLite (one
        writer) with :data:`SQLITE_SEAL_PAUSE` between batches, as the sealer pauses,
        so that other users' writes waiting for the lock get it in between."""
        if not entries:
            return 0
        if self.job is None:
            self.job = AuditJob.objects.create()
        pending = [
            AuditJobRow(job=self.job, **{name: getattr(row, name) for name in JOB_ROW_FIELDS})
            for row in audit_rows(entries)
        ]
        pause = _writer_pause()
        for start in range(0, len(pending), SEAL_BATCH):
            if start and pause:
                time.sleep(pause)
            insert_rows(AuditJobRow, pending[start : start + SEAL_BATCH], batch_size=SEAL_BATCH)
        self.rows += len(pending)
        return len(pending)

    def publish(self) -> int:
        """Make the staged rows part of the log, in the caller's transaction: one UPDATE
        of the job row. They are timed now and queued now, sealed after the commit."""
        if self.job is None:
            return 0
        (order_key,) = reserve_ids(AuditLog, 1)
        AuditJob.objects.filter(pk=self.job.pk).update(
            published_at=timezone.now(), order_key=order_key
        )
        _seal_after_write(backlog=True, rows=self.rows)
        return self.rows

    def discard(self) -> None:
        """Delete the rows of this job unless it was published (committed, or published
        in a transaction still open on this connection)."""
        job, self.job = self.job, None
        if job is None:
            return
        if connections_unusable():
            return  # closed or inside a failed transaction: a later seal discards them
        try:
            if AuditJob.objects.filter(pk=job.pk, published_at__isnull=True).exists():
                _discard_jobs([job.pk])
        except DatabaseError:
            log.warning("unpublished audit job %s left to the sealer", job.pk, exc_info=True)


def connections_unusable() -> bool:
    return connection.connection is None or connection.needs_rollback


def _discard_jobs(ids: list[int]) -> None:
    with transaction.atomic():
        AuditJobRow.objects.filter(job_id__in=ids).delete()
        AuditJob.objects.filter(pk__in=ids, published_at__isnull=True).delete()


def audit_discard_abandoned(*, older_than: dt.timedelta = ABANDONED_JOB_AGE) -> int:
    """Delete the staged audit rows of jobs never published and older than
    ``older_than`` (their process was killed before publishing: nothing of them was
    ever visible), and what such jobs wrote ahead (:class:`jiandu.core.db.AheadWrite`).
    Returns the number of audit jobs discarded."""
    cutoff = timezone.now() - older_than
    ids = list(
        AuditJob.objects.filter(published_at__isnull=True, created_at__lt=cutoff).values_list(
            "pk", flat=True
        )
    )
    if ids:
        _discard_jobs(ids)
    # What such jobs wrote ahead into business tables (SQLite search entries of clues
    # never published), through the apps' registered clean-ups.
    discard_abandoned_ahead(older_than)
    return len(ids)


def audit_discard_abandoned_quietly() -> None:
    """:func:`audit_discard_abandoned`, logging instead of raising (the worker's loop)."""
    try:
        audit_discard_abandoned()
    except DatabaseError:
        log.warning("could not discard abandoned audit jobs", exc_info=True)


class StagedWrite:
    """What a long job writes — business rows of any models and their audit rows —
    staged ahead of one short transaction that makes all of it visible at once.

    Build everything first; then, outside any transaction, :meth:`add` the rows (ids
    they need reserved with :func:`jiandu.core.db.reserve_ids`) and :meth:`add_audit`
    their audit entries, and :meth:`add_ahead` whatever can be written into the real
    tables ahead without anyone reaching it (the SQLite search entries of staged
    clues); then :meth:`publish` inside the transaction, which copies each table with
    one ``INSERT … SELECT`` (on SQLite the write lock is held for that only, with a
    page cache large enough not to spill; the audit rows are published by one UPDATE of
    their job's row, :class:`AuditStage`; each ahead write by a statement or two). Use
    it as a context manager: leaving it discards what is staged, published or not; a
    job killed before publishing leaves nothing visible (ahead writes are removed by
    :func:`audit_discard_abandoned`)."""

    def __init__(self) -> None:
        self.tables: list[StagedTable] = []
        self.audit = AuditStage()
        self.ahead: list[AheadWrite] = []
        self._cache: Any = None

    def add(
        self, model: type[models.Model], objs: Sequence[models.Model], *, with_pk: bool = True
    ) -> None:
        """Stage ``objs`` of ``model``; ``with_pk=False`` leaves their primary key to the
        database (rows nobody refers to, such as many-to-many links)."""
        table = next((t for t in self.tables if t.model is model), None)
        if table is None:
            table = StagedTable(model, with_pk=with_pk)
            self.tables.append(table)
        table.add(objs)

    def add_audit(self, entries: list[dict[str, Any]]) -> None:
        self.audit.add(entries)

    def add_ahead(self, piece: AheadWrite | None) -> None:
        """Keep ``piece`` (already written ahead) to publish and discard with the rest."""
        if piece is not None:
            self.ahead.append(piece)

    def publish(self) -> None:
        """Copy every staged table, in the order first added, then publish the ahead
        writes and the audit rows (run inside the transaction that is to make them
        visible). IntegrityError when a row breaks a constraint (the caller's
        transaction then writes nothing)."""
        from jiandu.core.db import rows_published

        for table in self.tables:
            table.publish()
        for piece in self.ahead:
            piece.publish()
        self.audit.publish()
        for table in self.tables:
            if table.pks:
                rows_published.send(sender=table.model, pks=table.pks, objs=table.objs)

    def discard(self) -> None:
        for table in self.tables:
            table.discard()
        for piece in self.ahead:
            try:
                piece.discard()
            except DatabaseError:
                # Never hide the error that ended the job: the clean-up removes it later.
                log.warning("ahead write %r left to the clean-up", piece, exc_info=True)
        self.ahead = []
        self.audit.discard()

    def __enter__(self) -> StagedWrite:
        self._cache = large_write_cache()
        self._cache.__enter__()
        return self

    def __exit__(self, *exc: object) -> None:
        try:
            self.discard()
        finally:
            cache, self._cache = self._cache, None
            if cache is not None:
                cache.__exit__(None, None, None)


def _seal_after_write(*, backlog: bool = False, rows: int = 1) -> None:
    """Seal once the writing transaction has committed; with the test setting
    ``JIANDU_AUDIT_SEAL_AT_ONCE`` (a test's transaction never commits) at once, inside it.

    One transaction registers one hook (:class:`_SealAfterCommit`), however many audit
    rows it writes: one seal after the commit links all of them. A transaction that wrote
    more than a batch (a long job: ``backlog``, or many single records) seals all of its
    rows, pausing between batches so that other writers get the lock (SQLite has one
    writer). An ordinary write (a login, an edit) seals at most one batch, and none while
    someone else's backlog waits: that request must not queue behind the long job's
    sealing, which links its row too (or the worker's loop, or the next write, within
    seconds)."""
    if getattr(settings, "JIANDU_AUDIT_SEAL_AT_ONCE", False):
        audit_seal_quietly()
        return
    hook = _seal_pending()
    if hook is None:
        hook = _SealAfterCommit()
        hook.add(rows, backlog=backlog)
        transaction.on_commit(hook)  # outside a transaction: runs at once
    else:
        hook.add(rows, backlog=backlog)


class _SealAfterCommit:
    """The seal one transaction runs after its commit, counting the audit rows it wrote."""

    def __init__(self) -> None:
        self.rows = 0
        self.backlog = False

    def add(self, rows: int, *, backlog: bool) -> None:
        self.rows += rows
        self.backlog = self.backlog or backlog

    def __call__(self) -> None:
        if self.backlog or self.rows > SEAL_BATCH:
            audit_seal_quietly()
        else:
            _seal_unless_backlog()


def _seal_pending() -> _SealAfterCommit | None:
    """The hook the open transaction already registered, if any. A hook registered inside
    a savepoint that is rolled back is dropped with it; the next write registers anew."""
    connection = transaction.get_connection()
    if not connection.in_atomic_block:
        return None
    for _sids, hook, _robust in connection.run_on_commit:
        if isinstance(hook, _SealAfterCommit):
            return hook
    return None


def _seal_unless_backlog() -> None:
    """After an ordinary write: seal (one batch) unless more than a batch waits — a long
    job's rows, which that job's own sealing (or the worker) is linking in batches; the
    request would only queue behind it for the lock."""
    try:
        waiting = AuditLog.objects.filter(sequence__isnull=True).order_by()
        if waiting[SEAL_BATCH : SEAL_BATCH + 1].exists():
            return
        if AuditJob.objects.filter(published_at__isnull=False, sealed_at__isnull=True).exists():
            return  # a published job's rows are being moved into the chain
    except DatabaseError:
        log.warning("could not count unsealed audit rows", exc_info=True)
        return
    audit_seal_quietly(limit=SEAL_BATCH)


def audit_seal_quietly(*, limit: int | None = None, pause: float | None = None) -> None:
    """Seal, logging instead of raising: used after a commit (the request's write has
    already succeeded) and by the worker's idle loop. Rows left unsealed are picked up
    by the next seal (any commit, the worker, ``jiandu audit seal`` from cron)."""
    try:
        audit_seal(limit=limit, pause=pause)
    except (DatabaseError, AuditKeyError):
        log.warning("audit rows left unsealed for the next seal", exc_info=True)


# SQLite's busy handler retries a waiting writer about every 100 ms once it has waited a
# while: a pause this long between a long sealing's batches lets every waiter in.
SQLITE_SEAL_PAUSE = 0.12

# Set by :func:`sealing_without_pauses` for a writer that has the database to itself.
_NO_SEAL_PAUSES: ContextVar[bool] = ContextVar("jiandu_audit_no_seal_pauses", default=False)


@contextmanager
def sealing_without_pauses() -> Iterator[None]:
    """Seals run inside this block (after-commit hooks included) link their batches
    back to back, without :data:`SQLITE_SEAL_PAUSE` between them: for a writer that has
    the database to itself (the demo builder on a new, empty database), where nobody
    waits for the lock and the pauses would only add seconds (0.12 s per 500 rows)."""
    marker = _NO_SEAL_PAUSES.set(True)
    try:
        yield
    finally:
        _NO_SEAL_PAUSES.reset(marker)


def _writer_pause() -> float:
    """The pause between the batches of a long write outside a transaction (SQLite's
    busy handler lets a waiting writer in only while nobody holds the lock)."""
    in_transaction = connection.in_atomic_block
    if connection.vendor != "sqlite" or _NO_SEAL_PAUSES.get() or in_transaction:
        return 0.0
    return SQLITE_SEAL_PAUSE


@dataclass(frozen=True)
class SealResult:
    sealed: int
    last_sequence: int
    head_missing: bool = False


def audit_seal(*, limit: int | None = None, pause: float | None = None) -> SealResult:
    """Link committed unsealed rows into the chain, oldest first, in batches of
    ``SEAL_BATCH`` rows, each batch its own short transaction under the head lock, with
    ``pause`` seconds between batches (None: ``SQLITE_SEAL_PAUSE`` on SQLite, where a
    writer waiting for the lock would otherwise not get it between two batches; none on
    PostgreSQL, whose lock queue is fair).

    A missing head row is not recreated here (that would hide a cut tail): rows stay
    unsealed, audited writes go on working, and ``audit_verify`` reports it until an
    operator runs ``jiandu audit recover-head`` (docs/operations.md)."""
    if pause is None:
        pause = _writer_pause()
    total = 0
    last = 0
    while limit is None or total < limit:
        if total and pause:
            time.sleep(pause)
        batch = SEAL_BATCH if limit is None else min(SEAL_BATCH, limit - total)
        with transaction.atomic():
            head = AuditChainHead.objects.select_for_update().filter(pk=1).first()
            if head is None:
                log.error("audit chain head row is missing: rows are left unsealed")
                return SealResult(total, last, head_missing=True)
            last = head.last_sequence
            rows, moved = _seal_queue(batch)
            if not rows:
                return SealResult(total, last)
            key_id = current_key_id()
            now = timezone.now()
            previous = head.last_hash
            for row in rows:
                last += 1
                row.sequence = last
                row.previous_hash = previous
                row.key_id = key_id
                row.row_hash = _row_digest(row)
                row.sealed_at = now
                previous = row.row_hash
            # The one sanctioned change to an audit row: filling in its chain fields,
            # once (AuditLog refuses updates through the application otherwise).
            _write_chain_fields([row for row in rows if row.pk is not None])
            _move_job_rows(moved)
            head.last_sequence = last
            head.last_hash = previous
            head.key_id = key_id
            head.mac = _head_mac(key_id, last, previous)
            head.save(update_fields=["last_sequence", "last_hash", "key_id", "mac"])
        total += len(rows)
        if len(rows) < batch:
            break
    return SealResult(total, last)


@dataclass
class _MovedJobRows:
    job: AuditJob
    rows: list[AuditLog]
    last_pending_id: int
    finished: bool


def _seal_queue(batch: int) -> tuple[list[AuditLog], list[_MovedJobRows]]:
    """The next ``batch`` rows to seal, in the order they became visible: committed
    unsealed log rows by id, and the rows of published jobs at the job's ``order_key``
    (an id drawn from the log's id sequence when it was published), each job's rows in
    the order staged. Job rows come as new, unsaved log rows timed when their job was
    published; the jobs they come from are returned with them."""
    ordinary = list(AuditLog.objects.filter(sequence__isnull=True).order_by("id")[:batch])
    jobs = list(
        AuditJob.objects.filter(published_at__isnull=False, sealed_at__isnull=True).order_by(
            "order_key", "id"
        )[:batch]
    )
    queue: list[AuditLog] = []
    moved: list[_MovedJobRows] = []
    position = 0
    for job in jobs:
        while (
            position < len(ordinary)
            and len(queue) < batch
            and ordinary[position].pk < (job.order_key or 0)
        ):
            queue.append(ordinary[position])
            position += 1
        room = batch - len(queue)
        if room <= 0:
            break
        pending = list(
            AuditJobRow.objects.filter(job=job)
            .order_by("id")
            .values("id", *JOB_ROW_FIELDS)[: room + 1]
        )
        taken = pending[:room]
        published_at = job.published_at
        assert published_at is not None  # only published jobs are queued
        rows = [
            AuditLog(at=published_at, **{name: item[name] for name in JOB_ROW_FIELDS})
            for item in taken
        ]
        queue.extend(rows)
        finished = len(pending) <= room
        moved.append(
            _MovedJobRows(
                job=job,
                rows=rows,
                last_pending_id=taken[-1]["id"] if taken else 0,
                finished=finished,
            )
        )
        if not finished:
            break
    else:
        queue.extend(ordinary[position : position + batch - len(queue)])
    return queue, moved


def _move_job_rows(moved: list[_MovedJobRows]) -> None:
    """Insert the sealed rows of jobs into the log, delete them from the jobs' rows, and
    mark each job whose rows are all in the log."""
    now = timezone.now()
    for item in moved:
        insert_rows(AuditLog, item.rows, batch_size=SEAL_BATCH)
        if item.rows:
            AuditJobRow.objects.filter(job=item.job, id__lte=item.last_pending_id).delete()
        if item.finished:
            AuditJob.objects.filter(pk=item.job.pk).update(sealed_at=now)


def _write_chain_fields(rows: list[AuditLog]) -> None:
    """One UPDATE statement run for every row (executemany), only on rows not yet
    sealed. Not ``bulk_update``: its CASE expression for 500 rows takes seconds to build,
    all of it while the sealer holds the chain head (and on SQLite the write lock)."""
    if not rows:
        return
    fields = [f for f in AuditLog._meta.concrete_fields if f.name in CHAIN_FIELDS]
    quote = connection.ops.quote_name
    sql = "UPDATE {} SET {} WHERE id = %s AND sequence IS NULL".format(
        quote(AuditLog._meta.db_table), ", ".join(f"{quote(f.column)} = %s" for f in fields)
    )
    params = [
        [f.get_db_prep_save(getattr(row, f.attname), connection) for f in fields] + [row.pk]
        for row in rows
    ]
    with connection.cursor() as cursor:
        cursor.executemany(sql, params)


CHAIN_FIELDS = ("sequence", "previous_hash", "row_hash", "key_id", "sealed_at")


def audit_head_create() -> bool:
    """Create the chain head at the start of an empty chain (fresh database, or one just
    flushed). Refuses when sealed rows exist: a lost head is an incident for
    ``jiandu audit recover-head``, not something to paper over. True when created."""
    if AuditChainHead.objects.filter(pk=1).exists():
        return False
    if AuditLog.objects.filter(sequence__isnull=False).exists():
        return False
    key_id = current_key_id()
    AuditChainHead.objects.create(
        pk=1,
        last_sequence=0,
        last_hash=GENESIS_HASH,
        key_id=key_id,
        mac=_head_mac(key_id, 0, GENESIS_HASH),
    )
    return True


def audit_head_recover(*, actor_name: str, checkpoint_dir: Path | None = None) -> ChainReport:
    """Rebuild a lost or damaged head from the last sealed row, after the sealed rows
    verify (and the checkpoints, when given, match). The rebuild itself is recorded in
    the chain. Raises ValueError naming the problem when the rows do not verify."""
    with transaction.atomic():
        report = audit_verify(seal=False, checkpoint_dir=checkpoint_dir, check_head=False)
        if not report.ok:
            raise ValueError(
                f"审计日志本身不完整（序号{report.first_broken_sequence}：{report.reason}），"
                "不能重建链头；请用备份恢复并报告安全管理员"
            )
        key_id = current_key_id()
        AuditChainHead.objects.filter(pk=1).delete()
        AuditChainHead.objects.create(
            pk=1,
            last_sequence=report.last_sequence,
            last_hash=report.last_hash,
            key_id=key_id,
            mac=_head_mac(key_id, report.last_sequence, report.last_hash),
        )
        audit_record(
            actor=None,
            action=AuditAction.UPDATE,
            object_type="core.auditchainhead",
            object_id="1",
            summary="重建审计链头",
            changes={
                "by": actor_name,
                "last_sequence": report.last_sequence,
                "last_hash": report.last_hash,
            },
            ip_address="",
        )
    audit_seal()
    return audit_verify(checkpoint_dir=checkpoint_dir)


def model_snapshot(obj: models.Model, fields: list[str] | None = None) -> dict[str, Any]:
    """Field values for the before/after of an audited write (protected fields left
    out: the audit log must not become a second copy of what it protects)."""
    data: dict[str, Any] = {}
    for field in obj._meta.concrete_fields:
        if fields is not None and field.name not in fields:
            continue
        if getattr(field, "protected", False):
            continue
        data[field.name] = field.value_from_object(obj)
    return json.loads(canonical_json(data))


def diff(before: dict[str, Any], after: dict[str, Any]) -> dict[str, Any]:
    keys = sorted(set(before) | set(after))
    return {
        k: {"before": before.get(k), "after": after.get(k)}
        for k in keys
        if before.get(k) != after.get(k)
    }


@dataclass(frozen=True)
class ChainReport:
    ok: bool
    rows_checked: int
    first_broken_sequence: int | None = None
    reason: str = ""
    last_sequence: int = 0
    last_hash: str = GENESIS_HASH
    unsealed_rows: int = 0
    oldest_unsealed_seconds: float | None = None
    checkpoints_checked: int = 0
    extra: dict[str, Any] = dataclass_field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "rows_checked": self.rows_checked,
            "first_broken_sequence": self.first_broken_sequence,
            "reason": self.reason,
            "last_sequence": self.last_sequence,
            "last_hash": self.last_hash,
            "unsealed_rows": self.unsealed_rows,
            "oldest_unsealed_seconds": self.oldest_unsealed_seconds,
            "checkpoints_checked": self.checkpoints_checked,
        }


@dataclass(frozen=True)
class Checkpoint:
    sequence: int
    hash: str
    at: str
    key_id: str
    signature: str


def _read_checkpoints(directory: Path) -> tuple[list[Checkpoint], str]:
    """The checkpoints in ``directory``, oldest first, or an error naming the bad line."""
    path = directory / CHECKPOINT_FILE
    if not path.exists():
        return [], f"检查点目录{directory}中没有{CHECKPOINT_FILE}"
    found: list[Checkpoint] = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            data = json.loads(line)
            point = Checkpoint(
                sequence=int(data["sequence"]),
                hash=str(data["hash"]),
                at=str(data["at"]),
                key_id=str(data["key_id"]),
                signature=str(data["signature"]),
            )
            expected = _checkpoint_mac(point.key_id, point.sequence, point.hash, point.at)
        except (ValueError, KeyError, TypeError):
            return [], f"检查点文件第{number}行格式错误"
        except AuditKeyError as exc:
            return [], f"检查点文件第{number}行：{exc}"
        if not hmac.compare_digest(expected, point.signature):
            return [], f"检查点文件第{number}行签名不符（检查点被改动）"
        if found and point.sequence < found[-1].sequence:
            return [], f"检查点文件第{number}行的序号小于前一行（检查点被改动）"
        found.append(point)
    if not found:
        return [], f"检查点文件{path}为空"
    return found, ""


def audit_verify(
    *,
    batch_size: int = 5000,
    seal: bool = True,
    checkpoint_dir: Path | str | None = None,
    check_head: bool = True,
) -> ChainReport:
    """Seal what is committed (unless ``seal=False``), then walk the sealed chain in
    order: every sequence present, every link and keyed hash right, the head's MAC
    valid and pointing at the last row, and — with ``checkpoint_dir`` — every signed
    checkpoint matching the row at its sequence, none beyond the last row. Reports the
    first problem found, and how many rows still wait to be sealed and for how long."""
    if seal:
        try:
            audit_seal()
        except (DatabaseError, AuditKeyError):
            log.warning("sealing before verification failed", exc_info=True)
    checkpoints: list[Checkpoint] = []
    if checkpoint_dir is not None:
        checkpoints, problem = _read_checkpoints(Path(checkpoint_dir))
        if problem:
            return ChainReport(False, 0, None, problem)
    wanted = {c.sequence: c for c in checkpoints}
    unsealed = AuditLog.objects.filter(sequence__isnull=True)
    published_jobs = AuditJob.objects.filter(published_at__isnull=False, sealed_at__isnull=True)
    oldest = min(
        [
            t
            for t in (
                unsealed.order_by("id").values_list("at", flat=True).first(),
                published_jobs.order_by("published_at")
                .values_list("published_at", flat=True)
                .first(),
            )
            if t is not None
        ],
        default=None,
    )
    pending = {
        "unsealed_rows": unsealed.count()
        + AuditJobRow.objects.filter(job__in=published_jobs).count(),
        "oldest_unsealed_seconds": (
            round((timezone.now() - oldest).total_seconds(), 1) if oldest else None
        ),
    }

    previous = GENESIS_HASH
    expected_sequence = 1
    checked = 0
    keyed_seen = False

    def broken(sequence: int | None, reason: str) -> ChainReport:
        return ChainReport(
            False,
            checked,
            sequence,
            reason,
            last_sequence=checked,
            last_hash=previous,
            checkpoints_checked=len(checkpoints),
            **pending,  # type: ignore[arg-type]
        )

    rows = (
        AuditLog.objects.filter(sequence__isnull=False)
        .order_by("sequence")
        .iterator(chunk_size=batch_size)
    )
    for row in rows:
        if row.sequence != expected_sequence:
            return broken(expected_sequence, f"缺少序号为{expected_sequence}的审计记录")
        if row.previous_hash != previous:
            return broken(row.sequence, "与上一条记录的哈希链接不一致")
        if row.key_id:
            keyed_seen = True
        elif keyed_seen:
            return broken(row.sequence, "密钥链之后出现未加密钥的记录（可能被篡改）")
        try:
            digest = _row_digest(row)
        except AuditKeyError as exc:
            return broken(row.sequence, str(exc))
        if not hmac.compare_digest(digest, row.row_hash):
            return broken(row.sequence, "记录内容与其哈希不符（可能被篡改）")
        point = wanted.get(row.sequence)
        if point is not None and point.hash != row.row_hash:
            return broken(row.sequence, f"与{point.at}的检查点不符（此前的记录被删除或改写）")
        previous = row.row_hash
        expected_sequence += 1
        checked += 1
    if checkpoints and checkpoints[-1].sequence > checked:
        latest = checkpoints[-1]
        return broken(
            checked + 1,
            f"{latest.at}的检查点记录到序号{latest.sequence}，但链只到序号{checked}"
            "（末尾的记录被删除）",
        )
    if check_head:
        head = AuditChainHead.objects.filter(pk=1).first()
        if head is None:
            return broken(checked + 1, "审计链头记录缺失（末尾的记录可能被删除）")
        if head.last_sequence != checked or head.last_hash != previous:
            return broken(
                min(head.last_sequence, checked) + 1,
                f"链头记录的最后序号为{head.last_sequence}，与链上最后一条（序号{checked}）不符"
                "（末尾的记录被删除或链头被改动）",
            )
        try:
            head_ok = head.mac != "" and hmac.compare_digest(
                _head_mac(head.key_id, head.last_sequence, head.last_hash), head.mac
            )
        except AuditKeyError as exc:
            return broken(checked + 1, f"链头：{exc}")
        if not head_ok:
            return broken(checked + 1, "链头记录的签名不符（链头被改动）")
    return ChainReport(
        True,
        checked,
        last_sequence=checked,
        last_hash=previous,
        checkpoints_checked=len(checkpoints),
        **pending,  # type: ignore[arg-type]
    )


def audit_checkpoint(*, directory: Path | str) -> Checkpoint:
    """Seal, verify, then append a signed (sequence, hash, time) checkpoint to
    ``directory``/checkpoints.jsonl — a place outside the database, ideally append-only
    (``chattr +a``) or on another machine. Raises ValueError when the chain is broken
    (a checkpoint must never bless a damaged chain)."""
    path = Path(directory)
    path.mkdir(parents=True, exist_ok=True)
    existing = path / CHECKPOINT_FILE
    report = audit_verify(checkpoint_dir=path if existing.exists() else None)
    if not report.ok:
        raise ValueError(
            f"审计日志哈希链断裂（序号{report.first_broken_sequence}：{report.reason}），不写检查点"
        )
    key_id = current_key_id()
    at = timezone.now().astimezone(dt.UTC).isoformat(timespec="seconds")
    point = Checkpoint(
        sequence=report.last_sequence,
        hash=report.last_hash,
        at=at,
        key_id=key_id,
        signature=_checkpoint_mac(key_id, report.last_sequence, report.last_hash, at),
    )
    line = canonical_json(point.__dict__) + "\n"
    # O_APPEND: never rewrite what is there (the directory may be chattr +a).
    fd = os.open(existing, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o640)
    try:
        os.write(fd, line.encode("utf-8"))
        os.fsync(fd)
    finally:
        os.close(fd)
    return point


__all__ = [
    "AuditAction",
    "AuditStage",
    "StagedWrite",
    "audit_checkpoint",
    "audit_discard_abandoned",
    "audit_record",
    "audit_record_many",
    "audit_rows",
    "audit_seal",
    "audit_verify",
    "diff",
    "model_snapshot",
    "sealing_without_pauses",
]


def audit_log_list(
    *,
    user: Any,
    action: str = "",
    actor: str = "",
    object_type: str = "",
    object_id: str = "",
    start: dt.date | None = None,
    end: dt.date | None = None,
) -> models.QuerySet[AuditLog]:
    """The audit log as its reader sees it, newest first: the whole chain for holders of
    ``core.view_auditlog`` (the 审计管理员), nothing for anyone else. The log has no
    jurisdiction of its own: reading it is the audit administrator's separate duty."""
    if not user.has_perm("core.view_auditlog"):
        return AuditLog.objects.none()
    qs = AuditLog.objects.all()
    if action:
        qs = qs.filter(action=action)
    if actor:
        qs = qs.filter(actor_name=actor)
    if object_type:
        qs = qs.filter(object_type=object_type)
    if object_id:
        qs = qs.filter(object_id=object_id)
    if start:
        qs = qs.filter(at__date__gte=start)
    if end:
        qs = qs.filter(at__date__lte=end)
    # Unsealed rows (no sequence yet) are a moment's state after commit; newest first by
    # sequence, so the keyset pages stay stable.
    return qs.order_by("-sequence")
