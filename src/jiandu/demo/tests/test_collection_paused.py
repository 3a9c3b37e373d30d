"""The demo's relatives step runs with Python's cyclic collector paused (its first load of
the comparison engine otherwise spends seconds walking the demo's heap) through the
shared ``core.db.collector_paused``, which leaves the collector as it found it."""

from __future__ import annotations

import gc

import pytest

from jiandu.core.db import collector_paused


@pytest.mark.parametrize("enabled", [True, False])
def test_collection_is_paused_and_put_back(enabled):
    was = gc.isenabled()
    try:
        (gc.enable if enabled else gc.disable)()
        with collector_paused():
            assert not gc.isenabled()
        assert gc.isenabled() is enabled
        with pytest.raises(RuntimeError), collector_paused():
            raise RuntimeError("the step failed")
        assert gc.isenabled() is enabled
    finally:
        (gc.enable if was else gc.disable)()
