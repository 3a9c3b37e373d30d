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
        "import gc, sys, jiandu.wsgi; "
        "print('openpyxl' in sys.modules and 'docx' in sys.modules); print(gc.get_freeze_count())"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120
    )
    writers, frozen = out.stdout.strip().splitlines()[-2:]
    assert int(frozen) > 10_000
    assert writers == "True", "the export libraries are loaded (and frozen) by the warm-up"
