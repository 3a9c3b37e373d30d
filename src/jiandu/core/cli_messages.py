"""Chinese wording for argparse's usage errors (Python ships no Chinese catalogue), shared
by the ``jiandu`` entry point and the pure calculators. No Django import: the calculators
run without it."""

from __future__ import annotations

import re

_PATTERNS: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"^the following arguments are required: (.+)$"), "缺少必需的参数：{0}"),
    (re.compile(r"^unrecognized arguments: (.+)$"), "无法识别的参数：{0}"),
    (
        re.compile(r"^argument (\S+): invalid choice: (.+?) \(choose from (.+)\)$"),
        "参数 {0} 的取值 {1} 无效，可选：{2}",
    ),
    (re.compile(r"^argument (\S+): invalid (\w+) value: (.+)$"), "参数 {0} 的值 {2} 无效"),
    (re.compile(r"^argument (\S+): expected one argument$"), "参数 {0} 需要一个值"),
    (re.compile(r"^one of the arguments (.+) is required$"), "参数 {0} 至少要给出一个"),
    (
        re.compile(r"^argument (\S+): not allowed with argument (\S+)$"),
        "参数 {0} 不能与 {1} 同时使用",
    ),
]


def usage_message(text: str) -> str:
    """argparse's message in Chinese where its form is known; otherwise unchanged."""
    text = text.strip().removeprefix("Error: ")
    for pattern, template in _PATTERNS:
        match = pattern.match(text)
        if match:
            return template.format(*match.groups())
    return text
