"""``jiandu demo``: determinism, JSON output, and refusing to overwrite data."""

from __future__ import annotations

import io
import json

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, transaction

from jiandu.clues.models import Clue, Outcome, Petition, ReporterIdentity
from jiandu.demo.build import DEMO_PASSWORD, DemoError, build_demo
from jiandu.orgs.models import Org
from jiandu.people.models import Person

pytestmark = pytest.mark.django_db
SMALL = 0.03


def _fingerprint(seed: int) -> dict:
    """Everything a second build must repeat, read back from the database (no ids:
    sequences need not restart), then rolled back."""
    with transaction.atomic():
        summary = build_demo(seed=seed, scale=SMALL)
        fingerprint = {
            "counts": summary.counts,
            "statistics": summary.statistics,
            "accounts": [a.as_dict() for a in summary.accounts],
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
        transaction.set_rollback(True)
    return fingerprint


def test_same_seed_builds_the_same_demo():
    first = _fingerprint(2020)
    assert first["counts"]["clues"] > 0
    assert first["id_numbers"]
    assert _fingerprint(2020) == first


def test_another_seed_builds_another_demo():
    assert _fingerprint(7)["id_numbers"] != _fingerprint(2020)["id_numbers"]


def test_build_refuses_a_database_with_data(world):
    with pytest.raises(DemoError, match="已有数据"):
        build_demo(scale=SMALL)


def _demo_json(*args: str) -> dict:
    out = io.StringIO()
    call_command("demo", "--json", "--without-extras", "--scale", str(SMALL), *args, stdout=out)
    return json.loads(out.getvalue())


@pytest.fixture
def fresh_content_types():
    """``--reset`` flushes content types inside the test transaction; forget the ids
    cached meanwhile once it is rolled back."""
    yield
    ContentType.objects.clear_cache()


def test_json_output_lists_the_accounts():
    data = _demo_json()
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


def test_table_output_shows_account_columns():
    out = io.StringIO()
    call_command("demo", "--without-extras", "--scale", str(SMALL), stdout=out, verbosity=0)
    text = out.getvalue()
    header = next(line for line in text.splitlines() if line.startswith("账号"))
    assert header.split() == ["账号", "姓名", "单位", "角色", "密码"]
    assert "五华区纪委监委" in text
    assert DEMO_PASSWORD in text


def test_refuses_a_non_empty_database_without_reset():
    _demo_json()
    orgs = Org.objects.count()
    with pytest.raises(CommandError, match="--reset"):
        _demo_json()
    assert Org.objects.count() == orgs


@pytest.mark.skipif(
    connection.vendor != "sqlite", reason="--reset without confirmation is SQLite-only"
)
def test_reset_rebuilds_the_same_demo_on_sqlite(fresh_content_types):
    first = _demo_json()
    again = _demo_json("--reset")
    assert again["counts"] == first["counts"]
    assert again["poverty_statistics"] == first["poverty_statistics"]


def test_reset_on_another_database_needs_yes_really(monkeypatch):
    _demo_json()
    clues = Clue.objects.count()
    monkeypatch.setattr(connection, "vendor", "postgresql")
    with pytest.raises(CommandError, match="--yes-really"):
        _demo_json("--reset")
    assert Clue.objects.count() == clues


def test_keep_lists_the_accounts_of_an_existing_demo_without_rebuilding():
    _demo_json()
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
