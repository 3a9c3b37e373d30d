"""Reference data (deadline rules, problem sources, categories …): each app that has
some installs it with one function, ``install_reference_data(apps)`` in its
``reference`` module. The app's data migration calls it with the historical models;
:func:`ensure_reference_data` calls every app's after a flush (``jiandu demo --reset``,
transactional tests), which keeps the migrations recorded as applied, so they do not
run again. Each function only adds what is missing: a row changed or archived on the
pages stays as it is."""

from __future__ import annotations

from importlib import import_module
from typing import Any

from django.apps import apps as global_apps
from django.utils.module_loading import module_has_submodule


def ensure_reference_data(apps: Any = global_apps) -> None:
    """Install every app's reference data where it is missing (apps in the order of
    ``INSTALLED_APPS``)."""
    for config in global_apps.get_app_configs():
        if config.name.startswith("jiandu.") and module_has_submodule(config.module, "reference"):
            module = import_module(f"{config.name}.reference")
            install = getattr(module, "install_reference_data", None)
            if install is not None:
                install(apps)
