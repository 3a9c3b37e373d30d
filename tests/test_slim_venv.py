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


# A made-up file -> what `removable` lists for it (the file, or the folder that holds it);
# None: kept.
FILES = {
    "pandas/tests/test_x.py": "pandas/tests",
    "django/conf/locale/fr/LC_MESSAGES/django.mo": "django/conf/locale/fr",
    "numpy/_core/include/numpy/ndarraytypes.h": "numpy/_core/include/numpy/ndarraytypes.h",
    "pyarrow/include/arrow/api.h": "pyarrow/include/arrow/api.h",
    "pyarrow/lib.pyx": "pyarrow/lib.pyx",
    "numpy/__init__.pyi": "numpy/__init__.pyi",
    "fontTools/misc/bezierTools.c": "fontTools/misc/bezierTools.c",
    "pyarrow/src/arrow/python/common.cc": "pyarrow/src/arrow/python/common.cc",
    **{
        f"pyarrow/{name}": f"pyarrow/{name}"
        for name in (
            "_flight.cpython-311-x86_64-linux-gnu.so",
            "libarrow_flight.so.2600",
            "libarrow_python_flight.so.2600.1.0",
            "_s3fs.cpython-311-x86_64-linux-gnu.so",
            "libarrow_s3.so.2600",
            "_pyarrow_cpp_tests.cpython-311-x86_64-linux-gnu.so",
        )
    },
    "pandas/core/frame.py": None,
    "django/conf/locale/zh_Hans/LC_MESSAGES/django.mo": None,
    "pyarrow/lib.cpython-311-x86_64-linux-gnu.so": None,
    "pyarrow/libarrow.so.2600": None,
    "pyarrow/_dataset.cpython-311-x86_64-linux-gnu.so": None,
    "pyarrow/libparquet.so.2600": None,
    "pyarrow/libarrow_substrait.so.2600": None,
    "otherpkg/_flight.py": None,
    "jiandu/tests/test_own.py": None,
    "fontTools/misc/bezierTools.cpython-311-x86_64-linux-gnu.so": None,
    "cffi/parse_c_type.py": None,
}


def test_removes_tests_foreign_translations_build_files_and_pyarrows_remote_parts(tmp_path):
    slim = _slim()
    site = tmp_path / "lib" / "python3.11" / "site-packages"
    for name in FILES:
        (site / name).parent.mkdir(parents=True, exist_ok=True)
        (site / name).write_text("x")
    removed = {str(p.relative_to(site)) for p in slim.removable(site)}
    assert removed == {listed for listed in FILES.values() if listed}
    assert len(removed) == 14


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


def test_a_native_library_shipped_under_three_names_is_kept_once_under_its_soname(tmp_path):
    slim = _slim()
    site = tmp_path / "site-packages"
    (site / "pyarrow").mkdir(parents=True)
    (site / "other").mkdir()
    files = {
        "pyarrow/libarrow_python.so": b"python",
        "pyarrow/libarrow_python.so.2600": b"python",
        "pyarrow/libarrow_python.so.2600.1.0": b"python",
        "pyarrow/libarrow.so.2600": b"arrow",  # one name only
        "pyarrow/libparquet.so": b"parquet, built apart",  # not the same bytes
        "pyarrow/libparquet.so.2600": b"parquet",
        "other/libarrow_python.so.2600.1.0": b"python",  # another folder
        "other/liba.so": b"a",  # no name with one version number
        "other/liba.so.1.0": b"a",
    }
    for name, content in files.items():
        (site / name).write_bytes(content)
    found = {
        str(path.relative_to(site)): str(kept.relative_to(site))
        for path, kept in slim.copies(site).items()
    }
    assert found == {
        "pyarrow/libarrow_python.so": "pyarrow/libarrow_python.so.2600",
        "pyarrow/libarrow_python.so.2600.1.0": "pyarrow/libarrow_python.so.2600",
    }
