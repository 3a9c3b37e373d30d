"""Slim the runtime virtualenv that ``make install`` (and so ``make demo``) builds.

Third-party wheels ship their own test suites (pandas alone 46 MB), Django ships the
translations of a hundred languages, and pyarrow brings optional components the
platform never loads. This removes:

* test suites inside third-party packages and foreign-language translations;
* what only a compiler or a type checker reads: C/C++ headers and sources (Cython's
  generated ``.c`` files, numpy's examples and f2py sources), Cython sources, ``.pyi``;
* pyarrow's optional components for remote data (Flight RPC, the S3 file system) and its
  C++ test module: the platform reads and writes local files only, and pyarrow itself
  treats these as optional (``pyarrow.fs`` lists S3 as not built; ``pyarrow.flight``
  would fail to import, and nothing imports it).

A native library a wheel ships under several names (``libarrow_python.so``,
``libarrow_python.so.2600``, ``libarrow_python.so.2600.1.0``: wheels cannot hold
symbolic links, so each name is a full copy) is kept once, under the name the loader
asks for (one version number, the library's ``SONAME``); the other names become symbolic
links to it (:func:`copies`).

Symbol tables are left in the native libraries: ``strip --strip-unneeded`` would save
about 30 MB more, but on this wheel set it broke the libraries numpy bundles (numpy no
longer imported), and a stripped library that fails only on a path nobody tried is not a
saving worth having. :data:`SMOKE` loads and exercises every native library the platform
uses once the removals are done; the install stops if it fails.

Then it compiles every remaining module to bytecode, so that no command pays for
compiling at start-up, and prints the size of the environment.

Usage: python scripts/slim_venv.py VENV
"""

from __future__ import annotations

import compileall
import re
import shutil
import subprocess
import sys
from pathlib import Path

# Translations kept: the platform's language, and English (Django's source language).
KEEP_LOCALES = {"zh_Hans", "zh_CN", "en"}
# Read only when compiling or type checking.
BUILD_ONLY_SUFFIXES = {".h", ".hpp", ".c", ".cc", ".cpp", ".pxd", ".pyx", ".pxi", ".pyi"}
# pyarrow's optional remote-data components and its C++ test module (file name prefixes
# inside the pyarrow package).
PYARROW_OPTIONAL = (
    "_flight.",
    "libarrow_flight.",
    "libarrow_python_flight.",
    "_s3fs.",
    "libarrow_s3.",
    "_pyarrow_cpp_tests.",
)

# Every native library the platform uses, loaded and made to work once.
SMOKE = """
import io
import duckdb, pyarrow as pa, pyarrow.compute as pc, pyarrow.dataset, pyarrow.parquet as pq
import ibis, pandas, numpy
table = pa.table({"a": [1, 2, 3], "b": ["x", "y", "z"]})
assert pc.sum(table["a"]).as_py() == 6
buffer = io.BytesIO()
pq.write_table(table, buffer)
assert pq.read_table(io.BytesIO(buffer.getvalue())).num_rows == 3
con = ibis.duckdb.connect()
assert con.create_table("t", table).a.sum().execute() == 6
assert duckdb.connect().execute("select 42").fetchall() == [(42,)]
assert pandas.DataFrame({"a": numpy.arange(3)}).a.sum() == 3
from ortools.sat.python import cp_model
model = cp_model.CpModel()
x = model.new_int_var(0, 5, "x")
model.add(x >= 3)
model.maximize(x)
solver = cp_model.CpSolver()
assert solver.solve(model) == cp_model.OPTIMAL and solver.value(x) == 5
import matplotlib; matplotlib.use("Agg")
from matplotlib.figure import Figure
from matplotlib.backends.backend_agg import FigureCanvasAgg
figure = Figure()
figure.add_subplot().bar([1, 2], [3, 4])
FigureCanvasAgg(figure).print_png(io.BytesIO())
import PIL.Image, qrcode, lxml.etree, openpyxl, docx, psycopg, rapidfuzz.fuzz, pydantic_core
import cryptography.fernet
fernet = cryptography.fernet.Fernet(cryptography.fernet.Fernet.generate_key())
assert fernet.decrypt(fernet.encrypt(b"x")) == b"x"
qrcode.make("jiandu").save(io.BytesIO())
print("ok")
"""


def site_packages(venv: Path) -> Path:
    found = sorted(venv.glob("lib/python3*/site-packages"))
    if not found:
        raise SystemExit(f"{venv} 不是虚拟环境（找不到 site-packages）")
    return found[0]


def _third_party(site: Path, path: Path) -> bool:
    top = path.relative_to(site).parts[0]
    return not top.startswith(("jiandu", "__editable__"))


def removable(site: Path) -> list[Path]:
    """Test suites inside third-party packages, foreign-language translations, files
    only a compiler or type checker reads, and pyarrow's optional components."""
    out: list[Path] = []
    for path in site.rglob("*"):
        if path.is_symlink() or not _third_party(site, path):
            continue
        if path.is_dir():
            if (path.name == "tests" and len(path.relative_to(site).parts) > 1) or (
                path.parent.name == "locale" and path.name not in KEEP_LOCALES
            ):
                out.append(path)
        elif path.suffix in BUILD_ONLY_SUFFIXES or (
            path.relative_to(site).parts[0] == "pyarrow"
            and path.parent.name == "pyarrow"
            and path.name.startswith(PYARROW_OPTIONAL)
        ):
            out.append(path)
    # Keep only the outermost of nested matches.
    out.sort()
    kept: list[Path] = []
    for path in out:
        if not kept or not path.is_relative_to(kept[-1]):
            kept.append(path)
    return kept


# ``libname.so``, ``libname.so.26``, ``libname.so.26.0.1``: the name, and its version.
_NATIVE_NAME = re.compile(r"(?P<base>.+\.so)(?P<version>(?:\.\d+)*)$")


def copies(site: Path) -> dict[Path, Path]:
    """Native libraries shipped as identical copies under several names -> the copy
    kept: the name with one version number (``libarrow_python.so.2600``, which the
    loader asks for). Only files with the same bytes, in the same folder."""
    groups: dict[tuple[Path, str], dict[int, Path]] = {}
    for path in site.rglob("*.so*"):
        match = _NATIVE_NAME.match(path.name)
        if match is None or path.is_symlink() or not path.is_file():
            continue
        numbers = match["version"].count(".")
        groups.setdefault((path.parent, match["base"]), {})[numbers] = path
    out: dict[Path, Path] = {}
    for names in groups.values():
        kept = names.get(1)
        if kept is None or len(names) < 2:
            continue
        content = kept.read_bytes()
        for path in names.values():
            same_size = path != kept and path.stat().st_size == len(content)
            if same_size and path.read_bytes() == content:
                out[path] = kept
    return out


def smoke(python: Path) -> subprocess.CompletedProcess[str]:
    """Run :data:`SMOKE` in a fresh interpreter of the environment."""
    return subprocess.run(
        [str(python), "-c", SMOKE], capture_output=True, text=True, check=False, timeout=300
    )


def size_mb(path: Path) -> float:
    total = sum(f.stat().st_size for f in path.rglob("*") if f.is_file() and not f.is_symlink())
    return total / 1024 / 1024


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print(__doc__.strip().splitlines()[-1], file=sys.stderr)
        return 2
    venv = Path(argv[0])
    site = site_packages(venv)
    for path in removable(site):
        if path.is_dir():
            shutil.rmtree(path, ignore_errors=True)
        else:
            path.unlink(missing_ok=True)
    for path, kept in copies(site).items():
        path.unlink()
        path.symlink_to(kept.name)
    check = smoke(venv / "bin" / "python")
    if check.returncode != 0 or check.stdout.strip() != "ok":
        print("运行环境自检未通过（本地库无法载入或运行）：", check.stderr[-800:], file=sys.stderr)
        return 1
    compileall.compile_dir(str(site), quiet=1, workers=0)
    print(f"运行环境 {venv}：{size_mb(venv):.0f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
