"""The docs match the code: every link and repository path in README and docs/ exists,
every ``make`` target they name is in the Makefile, and every ``jiandu`` command they
show runs with ``--help``."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").rglob("*.md"))]
# Where the commands a user types are shown.
COMMAND_DOCS = [ROOT / "README.md", ROOT / "docs" / "operations.md",
                *sorted((ROOT / "docs" / "user-guide").glob("*.md"))]  # fmt: skip

FENCE = re.compile(r"^```[^\n]*\n(.*?)^```", re.S | re.M)
INLINE = re.compile(r"(?<!`)`([^`\n]+)`(?!`)")
LINK = re.compile(r"\[[^\]]*\]\(([^)\s]+)\)")
COMMAND_START = re.compile(
    r"^(?:\$\s*)?(?:[A-Z_]+=\S*\s+)*(?:\S*/)?(?:\.venv/bin/)?jiandu\s+(?P<rest>.+)$"
)


def _rel(path: Path) -> str:
    return str(path.relative_to(ROOT))


def code_texts(path: Path) -> tuple[list[str], list[str]]:
    """(lines of fenced code blocks, inline code spans) of one Markdown file."""
    text = path.read_text(encoding="utf-8")
    block_lines = [line for block in FENCE.findall(text) for line in block.splitlines()]
    prose = FENCE.sub("", text)
    return block_lines, INLINE.findall(prose)


def documented_links() -> list[tuple[str, str]]:
    found = []
    for doc in DOCS:
        text = FENCE.sub("", doc.read_text(encoding="utf-8"))
        for target in LINK.findall(text):
            if re.match(r"^[a-z]+:", target) or target.startswith("#"):
                continue
            found.append((_rel(doc), target.split("#", 1)[0]))
    return found


BARE_PATH = re.compile(r"(?<![\w/.])(?:src|docs|bench|tests|scripts)/[\w./-]*[\w]")
MARKDOWN_NAME = re.compile(r"^[\w-]+\.md$")


def documented_paths() -> list[tuple[str, str]]:
    """Repository paths named anywhere (code spans and prose), and Markdown file names
    written alone in a code span (they must exist in the repository)."""
    found = set()
    for doc in DOCS:
        text = doc.read_text(encoding="utf-8")
        for candidate in BARE_PATH.findall(text):
            candidate = candidate.rstrip("/.")
            if not re.search(r"[*{}<>]|YYYY", candidate):
                found.add((_rel(doc), candidate))
        _, spans = code_texts(doc)
        for span in spans:
            if MARKDOWN_NAME.match(span.strip()):
                found.add((_rel(doc), span.strip()))
    return sorted(found)


def documented_commands() -> list[tuple[str, tuple[str, ...]]]:
    """(doc, (command, subcommand?)) for every ``jiandu`` command line shown."""
    found: set[tuple[str, tuple[str, ...]]] = set()
    for doc in COMMAND_DOCS:
        lines, spans = code_texts(doc)
        for line in [*lines, *spans]:
            line = line.split("#", 1)[0].strip()
            match = COMMAND_START.match(line)
            if not match:
                continue
            try:
                words = shlex.split(match["rest"].replace("\\|", "|"))
            except ValueError:
                words = match["rest"].split()
            if not words or not re.fullmatch(r"[a-z][a-z_-]*", words[0]):
                continue
            command = (words[0],)
            if len(words) > 1 and re.fullmatch(r"[a-z][a-z-]*", words[1]):
                command = (words[0], words[1])
            found.add((_rel(doc), command))
    return sorted(found)


@pytest.mark.parametrize(("doc", "target"), documented_links())
def test_links_resolve(doc, target):
    assert (ROOT / doc).parent.joinpath(target).resolve().exists(), f"{doc}: {target}"


@pytest.mark.parametrize(("doc", "path"), documented_paths())
def test_repository_paths_exist(doc, path):
    if "/" not in path:  # a Markdown file named alone: anywhere in the repository
        assert list(ROOT.glob(f"**/{path}")), f"{doc} names {path}, which does not exist"
        return
    assert (ROOT / path).exists(), f"{doc} names {path}, which does not exist"


def test_make_targets_exist():
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    targets = set(re.findall(r"^([a-z][\w-]*):", makefile, re.M))
    named = set()
    for doc in DOCS:
        lines, spans = code_texts(doc)
        for text in [*lines, *spans]:
            if "apt" in text:  # "apt-get install make …" names the package
                continue
            named.update(re.findall(r"(?:^|\s)make\s+([a-z][\w-]*)", text))
    assert named, "the docs name no make target"
    assert named - targets == set()


def test_the_docs_show_commands():
    commands = {command[0] for _, command in documented_commands()}
    assert {"demo", "board", "datacheck", "audit", "import"} <= commands


@pytest.mark.django_db
@pytest.mark.parametrize(("doc", "command"), documented_commands())
def test_documented_commands_run_with_help(doc, command, capsys, monkeypatch):
    from django.db import connections

    from jiandu.cli import main

    monkeypatch.setattr(connections, "close_all", lambda: None)
    words = list(command)
    with pytest.raises(SystemExit) as stop:
        main([*words, "--help"])
    out = capsys.readouterr()
    if stop.value.code not in (0, None) and len(words) == 2:
        # The second word was an argument (a file, a kind), not a subcommand.
        with pytest.raises(SystemExit) as stop:
            main([words[0], "--help"])
        out = capsys.readouterr()
    assert stop.value.code in (0, None), f"{doc}: jiandu {' '.join(words)} --help\n{out.err}"
    assert out.out.strip()
