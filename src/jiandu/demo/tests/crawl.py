"""A link crawler over the demo: each account, logged in, starts at ``/`` and follows the
internal GET links its pages show (``href`` and htmx ``hx-get``), breadth first.

It records, per account: server errors (the exception, as the test client raises it),
links shown on a page that answer 403/404 (or send the user to the login page) for the
same account, downloads that fail, GET requests that write to the database, and text of
the pages a reader should never see (code-like text, Django's default English messages,
12-digit region codes).

Bounded: paths are normalised (numeric and id segments, numeric query values replaced
by a placeholder), at most :data:`PER_PATTERN` concrete URLs per pattern and
:data:`MAX_PAGES` pages per account. Each request runs in a transaction rolled back after
it, so the crawl leaves the database as it found it.

Run against a database of one's own (``jiandu demo`` built it)::

    JIANDU_VAR_DIR=… JIANDU_DEBUG=0 DJANGO_SETTINGS_MODULE=jiandu.settings \\
        python -m jiandu.demo.tests.crawl [--max-pages=N] [username …]
"""

from __future__ import annotations

import io
import json
import re
import sys
import time
import traceback
import zipfile
from collections import deque
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit

PER_PATTERN = 2
MAX_PAGES = 300

# Never followed: leaving the session, static files, the API (its own tests), the
# language switch.
_SKIPPED = re.compile(r"^/(?:accounts/logout|static/|api/|i18n/)")
# A path segment that names a record (numbers, uuids, dates, long hex/ids).
_ID_SEGMENT = re.compile(
    r"^(?:\d+|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|[0-9a-f]{16,}"
    r"|\d{4}-\d{2}(?:-\d{2})?|[\w-]*\d[\w-]*)$",
    re.IGNORECASE,
)
# Tables a GET may write: the session, login bookkeeping, the audit trail of reads
# (identity views and exports are audited), the cache table, the count of person
# look-ups (rate limit).
_WRITES_ALLOWED = re.compile(
    r"^(?:django_session|axes_\w+|core_audit\w*|django_cache\w*|core_ratecount)$"
)
# A GET that writes on purpose: opening a message from the inbox marks it read (a read
# receipt) and goes on to its record.
_WRITES_ALLOWED_AT = [(re.compile(r"^/inbox/\d+/$"), {"inbox_message"})]
_WRITE_SQL = re.compile(
    r'^\s*(?:INSERT\s+(?:OR\s+\w+\s+)?INTO|UPDATE|DELETE\s+FROM)\s+"?(\w+)"?', re.IGNORECASE
)
_SKIPPED_TAGS = {"script", "style", "template", "code", "pre", "textarea"}
# The source records of a comparison hit: the imported file's own cells, as they were.
_RAW_DATA = "dc-source"
_VISIBLE_ATTRS = ("title", "placeholder", "aria-label", "alt")
# A tooltip that says it shows a code ("代码：clues_received", "行政区划代码 530102001003").
_CODE_TOOLTIP = re.compile(r"^(?:行政区划)?代码")
# Django's default English messages a Chinese page must not show.
_ENGLISH_MESSAGES = re.compile(
    r"\b(?:This field is required|Enter a valid|Select a valid choice|Ensure this value"
    r"|Page not found|Server Error|Forbidden|Not Found|Bad Request|Page \d+ of \d+"
    r"|Previous|Next|Submit|Save|Delete|Cancel|Yes|No|Unknown|Are you sure)\b"
)
# A 12-digit region code on its own (in （…） after the place's name it is fine; digits
# inside a longer word, such as an audit entry's hexadecimal hash, are not a code).
_REGION_CODE = re.compile(r"(?<![0-9A-Za-z（])\d{12}(?![0-9A-Za-z])")
_ENGLISH_WORD = re.compile(r"(?<![A-Za-z0-9_./@-])[A-Za-z]{2,}(?![A-Za-z0-9_@])")


@dataclass
class Finding:
    kind: str  # error | broken-link | download | writes | leak | login
    url: str
    detail: str
    source: str = ""

    def __str__(self) -> str:
        via = f" (linked from {self.source})" if self.source else ""
        return f"[{self.kind}] {self.url}{via}: {self.detail}"


@dataclass
class AccountCrawl:
    username: str
    pages: int = 0
    patterns: set[str] = field(default_factory=set)
    findings: list[Finding] = field(default_factory=list)
    english: dict[str, str] = field(default_factory=dict)  # English word -> first URL
    seconds: float = 0.0
    timings: list[tuple[float, str]] = field(default_factory=list)  # (seconds, URL)


class _Page(HTMLParser):
    """Links (``a href``, any ``hx-get``) and the visible text of a page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[tuple[str, bool]] = []  # (url, is htmx)
        self.text: list[str] = []
        self.skipping: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "a" and values.get("href"):
            self.links.append((values["href"] or "", False))
        if values.get("hx-get"):
            self.links.append((_with_vals(values["hx-get"] or "", values.get("hx-vals")), True))
        if tag in _SKIPPED_TAGS or _RAW_DATA in (values.get("class") or "").split():
            self.skipping.append(tag)
        elif not self.skipping:
            self.text += [
                value
                for a in _VISIBLE_ATTRS
                if (value := values.get(a) or "") and not _CODE_TOOLTIP.match(value)
            ]

    def handle_endtag(self, tag: str) -> None:
        if self.skipping and self.skipping[-1] == tag:
            self.skipping.pop()

    def handle_data(self, data: str) -> None:
        if not self.skipping and data.strip():
            self.text.append(data)


def _with_vals(url: str, vals: str | None) -> str:
    """An ``hx-get`` URL with the parameters of its static ``hx-vals`` (JSON) added."""
    if not vals or vals.lstrip().startswith(("js:", "javascript:")):
        return url
    try:
        extra = json.loads(vals)
    except ValueError:
        return url
    if not isinstance(extra, dict) or not extra:
        return url
    return url + ("&" if "?" in url else "?") + urlencode({k: str(v) for k, v in extra.items()})


# Query parameters whose values show the same page another way (order, page number).
_ANY_VALUE = {"sort", "page", "next", "cursor"}


def pattern_of(url: str) -> str:
    """``/clues/123/?page=2&status=open`` → ``/clues/<id>/?page=<v>&status=open``."""
    parts = urlsplit(url)
    path = "/".join("<id>" if _ID_SEGMENT.match(s) else s for s in parts.path.split("/"))
    query = sorted(
        (k, "<v>" if k in _ANY_VALUE or re.search(r"\d", v) or len(v) > 20 else v)
        for k, v in parse_qsl(parts.query, keep_blank_values=True)
    )
    return path + ("?" + urlencode(query, safe="<>") if query else "")


def _internal(href: str, base: str) -> str | None:
    href = href.strip()
    if not href or href.startswith(("#", "mailto:", "tel:", "javascript:", "data:")):
        return None
    if "{" in href or "${" in href:  # a template for scripts to fill in
        return None
    full = urljoin(base, href)
    parts = urlsplit(full)
    if parts.netloc not in ("", "testserver") or parts.scheme not in ("", "http", "https"):
        return None
    url = parts.path + ("?" + parts.query if parts.query else "")
    return None if _SKIPPED.match(parts.path) else url


def _check_download(response: Any, content: bytes) -> str:
    kind = response.get("Content-Type", "")
    if not content:
        return f"empty {kind}"
    zipped = "openxmlformats" in kind or kind.endswith("zip")
    if zipped and not zipfile.is_zipfile(io.BytesIO(content)):
        return f"not a valid {kind}"
    if kind.startswith("application/pdf") and not content.startswith(b"%PDF"):
        return "not a PDF"
    return ""


def leaks(text: str) -> list[str]:
    """Pieces of a page's visible text a reader should never see."""
    from jiandu.testing import _CODE_LIKE

    found: list[str] = []
    for pattern in _CODE_LIKE:
        found += [m.group(0) for m in pattern.finditer(text)]
    found += [f"English: {m.group(0)}" for m in _ENGLISH_MESSAGES.finditer(text)]
    found += [f"region code: {m.group(0)}" for m in _REGION_CODE.finditer(text)]
    return found


class _Writes:
    """Counts the tables a request writes to (connection.execute_wrapper)."""

    def __init__(self) -> None:
        self.tables: set[str] = set()

    def __call__(self, execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        match = _WRITE_SQL.match(sql)
        if match and not _WRITES_ALLOWED.match(match.group(1)):
            self.tables.add(match.group(1))
        return execute(sql, params, many, context)


def crawl_account(
    username: str, *, max_pages: int = MAX_PAGES, per_pattern: int = PER_PATTERN
) -> AccountCrawl:
    from django.conf import settings
    from django.db import connection, transaction
    from django.shortcuts import resolve_url
    from django.test import Client

    from jiandu.accounts.models import User

    result = AccountCrawl(username)
    started = time.monotonic()
    client = Client(raise_request_exception=True)
    client.force_login(User.objects.get(username=username))
    login_url = resolve_url(settings.LOGIN_URL)
    seen: set[str] = set()
    per: dict[str, int] = {}
    queue: deque[tuple[str, bool, str]] = deque([("/", False, "")])

    def enqueue(url: str, htmx: bool, source: str) -> None:
        if url in seen:
            return
        pattern = pattern_of(url)
        if per.get(pattern, 0) >= per_pattern:
            return
        per[pattern] = per.get(pattern, 0) + 1
        seen.add(url)
        queue.append((url, htmx, source))

    seen.add("/")
    per[pattern_of("/")] = 1
    while queue and result.pages < max_pages:
        url, htmx, source = queue.popleft()
        result.pages += 1
        result.patterns.add(pattern_of(url))
        headers = {"HX-Request": "true"} if htmx else {}
        writes = _Writes()
        asked = time.monotonic()
        try:
            with transaction.atomic(), connection.execute_wrapper(writes):
                response = client.get(url, headers=headers)
                content = (
                    b"".join(response.streaming_content) if response.streaming else response.content
                )
                transaction.set_rollback(True)
        except Exception as exc:  # every failure is a finding
            tb = "".join(traceback.format_exception(exc)[-6:])
            result.findings.append(Finding("error", url, tb.strip(), source))
            continue
        result.timings.append((time.monotonic() - asked, url))
        path = urlsplit(url).path
        for at, tables in _WRITES_ALLOWED_AT:
            if at.match(path):
                writes.tables -= tables
        if writes.tables:
            result.findings.append(
                Finding("writes", url, "GET writes " + ", ".join(sorted(writes.tables)), source)
            )
        status = response.status_code
        if status >= 500:
            result.findings.append(Finding("error", url, f"HTTP {status}", source))
            continue
        if status in (403, 404):
            result.findings.append(Finding("broken-link", url, f"HTTP {status}", source))
            continue
        if status in (301, 302, 303, 307, 308):
            target = response["Location"]
            if urlsplit(target).path.startswith(login_url):
                result.findings.append(Finding("login", url, f"redirects to {target}", source))
                continue
            internal = _internal(target, url)
            if internal:
                enqueue(internal, False, url)
            continue
        if response.get("HX-Redirect"):
            internal = _internal(response["HX-Redirect"], url)
            if internal:
                enqueue(internal, False, url)
            continue
        kind = response.get("Content-Type", "")
        if not kind.startswith("text/html"):
            problem = _check_download(response, content) if status == 200 else f"HTTP {status}"
            if problem:
                result.findings.append(Finding("download", url, problem, source))
            continue
        page = _Page()
        page.feed(content.decode("utf-8", "replace"))
        text = "\n".join(page.text)
        for leak in sorted(set(leaks(text))):
            result.findings.append(Finding("leak", url, leak, source))
        for m in _ENGLISH_WORD.finditer(text):
            result.english.setdefault(m.group(0), url)
        for href, is_htmx in page.links:
            internal = _internal(href, url)
            if internal:
                enqueue(internal, is_htmx, url)
    result.seconds = time.monotonic() - started
    return result


def main(argv: list[str]) -> int:
    import django

    django.setup()
    from django.test.utils import setup_test_environment

    from jiandu.demo.accounts import account_specs

    setup_test_environment()  # ALLOWED_HOSTS gets "testserver", mail stays in memory
    max_pages = MAX_PAGES
    if argv and argv[0].startswith("--max-pages="):
        max_pages = int(argv.pop(0).split("=", 1)[1])
    usernames = argv or [s.username for s in _listed_specs(account_specs)]
    total = 0
    for username in usernames:
        result = crawl_account(username, max_pages=max_pages)
        total += len(result.findings)
        print(
            f"== {username}: {result.pages} pages, {len(result.patterns)} patterns, "
            f"{len(result.findings)} findings, {result.seconds:.1f} s"
        )
        for finding in result.findings:
            print("  " + str(finding).replace("\n", "\n    "))
        slowest = sorted(result.timings, reverse=True)[:5]
        print("  slowest: " + ", ".join(f"{url} {t:.2f} s" for t, url in slowest))
        words = sorted(result.english)
        if words:
            print("  English words: " + ", ".join(f"{w}@{result.english[w]}" for w in words))
        sys.stdout.flush()
    return 1 if total else 0


def _listed_specs(account_specs: Any) -> list[Any]:
    from jiandu.demo.accounts import COUNTY_ACCOUNTS

    counties = [f"county:{code}" for code in COUNTY_ACCOUNTS]
    return [s for s in account_specs(counties=counties, rooms=["r"], groups=["g"]) if s.listed]


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
