import gc
import subprocess
import sys

from jiandu.core.warmup import warm_up


def test_warm_up_freezes_what_exists_after_the_urls_are_loaded():
    try:
        warm_up()
        assert gc.get_freeze_count() > 10_000
    finally:
        gc.unfreeze()


def test_the_wsgi_entry_point_warms_up():
    code = (
        "import gc, sys\n"
        "before = sum(g['collections'] for g in gc.get_stats())\n"
        "import jiandu.wsgi\n"
        "print(sum(g['collections'] for g in gc.get_stats()) - before, gc.isenabled())\n"
        "print('openpyxl' in sys.modules and 'docx' in sys.modules)\n"
        "print(gc.get_freeze_count())"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120
    )
    started, writers, frozen = out.stdout.strip().splitlines()[-3:]
    assert int(frozen) > 10_000
    assert writers == "True", "the export libraries are loaded (and frozen) by the warm-up"
    collections, enabled = started.split()
    # The warm-up's own full collection (it counts in each generation it covers).
    assert int(collections) <= 3, f"{collections} collections while the worker started"
    assert enabled == "True"
