"""What every Django command pays before it starts: settings, every app's models and the
command list. None of it may load the API layer (django-ninja, pydantic), Django's admin,
the spreadsheet and document writers or the cryptography library; the commands that
need them import them when they run (bench/cli_startup.py measures the effect)."""

import os
import subprocess
import sys
from pathlib import Path

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
