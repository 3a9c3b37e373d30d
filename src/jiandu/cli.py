"""The ``jiandu`` command line.

``jiandu <command> ...`` runs the Django management command of that name, so every batch
job (``demo``, ``import``, ``board``, ``datacheck``, ``audit``, ``tasks``) and the usual
Django ones (``migrate``, ``runserver``, ``createsuperuser``) share one entry point.
"""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jiandu.settings")
    from django.core.management import execute_from_command_line

    args = sys.argv[1:] if argv is None else argv
    execute_from_command_line(["jiandu", *args])


if __name__ == "__main__":
    main()
