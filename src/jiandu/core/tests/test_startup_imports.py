"""What every Django command pays before it starts: settings, every app's models and the
command list. None of it may load the API layer (django-ninja, pydantic), Django's admin,
the spreadsheet and document writers or the cryptography library; the commands that
need them import them when they run (bench/cli_startup.py measures the effect). A
working command then starts without Django's system checks (no URLconf) and without
garbage collections during the start-up."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

import jiandu

# Top-level packages, by the name they are imported under.
HEAVY = ("ninja", "pydantic", "openpyxl", "docx", "qrcode", "cryptography", "rapidfuzz")


LOADED = """
import sys
import django
django.setup()
from django.core.management import get_commands, load_command_class
for name, app in get_commands().items():
    if app.startswith("jiandu") or name in ("audit", "import", "board", "calendar", "demo"):
        load_command_class(app, name)
print(" ".join(sorted({m.split(".")[0] for m in sys.modules} & set(sys.argv[1:]))))
print("admin" if "django.contrib.admin" in sys.modules else "")
"""


def _run(code: str, *args: str) -> list[str]:
    src = str(Path(jiandu.__file__).resolve().parent.parent)
    env = {**os.environ, "PYTHONPATH": src, "DJANGO_SETTINGS_MODULE": "jiandu.settings"}
    done = subprocess.run(
        [sys.executable, "-c", code, *args], env=env, capture_output=True, text=True, check=True
    )
    return done.stdout.splitlines()


def test_commands_load_without_the_api_layer_admin_writers_or_cryptography():
    heavy, admin = _run(LOADED, *HEAVY)
    assert heavy == "", f"loaded when the commands start: {heavy}"
    assert admin == "", "Django's admin is loaded at start-up"


SETUP = """
import sys
import django
django.setup()
print(" ".join(sorted(m for m in sys.argv[1:] if m in sys.modules)))
"""

# What django.setup() alone (every command's start) must not load: the task modules
# (found when a task is first submitted or run), the audit writer (the login signals
# import it when someone logs in), the text-search layer (a clue's first save), and
# Django's debug page (its e-mail log handler is left out while ADMINS is empty), the
# pure calculators of the index and the boards.
NOT_AT_SETUP = (
    "jiandu.inbox.tasks",
    "jiandu.inbox.services",
    "jiandu.reconciliation.tasks",
    "jiandu.supervision.tasks",
    "jiandu.core.tasks",
    "jiandu.core.audit",
    "jiandu.clues.search",
    "jiandu.core.pagination",
    "django.views.debug",
    # The index calculator and the board ranking it shares formats with: loaded when an
    # indicator tree is first turned into rules, not with the ecoindex models.
    "jiandu.ecoindex.calc",
    "jiandu.boards.ranking",
)


def test_setup_loads_no_tasks_audit_writer_search_or_debug_page():
    (loaded,) = _run(SETUP, *NOT_AT_SETUP) or [""]
    assert loaded == "", f"loaded by django.setup(): {loaded}"


def test_tasks_are_still_found_on_first_use():
    from jiandu.core.tasks import task_functions

    assert {"inbox.remind", "reconciliation.zero_report", "supervision.warning_cards"} <= set(
        task_functions()
    )


# A working command on a database of its own: the tables are created from the models
# (no migration files, which keeps the test fast) in one interpreter, then ``jiandu
# audit verify --json`` runs in a fresh one, as a user types it.
BUILD = """
import django
from django.conf import settings


class NoMigrations(dict):
    def __contains__(self, label):
        return True

    def __getitem__(self, label):
        return None


settings.MIGRATION_MODULES = NoMigrations()
django.setup()
from django.core.management import call_command

call_command("migrate", run_syncdb=True, verbosity=0)
"""

# What the command found when it started: whether the garbage collector is on, how many
# collections the start-up ran, and (at the end) which of the given modules were loaded.
WORKING = """
import gc
import json
import sys

from django.core.management.base import BaseCommand


def collections():
    return sum(generation["collections"] for generation in gc.get_stats())


seen = {}
execute = BaseCommand.execute


def spy(self, *args, **options):
    seen.update(
        gc_on=gc.isenabled(),
        collections=collections() - before,
        loaded_at_start=sorted(m for m in sys.argv[2:] if m in sys.modules),
    )
    return execute(self, *args, **options)


BaseCommand.execute = spy
from jiandu.cli import main

before = collections()
try:
    main(json.loads(sys.argv[1]))
except SystemExit as stop:
    assert not stop.code, stop.code
seen["loaded"] = sorted(m for m in sys.argv[2:] if m in sys.modules)
print(json.dumps(seen))
"""

# What the system checks would load: the URLconf, the views, the API layer.
URLCONF = ("jiandu.urls", "jiandu.api", "jiandu.clues.views", "ninja", "pydantic")


def _working_command(tmp_path: Path, *args: str, modules=URLCONF) -> tuple[str, dict]:
    """Run ``jiandu ARGS`` in a fresh interpreter on a database of its own; what it printed
    and what the spy saw (see WORKING)."""
    src = str(Path(jiandu.__file__).resolve().parent.parent)
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(
        PYTHONPATH=src, DJANGO_SETTINGS_MODULE="jiandu.settings", JIANDU_VAR_DIR=str(tmp_path)
    )
    for code in (BUILD, WORKING):
        done = subprocess.run(
            [sys.executable, "-c", code, json.dumps(list(args)), *modules],
            env=env,
            capture_output=True,
            text=True,
            check=False,
            timeout=300,
        )
        assert done.returncode == 0, done.stderr
    output, seen = done.stdout.strip().rsplit("\n", 1)
    return output, json.loads(seen)


@pytest.mark.parametrize("options", [(), ("--json",)])
def test_a_working_command_starts_without_checks_or_garbage_collections(tmp_path, options):
    """Django's system checks (they import the URLconf, every view and the API schemas)
    are `jiandu check`'s job, not every command's; and the start-up runs no garbage
    collection, the command itself runs with the collector on."""
    output, seen = _working_command(tmp_path, "audit", "verify", *options)
    if options:
        assert json.loads(output)["ok"] is True
    else:
        assert "审计日志完整" in output
    assert seen["loaded"] == [], f"loaded by jiandu audit verify: {seen['loaded']}"
    assert seen["gc_on"] is True
    assert seen["collections"] <= 2, f"{seen['collections']} collections during start-up"


# What the whole URL configuration (every page, view and API schema: what `jiandu check`,
# `migrate` and `runserver` build before they start) must not load: the export writers
# and what they pull in. The views import them when they write a file; a web process
# loads them in its warm-up (jiandu.core.warmup).
EXPORT_WRITERS = ("openpyxl", "docx", "numpy", "PIL", "lxml", "qrcode")

URLS = """
import sys
import django
django.setup()
from django.urls import get_resolver
get_resolver().url_patterns
import jiandu.api
print(" ".join(sorted({m.split(".")[0] for m in sys.modules} & set(sys.argv[1:]))))
"""


def test_the_url_configuration_loads_no_export_writer():
    (loaded,) = _run(URLS, *EXPORT_WRITERS) or [""]
    assert loaded == "", f"loaded with the URL configuration: {loaded}"


def test_jiandu_check_loads_the_url_configuration_without_garbage_collections(tmp_path):
    """``check`` (like ``migrate`` and ``runserver``) imports every view and the API's
    pydantic models for its checks: `jiandu` loads them with the start-up, collector
    paused and the result frozen, instead of letting the collector walk them again and
    again while they are built."""
    _, seen = _working_command(tmp_path, "check", modules=("jiandu.api",))
    assert seen["loaded_at_start"] == ["jiandu.api"]
    assert seen["gc_on"] is True
    assert seen["collections"] <= 2, f"{seen['collections']} collections during start-up"
