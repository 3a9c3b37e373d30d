"""The start-up rows of ``bench/cli_startup.py`` stop where they say they stop.

The bench times a command's start-up by ending the process the moment the command's own
work begins. An instrument that silently did not stop (as an audit hook on ``import``
events did: ``importlib.import_module`` raises none) would time the whole command instead.
"""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _bench():
    spec = importlib.util.spec_from_file_location("cli_startup", ROOT / "bench/cli_startup.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _run(code: str, *args: str, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(
        PYTHONPATH=str(ROOT / "src"),
        DJANGO_SETTINGS_MODULE="jiandu.settings",
        JIANDU_VAR_DIR=str(tmp_path),
    )
    return subprocess.run(
        [sys.executable, "-c", code, *args],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_check_start_up_ends_before_any_check(tmp_path: Path) -> None:
    bench = _bench()
    done = _run(bench.STARTUP_CLI_CODE, "check", tmp_path=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "System check" not in done.stdout + done.stderr  # check itself never ran


def test_web_start_up_ends_when_the_urls_start_to_load(tmp_path: Path) -> None:
    bench = _bench()
    code = bench.STARTUP_WSGI_CODE + "\nprint('loaded without stopping')"
    done = _run(code, tmp_path=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "loaded without stopping" not in done.stdout
    # The same process without the stop does get there (the test can fail).
    whole = _run("import jiandu.wsgi\nprint('loaded without stopping')", tmp_path=tmp_path)
    assert "loaded without stopping" in whole.stdout, whole.stderr


def test_the_floor_row_sets_django_up_without_any_platform_app(tmp_path: Path) -> None:
    bench = _bench()
    code = bench.FLOOR_CODE + (
        "\nfrom django.apps import apps"
        "\nprint(sorted(a.name for a in apps.get_app_configs() if a.name.startswith('jiandu')))"
    )
    done = _run(code, tmp_path=tmp_path)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"


def test_as_installed_the_baseline_compiles_libraries_and_its_source_not_the_stdlib(
    tmp_path: Path,
) -> None:
    """The baseline's install left no bytecode under site-packages or its ``src``; the
    standard library has its own. A module's ``__spec__.cached`` is the bytecode file it
    was looked up in (None when it was compiled from source)."""
    bench = _bench()
    probe = (
        "import django.db.models.query as library, jiandu.core.choices as ours, json.decoder"
        "\nprint(*(m.__spec__.cached is None for m in (library, ours, json.decoder)))"
    )
    done = _run(bench.IGNORE_INSTALLED_BYTECODE + probe, tmp_path=tmp_path)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["True", "True", "False"]
    # Without the preamble the same modules are looked up in their bytecode (can fail).
    plain = _run(probe, tmp_path=tmp_path)
    assert plain.stdout.split() == ["False", "False", "False"], plain.stderr
