"""``jiandu demo``: determinism, JSON output, and refusing to overwrite data.

A build takes a while, so the tests that need "a database holding the demo the command
built" share one run of the command (``built``: its JSON output, a snapshot of the rows
it wrote, put back inside each test's transaction, and their fingerprint, which the
determinism tests and ``--reset`` compare a second build with)."""

from __future__ import annotations

import io
import json
from dataclasses import dataclass

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, transaction
from django.test import override_settings

from jiandu.clues.models import Clue, Outcome, Petition, ReporterIdentity
from jiandu.demo.build import DEMO_PASSWORD, DemoError, build_demo
from jiandu.orgs.models import Org
from jiandu.people.models import Person
from jiandu.testing import TableSnapshot

pytestmark = pytest.mark.django_db
SMALL = 0.03


def _summary(summary: dict) -> dict:
    """What a build reports, as its JSON carries it, without its own duration."""
    return {k: v for k, v in json.loads(json.dumps(summary)).items() if k != "seconds"}


def _database_fingerprint() -> dict:
    """Everything a second build must repeat, read back from the database (no ids:
    sequences need not restart)."""
    return {
        "people": sorted(Person.objects.values_list("name", "birth_date")),
        "id_numbers": sorted(p.id_number for p in Person.objects.all()),
        "clues": sorted(
            Clue.objects.values_list(
                "title", "received_date", "status", "disposal_method", "closed_at"
            )
        ),
        "petitions": sorted(
            (p.title, p.received_date, p.status, p.repeat_of is not None)
            for p in Petition.objects.all()
        ),
        "reporters": sorted(r.name for r in ReporterIdentity.objects.all()),
        "outcomes": sorted(
            Outcome.objects.values_list("subject_name", "kind", "subtype", "decision_date")
        ),
    }


def _fingerprint(seed: int) -> dict:
    """A build of ``seed`` at the tests' scale: its summary and what it wrote (rolled back)."""
    with transaction.atomic():
        summary = build_demo(seed=seed, scale=SMALL)
        fingerprint = {"summary": _summary(summary.as_dict()), **_database_fingerprint()}
        transaction.set_rollback(True)
    return fingerprint


def test_same_seed_builds_the_same_demo(built):
    # The first build is the command's (seed 2020 by default, the same scale).
    first = built.fingerprint
    assert first["summary"]["seed"] == 2020
    assert first["summary"]["counts"]["clues"] > 0
    assert first["id_numbers"]
    assert _fingerprint(2020) == first


def test_another_seed_builds_another_demo(built):
    assert _fingerprint(7)["id_numbers"] != built.fingerprint["id_numbers"]


def test_build_refuses_a_database_with_data(world):
    with pytest.raises(DemoError, match="已有数据"):
        build_demo(scale=SMALL)


def _demo_json(*args: str) -> dict:
    out = io.StringIO()
    call_command("demo", "--json", "--without-extras", "--scale", str(SMALL), *args, stdout=out)
    return json.loads(out.getvalue())


@dataclass(frozen=True)
class Built:
    data: dict  # the command's JSON output
    snapshot: TableSnapshot  # what it wrote
    fingerprint: dict  # the same, as a second build must repeat it (``_fingerprint``)


@pytest.fixture(scope="module")
def built(django_db_setup, django_db_blocker, tmp_path_factory):
    """One run of ``jiandu demo --json`` into the empty database (with the settings
    every test runs under): its output, a snapshot and fingerprint of what it wrote;
    rolled back."""
    with (
        django_db_blocker.unblock(),
        override_settings(
            MEDIA_ROOT=tmp_path_factory.mktemp("demo-command-media"),
            JIANDU_TASKS_MODE="eager",
            JIANDU_AUDIT_SEAL_AT_ONCE=True,
            PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
        ),
        transaction.atomic(),
    ):
        data = _demo_json()
        snapshot = TableSnapshot.take()
        fingerprint = {"summary": _summary(data), **_database_fingerprint()}
        transaction.set_rollback(True)
    ContentType.objects.clear_cache()
    return Built(data=data, snapshot=snapshot, fingerprint=fingerprint)


@pytest.fixture
def demo_built(db, built):
    """The database as ``jiandu demo`` left it; its JSON output."""
    built.snapshot.restore()
    yield built.data
    ContentType.objects.clear_cache()


@pytest.fixture
def fresh_content_types():
    """``--reset`` flushes content types inside the test transaction; forget the ids
    cached meanwhile once it is rolled back."""
    yield
    ContentType.objects.clear_cache()


def test_json_output_lists_the_accounts(demo_built):
    data = demo_built
    usernames = [a["username"] for a in data["accounts"]]
    assert usernames[:4] == ["stats", "petition", "casemgmt", "room1"]
    assert {"trial", "group1", "wuhua", "leader", "data", "sysadmin", "secadmin", "auditor"} <= set(
        usernames
    )
    assert all(a["password"] == DEMO_PASSWORD for a in data["accounts"])
    petition = next(a for a in data["accounts"] if a["username"] == "petition")
    assert petition["org"] == "信访室"
    assert "举报人身份查阅" in petition["roles"]
    assert data["counts"]["clues"] == Clue.objects.count()
    assert data["seed"] == 2020


def test_table_output_shows_account_columns(demo_built):
    # The table a build ends with is the one ``--keep`` prints (``account_table``).
    out = io.StringIO()
    call_command("demo", "--keep", stdout=out)
    text = out.getvalue()
    header = next(line for line in text.splitlines() if line.startswith("账号"))
    assert header.split() == ["账号", "姓名", "单位", "角色", "密码"]
    assert "五华区纪委监委" in text
    assert DEMO_PASSWORD in text


def test_refuses_a_non_empty_database_without_reset(demo_built):
    orgs = Org.objects.count()
    with pytest.raises(CommandError, match="--reset"):
        _demo_json()
    assert Org.objects.count() == orgs


@pytest.mark.skipif(
    connection.vendor != "sqlite", reason="--reset without confirmation is SQLite-only"
)
def test_reset_rebuilds_the_same_demo_on_sqlite(built, demo_built, fresh_content_types):
    # Without --json: the build's summary line, then the account table.
    out = io.StringIO()
    call_command(
        "demo", "--reset", "--without-extras", "--scale", str(SMALL), stdout=out, verbosity=0
    )
    text = out.getvalue()
    assert text.startswith("演示数据已生成（种子2020")
    assert "账号  " in text and DEMO_PASSWORD in text
    assert _database_fingerprint() == {k: v for k, v in built.fingerprint.items() if k != "summary"}


def test_reset_on_another_database_needs_yes_really(demo_built, monkeypatch):
    clues = Clue.objects.count()
    monkeypatch.setattr(connection, "vendor", "postgresql")
    with pytest.raises(CommandError, match="--yes-really"):
        _demo_json("--reset")
    assert Clue.objects.count() == clues


def test_keep_lists_the_accounts_of_an_existing_demo_without_rebuilding(demo_built):
    clues = Clue.objects.count()
    out = io.StringIO()
    call_command("demo", "--keep", "--json", stdout=out)
    data = json.loads(out.getvalue())
    assert data["kept"] is True
    assert {"stats", "petition", "auditor"} <= {a["username"] for a in data["accounts"]}
    assert Clue.objects.count() == clues


def test_demo_refuses_a_production_environment(settings):
    settings.PRODUCTION = True
    with pytest.raises(CommandError, match="正式环境"):
        call_command("demo", "--scale", "0.01", "--keep", stdout=io.StringIO())
    assert not Org.objects.exists()
