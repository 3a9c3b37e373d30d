"""``manage.py datacheck ...`` / ``jiandu datacheck ...``: the comparison engine's CLI.

Everything after ``datacheck`` is handed to ``jiandu.datacheck.engine.cli.main``, which
documents the sub-commands (run, rules, import, generate).
"""

from __future__ import annotations

import argparse

from django.core.management.base import CommandError

from jiandu.core.management.base import PlatformCommand
from jiandu.datacheck.engine.cli import main


class Command(PlatformCommand):
    help = "大数据比对：run / rules / import / generate（详见 --help）"

    def add_arguments(self, parser: argparse.ArgumentParser) -> None:
        parser.add_argument("args", nargs=argparse.REMAINDER)

    def run_from_argv(self, argv: list[str]) -> None:
        # Hand every option to the engine's own parser, including --help and --json.
        # _out is the stream OutputWrapper writes to (its write ends every call with a
        # newline); the stubs type OutputWrapper's attributes through __getattr__ as Callable.
        status = main(argv[2:], stdout=self.stdout._out, stderr=self.stderr._out)  # type: ignore[arg-type]
        if status:
            raise SystemExit(status)

    def handle(self, *args: str, **options: object) -> None:
        status = main(list(args), stdout=self.stdout._out, stderr=self.stderr._out)  # type: ignore[arg-type]
        if status:
            raise CommandError(f"datacheck 退出码 {status}", returncode=status)
