"""``jiandu audit verify``: ok on the demo's audit chain, exit 1 naming the sequence after
a row is changed behind the application's back."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, connections

from jiandu.cli import main
from jiandu.core.models import AuditLog

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def demo(small_demo):
    """The small demo the tests share, its audit chain sealed as the commits would have
    done (``jiandu.testing.build_shared_demo``)."""
    return small_demo


@pytest.fixture
def keep_connection(monkeypatch):
    """A real command run closes the connections when done; keep the test's open."""
    monkeypatch.setattr(connections, "close_all", lambda: None)


def _verify(*args: str) -> tuple[str, CommandError | None]:
    out = io.StringIO()
    try:
        call_command("audit", "verify", *args, stdout=out)
    except CommandError as exc:
        return out.getvalue(), exc
    return out.getvalue(), None


def _tamper(sequence: int) -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {AuditLog._meta.db_table} SET summary = %s WHERE sequence = %s",
            ["改过的摘要", sequence],
        )


def test_verify_ok_after_the_demo(demo):
    output, error = _verify("--json")
    assert error is None
    report = json.loads(output)
    assert report["ok"] is True
    assert report["rows_checked"] == AuditLog.objects.count() == demo.counts["audit_rows"]
    assert report["first_broken_sequence"] is None
    last = AuditLog.objects.get(sequence=report["rows_checked"])
    assert (report["last_sequence"], report["last_hash"]) == (last.sequence, last.row_hash)
    text, error = _verify()
    assert error is None
    assert f"已校验{report['rows_checked']}条记录" in text


def test_verify_names_the_tampered_sequence_and_fails(demo):
    _tamper(40)
    output, error = _verify("--json")
    assert error is not None and error.returncode == 1
    report = json.loads(output)
    assert (report["ok"], report["rows_checked"], report["first_broken_sequence"]) == (
        False,
        39,
        40,
    )
    assert "篡改" in report["reason"]
    text, error = _verify()
    assert error is not None
    assert "序号40" in text


def test_cli_exit_code_is_1_when_broken(demo, capsys, keep_connection):
    _tamper(7)
    with pytest.raises(SystemExit) as exit_info:
        main(["audit", "verify"])
    assert exit_info.value.code == 1
    assert "序号7" in capsys.readouterr().err


def test_cli_exit_code_is_0_when_intact(demo, capsys, keep_connection):
    main(["audit", "verify"])
    assert "审计日志完整" in capsys.readouterr().out
