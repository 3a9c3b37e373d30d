"""Slim the runtime virtualenv that ``make install`` (and so ``make demo``) builds.

Third-party wheels ship their own test suites (pandas alone 46 MB) and Django ships the
translations of a hundred languages; the platform imports neither. This removes them,
then compiles every remaining module to bytecode so that no command pays for compiling
at start-up, and prints the size of the environment.

Usage: python scripts/slim_venv.py VENV
"""

from __future__ import annotations

import compileall
import shutil
import sys
from pathlib import Path

# Translations kept: the platform's language, and English (Django's source language).
KEEP_LOCALES = {"zh_Hans", "zh_CN", "en"}


def site_packages(venv: Path) -> Path:
    found = sorted(venv.glob("lib/python3*/site-packages"))
    if not found:
        raise SystemExit(f"{venv} 不是虚拟环境（找不到 site-packages）")
    return found[0]


def removable(site: Path) -> list[Path]:
    """Test suites inside third-party packages and foreign-language translations."""
    out: list[Path] = []
    for path in site.rglob("*"):
        if not path.is_dir() or path.is_symlink():
            continue
        top = path.relative_to(site).parts[0]
        if top.startswith(("jiandu", "__editable__")):
            continue
        if (path.name == "tests" and len(path.relative_to(site).parts) > 1) or (
            path.parent.name == "locale" and path.name not in KEEP_LOCALES
        ):
            out.append(path)
    # Keep only the outermost of nested matches.
    out.sort()
    kept: list[Path] = []
    for path in out:
        if not kept or not path.is_relative_to(kept[-1]):
            kept.append(path)
    return kept


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
        shutil.rmtree(path, ignore_errors=True)
    compileall.compile_dir(str(site), quiet=1, workers=0)
    print(f"运行环境 {venv}：{size_mb(venv):.0f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
