"""The small demo's relatives step (``demo.inspections._pool_relatives``: three small
户籍人口 / 亲属关系 / 干部名册 imports) with Python's cyclic garbage collector paused
(ours, ``core.db.collector_paused``) and running (naive, as before), in one run.

The step is a process's first use of the comparison engine, so each variant needs a
fresh process: each builds the small demo (``jiandu.testing.SMALL_DEMO_SCALE``) into its
own SQLite database under a temporary folder and reports the step's wall time, the
objects the collector tracks before and after it, and the whole build. Usage::

    PYTHONPATH=src .venv/bin/python bench/demo_relatives_gc.py [--repeat 1]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile

CHILD = r"""
import contextlib, gc, json, os, sys, time
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jiandu.settings")
import django
django.setup()
from django.core.management import call_command
call_command("migrate", verbosity=0)
import jiandu.demo.inspections as di
from jiandu.testing import SMALL_DEMO_SCALE, SMALL_DEMO_TODAY
if sys.argv[1] == "naive":
    di.collector_paused = contextlib.nullcontext
step = {}
original = di._pool_relatives
def timed(**kwargs):
    step["objects_before"] = len(gc.get_objects())
    started = time.perf_counter()
    try:
        return original(**kwargs)
    finally:
        step["seconds"] = time.perf_counter() - started
        step["objects_after"] = len(gc.get_objects())
di._pool_relatives = timed
from jiandu.core.audit import sealing_without_pauses
from jiandu.demo.build import build_demo
started = time.perf_counter()
with sealing_without_pauses():
    build_demo(scale=SMALL_DEMO_SCALE, today=SMALL_DEMO_TODAY)
step["build"] = time.perf_counter() - started
print(json.dumps(step))
"""


def run(variant: str) -> dict[str, float]:
    with tempfile.TemporaryDirectory(prefix="demo-relatives-gc-") as folder:
        env = {**os.environ, "JIANDU_VAR_DIR": folder, "JIANDU_DATA_DIR": f"{folder}/data"}
        env.pop("DATABASE_URL", None)
        out = subprocess.run([sys.executable, "-c", CHILD, variant], env=env, check=True,
                             capture_output=True, text=True).stdout  # fmt: skip
    return json.loads(out.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=1)
    args = parser.parse_args()
    print(f"load: {os.getloadavg()[0]:.2f}", flush=True)
    for i in range(args.repeat):
        for variant in ("naive", "ours"):
            r = run(variant)
            print(f"run {i + 1} {variant:5}: relatives step {r['seconds']:.2f} s "
                  f"(tracked objects {r['objects_before']:,} → {r['objects_after']:,}), "
                  f"whole build {r['build']:.1f} s", flush=True)  # fmt: skip
    print(f"load: {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
