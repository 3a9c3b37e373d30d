"""Loading Django (every app, the datacheck models, tasks and command module) must not
load the comparison engine: ``jiandu --help`` or ``jiandu board rank`` would pay for it."""

import os
import subprocess
import sys
from pathlib import Path

import jiandu

HEAVY = ("ibis", "duckdb", "pandas", "pyarrow", "pyspark")

PROBE = """
import sys
import django
django.setup()
import jiandu.datacheck.choices, jiandu.datacheck.models, jiandu.datacheck.tasks
import jiandu.urls, jiandu.datacheck.forms
import jiandu.datacheck.management.commands.datacheck
from jiandu.datacheck.engine import cli
from django.core.management import get_commands
get_commands()
print(" ".join(sorted({m.split(".")[0] for m in sys.modules} & set(sys.argv[1:]))))
"""


def test_django_and_datacheck_modules_load_without_the_engine():
    src = str(Path(jiandu.__file__).resolve().parent.parent)
    env = {
        **os.environ,
        "PYTHONPATH": src,
        "DJANGO_SETTINGS_MODULE": "jiandu.settings",
    }
    done = subprocess.run(
        [sys.executable, "-c", PROBE, *HEAVY], env=env, capture_output=True, text=True, check=True
    )
    assert done.stdout.strip() == "", f"loaded at startup: {done.stdout.strip()}"
