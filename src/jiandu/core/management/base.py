"""The base class of the platform's own management commands.

Django runs its whole system-check suite before every management command unless the
command says otherwise. The suite imports the URLconf (every view module and the API
with its schemas) and inspects every model, form and template setting: on this
platform that is most of a working command's start-up (bench/cli_startup.py,
docs/benchmarks.md). The operational commands (``import``, ``board close``, ``audit
verify`` …) therefore skip it; the checks run where they belong: ``jiandu check`` (``make
check``, CI), ``jiandu check --deploy`` at installation (docs/operations.md), and
``migrate``/``runserver``, which run them themselves as before.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand


class PlatformCommand(BaseCommand):
    """A platform command: starts without Django's system checks (see the module)."""

    requires_system_checks: tuple[str, ...] = ()  # none (Django's default: all)
