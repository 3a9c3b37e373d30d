"""Ready a web process before its first request.

The URL configuration imports every view, API router and schema the first time a request
is resolved; the objects created then (and by ``django.setup()``) live as long as the
process. Python's cyclic garbage collector walks all of them on every full (oldest
generation) collection: measured on the clue list, one such collection took 117 ms in the
middle of a request, the slowest request of 300. ``gc.freeze()`` moves every object that
exists now to a permanent generation that collections skip, so a request pays only for
its own garbage.
"""

from __future__ import annotations

import gc

# What the pages' downloads write with: .xlsx (openpyxl) and .docx (python-docx).
EXPORT_LIBRARIES = ("openpyxl", "docx")


def warm_up() -> None:
    """Import the whole URL configuration, collect once, freeze what is left.

    Called by the WSGI entry point (so by every gunicorn worker) after the application
    is built, and by the task worker when it starts; benchmarks call it too, so that
    they measure what a worker does. The imports run with the collector paused: what
    they build lives as long as the process, and collections meanwhile would only walk
    it again and again (the one collection at the end clears what is garbage)."""
    import importlib

    from django.urls import get_resolver

    from jiandu.core.db import collector_paused

    with collector_paused():
        get_resolver().url_patterns  # noqa: B018 - imports every urls, views and api module
        # The export libraries are imported by the views that write a file, not with the
        # views (so that commands and checks do without them); a web process loads them
        # now, so its first download does not wait for them and their objects are frozen.
        for name in EXPORT_LIBRARIES:
            importlib.import_module(name)
    gc.collect()
    gc.freeze()
