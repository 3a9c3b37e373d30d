"""What `make install` removes from the runtime virtualenv (scripts/slim_venv.py), on a
made-up site-packages; and the self-check it runs afterwards, on this virtualenv."""

import importlib.util
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _slim():
    spec = importlib.util.spec_from_file_location("slim_venv", ROOT / "scripts" / "slim_venv.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


FILES = [
    # removed
    "pandas/tests/test_x.py",
    "django/conf/locale/fr/LC_MESSAGES/django.mo",
    "numpy/_core/include/numpy/ndarraytypes.h",
    "pyarrow/include/arrow/api.h",
    "pyarrow/lib.pyx",
    "pyarrow/_flight.cpython-311-x86_64-linux-gnu.so",
    "pyarrow/libarrow_flight.so.2600",
    "pyarrow/libarrow_python_flight.so.2600.1.0",
    "pyarrow/_s3fs.cpython-311-x86_64-linux-gnu.so",
    "pyarrow/libarrow_s3.so.2600",
    "pyarrow/_pyarrow_cpp_tests.cpython-311-x86_64-linux-gnu.so",
    "numpy/__init__.pyi",
    # kept
    "pandas/core/frame.py",
    "django/conf/locale/zh_Hans/LC_MESSAGES/django.mo",
    "pyarrow/lib.cpython-311-x86_64-linux-gnu.so",
    "pyarrow/libarrow.so.2600",
    "pyarrow/_dataset.cpython-311-x86_64-linux-gnu.so",
    "pyarrow/libparquet.so.2600",
    "pyarrow/libarrow_substrait.so.2600",
    "otherpkg/_flight.py",
    "jiandu/tests/test_own.py",
]
REMOVED = 12


def test_removes_tests_foreign_translations_build_files_and_pyarrows_remote_parts(tmp_path):
    slim = _slim()
    site = tmp_path / "lib" / "python3.11" / "site-packages"
    for name in FILES:
        (site / name).parent.mkdir(parents=True, exist_ok=True)
        (site / name).write_text("x")
    removed = {str(p.relative_to(site)) for p in slim.removable(site)}
    assert removed == {
        "pandas/tests",
        "django/conf/locale/fr",
        "numpy/_core/include/numpy/ndarraytypes.h",
        "pyarrow/include/arrow/api.h",
        "pyarrow/lib.pyx",
        "pyarrow/_flight.cpython-311-x86_64-linux-gnu.so",
        "pyarrow/libarrow_flight.so.2600",
        "pyarrow/libarrow_python_flight.so.2600.1.0",
        "pyarrow/_s3fs.cpython-311-x86_64-linux-gnu.so",
        "pyarrow/libarrow_s3.so.2600",
        "pyarrow/_pyarrow_cpp_tests.cpython-311-x86_64-linux-gnu.so",
        "numpy/__init__.pyi",
    }
    assert len(removed) == REMOVED


def test_the_self_check_passes_here_and_fails_when_a_native_library_is_gone(tmp_path):
    slim = _slim()
    done = slim.smoke(Path(sys.executable))
    assert done.returncode == 0 and done.stdout.strip() == "ok", done.stderr
    # A stand-in interpreter whose duckdb cannot be imported.
    (tmp_path / "duckdb.py").write_text("raise ImportError('duckdb gone')\n")
    broken = tmp_path / "python"
    broken.write_text(f'#!/bin/sh\nPYTHONPATH={tmp_path} exec {sys.executable} "$@"\n')
    broken.chmod(0o755)
    failed = slim.smoke(broken)
    assert failed.returncode != 0 and "duckdb gone" in failed.stderr
