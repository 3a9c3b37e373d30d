"""The chain is anchored: its head is signed and checked against the last row, rows are
keyed with a secret outside the database, and signed checkpoints outside the database
catch a cut tail or a rewritten past even by someone holding the key."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test import override_settings

from jiandu.core.audit import (
    CHECKPOINT_FILE,
    _head_mac,
    _row_digest,
    audit_checkpoint,
    audit_head_recover,
    audit_record,
    audit_seal,
    audit_verify,
    canonical_json,
)
from jiandu.core.choices import AuditAction
from jiandu.core.models import AuditChainHead, AuditLog

TABLE = AuditLog._meta.db_table
HEAD = AuditChainHead._meta.db_table


def _rows(world, n=6):
    for i in range(n):
        audit_record(actor=world.users["city"], action=AuditAction.UPDATE, summary=f"第{i}次修改")
    audit_seal()


def _sql(sql, params=()):
    with connection.cursor() as cursor:
        cursor.execute(sql, list(params))


def _cut_tail(after_sequence):
    _sql(f"DELETE FROM {TABLE} WHERE sequence > %s", [after_sequence])


def _rewind_head_to(sequence, *, resign=False):
    """What a database insider does after cutting the tail: point the head at the new
    last row (re-signing it only if they also hold the audit key)."""
    row = AuditLog.objects.get(sequence=sequence)
    mac = _head_mac(row.key_id, sequence, row.row_hash) if resign else None
    if mac is None:
        _sql(
            f"UPDATE {HEAD} SET last_sequence = %s, last_hash = %s WHERE id = 1",
            [sequence, row.row_hash],
        )
    else:
        _sql(
            f"UPDATE {HEAD} SET last_sequence = %s, last_hash = %s, mac = %s WHERE id = 1",
            [sequence, row.row_hash, mac],
        )


def _rewrite_and_rehash(sequence, *, summary, digest):
    """Change one row and recompute it and every later row and the head with
    ``digest(row)`` (the insider's rehash)."""
    rows = list(AuditLog.objects.filter(sequence__gte=sequence).order_by("sequence"))
    previous = AuditLog.objects.get(sequence=sequence - 1).row_hash
    for row in rows:
        if row.sequence == sequence:
            row.summary = summary
        row.previous_hash = previous
        row.row_hash = digest(row)
        _sql(
            f"UPDATE {TABLE} SET summary = %s, previous_hash = %s, row_hash = %s, key_id = %s "
            "WHERE id = %s",
            [row.summary, row.previous_hash, row.row_hash, row.key_id, row.pk],
        )
        previous = row.row_hash
    _sql(f"UPDATE {HEAD} SET last_hash = %s WHERE id = 1", [previous])
    return previous


def test_tail_cut_with_the_head_rewound_is_detected(world):
    _rows(world)
    last = AuditLog.objects.order_by("-sequence").first().sequence
    _cut_tail(last - 2)
    _rewind_head_to(last - 2)
    report = audit_verify()
    assert not report.ok
    assert "链头" in report.reason


def test_head_pointing_past_the_last_row_is_detected(world):
    _rows(world)
    last = AuditLog.objects.order_by("-sequence").first().sequence
    _cut_tail(last - 2)
    report = audit_verify()
    assert not report.ok
    assert report.first_broken_sequence == last - 1


def test_head_hash_changed_alone_is_detected(world):
    _rows(world)
    _sql(f"UPDATE {HEAD} SET last_hash = %s WHERE id = 1", ["f" * 64])
    assert not audit_verify().ok


def test_every_row_and_the_head_deleted_is_detected(world):
    _rows(world)
    _sql(f"DELETE FROM {TABLE}")
    _sql(f"DELETE FROM {HEAD}")
    report = audit_verify()
    assert not report.ok
    assert "链头记录缺失" in report.reason


def test_writes_and_logins_go_on_after_the_head_is_lost_and_recovery_restores_it(world, client):
    from jiandu.testing import TEST_PASSWORD

    _rows(world)
    _sql(f"DELETE FROM {HEAD}")
    response = client.post("/accounts/login/", {"username": "city", "password": TEST_PASSWORD})
    assert response.status_code == 302
    audit_record(actor=world.users["city"], action=AuditAction.UPDATE, summary="链头丢失后")
    report = audit_verify()
    assert not report.ok
    assert report.unsealed_rows >= 2
    recovered = audit_head_recover(actor_name="ops")
    assert recovered.ok
    assert recovered.unsealed_rows == 0
    assert AuditLog.objects.filter(summary="重建审计链头").exists()
    assert AuditLog.objects.get(summary="链头丢失后").sequence is not None


def test_recovery_refuses_a_damaged_chain(world):
    _rows(world)
    _sql(f"DELETE FROM {HEAD}")
    _sql(f"UPDATE {TABLE} SET summary = %s WHERE sequence = 2", ["改"])
    with pytest.raises(ValueError, match="不能重建链头"):
        audit_head_recover(actor_name="ops")


def test_rehash_without_the_key_is_detected(world):
    _rows(world)

    def plain_sha256(row):
        row.key_id = ""
        return _row_digest(row)

    _rewrite_and_rehash(3, summary="改写后", digest=plain_sha256)
    assert not audit_verify().ok


def test_rehash_with_a_guessed_key_is_detected(world):
    _rows(world)
    with override_settings(AUDIT_KEYS={"dev": "a-guessed-key-that-is-not-the-real-one"}):
        last_hash = _rewrite_and_rehash(3, summary="改写后", digest=_row_digest)
        head_mac = _head_mac("dev", AuditChainHead.objects.get().last_sequence, last_hash)
    _sql(f"UPDATE {HEAD} SET mac = %s WHERE id = 1", [head_mac])
    report = audit_verify()
    assert not report.ok
    assert report.first_broken_sequence == 3


def test_checkpoint_catches_a_tail_cut_by_a_key_holder(world, tmp_path):
    _rows(world)
    point = audit_checkpoint(directory=tmp_path)
    assert audit_verify(checkpoint_dir=tmp_path).ok
    _cut_tail(point.sequence - 2)
    _rewind_head_to(point.sequence - 2, resign=True)
    assert audit_verify().ok  # the key holder's forgery passes without checkpoints
    report = audit_verify(checkpoint_dir=tmp_path)
    assert not report.ok
    assert "检查点" in report.reason


def test_checkpoint_catches_a_rewritten_past_by_a_key_holder(world, tmp_path):
    _rows(world)
    point = audit_checkpoint(directory=tmp_path)
    last_hash = _rewrite_and_rehash(2, summary="改写后", digest=_row_digest)
    _sql(
        f"UPDATE {HEAD} SET mac = %s WHERE id = 1",
        [_head_mac("dev", point.sequence, last_hash)],
    )
    assert audit_verify().ok
    report = audit_verify(checkpoint_dir=tmp_path)
    assert not report.ok
    assert report.first_broken_sequence == point.sequence


def test_checkpoints_append_and_an_edited_checkpoint_is_refused(world, tmp_path):
    _rows(world, 3)
    audit_checkpoint(directory=tmp_path)
    _rows(world, 2)
    second = audit_checkpoint(directory=tmp_path)
    lines = (tmp_path / CHECKPOINT_FILE).read_text().splitlines()
    assert len(lines) == 2
    assert audit_verify(checkpoint_dir=tmp_path).checkpoints_checked == 2
    forged = json.loads(lines[1]) | {"sequence": second.sequence - 1}
    (tmp_path / CHECKPOINT_FILE).write_text(lines[0] + "\n" + canonical_json(forged) + "\n")
    report = audit_verify(checkpoint_dir=tmp_path)
    assert not report.ok
    assert "签名不符" in report.reason


def test_key_rotation_keeps_old_rows_verifiable(world):
    _rows(world, 2)
    keys = {"dev": "jiandu-development-secret-key-not-for-production-use-0123456789-audit-chain"}
    from django.conf import settings

    assert keys == settings.AUDIT_KEYS
    rotated = keys | {"2027": "a-second-audit-key-of-sufficient-length-0123456789"}
    with override_settings(AUDIT_KEYS=rotated):
        _rows(world, 2)
        assert AuditLog.objects.order_by("-sequence").first().key_id == "2027"
        assert audit_verify().ok
    with override_settings(AUDIT_KEYS={"2027": rotated["2027"]}):
        report = audit_verify()
        assert not report.ok
        assert "“dev”未配置" in report.reason


def test_rows_sealed_before_keying_verify_as_a_prefix(world):
    """An upgraded database: its earlier rows are plain SHA-256 with key_id ''."""
    _rows(world, 3)
    previous = "0" * 64
    for row in AuditLog.objects.order_by("sequence"):
        row.previous_hash = previous
        row.key_id = ""
        row.row_hash = _row_digest(row)
        _sql(
            f"UPDATE {TABLE} SET previous_hash = %s, row_hash = %s, key_id = '' WHERE id = %s",
            [row.previous_hash, row.row_hash, row.pk],
        )
        previous = row.row_hash
    last = AuditLog.objects.order_by("-sequence").first()
    _sql(
        f"UPDATE {HEAD} SET last_hash = %s, mac = %s WHERE id = 1",
        [previous, _head_mac("dev", last.sequence, previous)],
    )
    assert audit_verify().ok
    _rows(world, 2)
    assert audit_verify().ok


def test_checkpoint_and_verify_commands(world, tmp_path):
    _rows(world, 3)
    out = io.StringIO()
    call_command("audit", "checkpoint", "--dir", str(tmp_path), stdout=out)
    assert "检查点已写入" in out.getvalue()
    out = io.StringIO()
    call_command("audit", "verify", "--json", "--checkpoints", str(tmp_path), stdout=out)
    report = json.loads(out.getvalue())
    assert report["ok"] and report["checkpoints_checked"] == 1
    _cut_tail(report["last_sequence"] - 1)
    with pytest.raises(CommandError):
        call_command("audit", "verify", "--checkpoints", str(tmp_path), stdout=io.StringIO())
    with pytest.raises(CommandError, match="不写检查点"):
        call_command("audit", "checkpoint", "--dir", str(tmp_path), stdout=io.StringIO())
