"""``make demo`` checks its port before it builds anything, and says how to change it."""

from __future__ import annotations

import re
import shutil
import socket
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.skipif(shutil.which("make") is None, reason="needs make")


def _check_port(port: int) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["make", "-s", "check-port", f"PORT={port}", f"PYTHON={sys.executable}"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_a_taken_port_fails_naming_port():
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen()
        port = server.getsockname()[1]
        done = _check_port(port)
    assert done.returncode != 0
    assert f"端口 {port} 已被占用" in done.stderr
    assert "PORT=" in done.stderr


def test_a_free_port_passes():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    assert _check_port(port).returncode == 0


def test_demo_and_dev_check_the_port_first():
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    for target in ("demo", "dev"):
        prerequisites = re.search(rf"^{target}:(.*)$", makefile, re.M).group(1).split()
        assert prerequisites[0] == "check-port"
