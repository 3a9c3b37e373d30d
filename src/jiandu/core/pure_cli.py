"""What every pure calculator on the command line shares (``jiandu board rank``,
``jiandu index compute``, ``jiandu dossier opinion``, ``jiandu inspection draw``): reading
an input file in UTF-8 or GB 18030, errors naming the file's rows as a list of lines,
argparse's usage errors raised rather than printed under ``--json``, and the JSON error
body. Standard library only: these commands start without Django."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

if TYPE_CHECKING:
    from _typeshed import SupportsWrite


class InputError(Exception):
    """Bad input files; ``lines`` are the messages to print, one per problem."""

    def __init__(self, lines: Sequence[str]):
        self.lines = list(lines)
        super().__init__("\n".join(self.lines))


class UsageError(Exception):
    """A command-line usage error (argparse's), raised instead of printed with --json."""


def raise_usage(message: str) -> NoReturn:
    raise UsageError(message)


def read_text(path: Path) -> str:
    """The file's text: UTF-8 (with or without BOM) or GB 18030, as spreadsheets save it."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError([f"无法读取文件 {path}：{exc.strerror or exc}"]) from None
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise InputError([f"{path}：无法识别文件编码，请保存为 UTF-8"])


def json_error(err: SupportsWrite[str], lines: Sequence[str], code: int) -> int:
    """Write the JSON error body (``{"ok": false, "error", "errors", "code"}``); returns
    ``code`` for the exit status."""
    body = {"ok": False, "error": "；".join(lines), "errors": list(lines), "code": code}
    err.write(json.dumps(body, ensure_ascii=False) + "\n")
    return code
