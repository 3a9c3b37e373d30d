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
HEAVY = ("ninja", "pydantic", "openpyxl", "docx", "qrcode", "cryptography")


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
