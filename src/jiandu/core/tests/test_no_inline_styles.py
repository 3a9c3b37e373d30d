"""No page needs an inline style: the Content-Security-Policy allows styles from the
application's own static files only (``style-src 'self'``), so a ``<style>`` element or
a ``style="…"`` attribute in served HTML would be ignored by the browser.

Walks the pages as several personas: every page without URL arguments, then every
same-site link found on them (details of clues, petitions, boards, units, people, audit
rows, …), and fails on any inline style in what was served."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

import jiandu
from jiandu.boards.services import board_install_builtins
from jiandu.core import idnumbers
from jiandu.core.tests.test_names_not_codes import records  # noqa: F401  (fixture)
from jiandu.people.services import person_create

pytestmark = pytest.mark.django_db

INLINE_STYLE = re.compile(r"<style\b|\sstyle\s*=", re.I)
TEMPLATES = sorted(Path(jiandu.__file__).parent.rglob("templates/**/*.html"))
# Not pages: the API (JSON), file downloads and the sign-out action.
SKIP = re.compile(r"^/(api/|static/|media/|accounts/logout)|/(export|download)|\.(xlsx|docx|csv)")
PAGE_LIMIT = 160


def _plain_urls(patterns=None, prefix: str = "") -> list[str]:
    """The paths of every URL pattern that takes no arguments."""
    found: list[str] = []
    for entry in patterns if patterns is not None else get_resolver().url_patterns:
        route = str(entry.pattern)
        if "<" in route or "(?P" in route or "^" in route:
            continue  # takes arguments (or is a regex: admin, static)
        if isinstance(entry, URLResolver):
            found += _plain_urls(entry.url_patterns, prefix + route)
        elif isinstance(entry, URLPattern):
            found.append("/" + prefix + route)
    return found


def _links(html: str) -> list[str]:
    paths = []
    for href in re.findall(r'(?:href|hx-get)="([^"#]+)"', html):
        parts = urlsplit(href.replace("&amp;", "&"))
        if not parts.netloc and parts.path.startswith("/"):
            paths.append(parts.path)  # the page itself; its filters render the same markup
    return paths


def _walk(client) -> dict[str, list[str]]:
    """Serve pages breadth-first from the argument-free ones; the inline styles per page."""
    queue = [u for u in _plain_urls() if not SKIP.search(u)]
    seen: set[str] = set(queue)
    offenders: dict[str, list[str]] = {}
    served = 0
    while queue and served < PAGE_LIMIT:
        url = queue.pop(0)
        response = client.get(url)
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        served += 1
        html = response.content.decode()
        hits = INLINE_STYLE.findall(html)
        if hits:
            offenders[url] = [html[m.start() : m.start() + 80] for m in INLINE_STYLE.finditer(html)]
        for link in _links(html):
            if link not in seen and not SKIP.search(link):
                seen.add(link)
                queue.append(link)
    assert served >= 10, f"only {served} pages served"
    return offenders


@pytest.mark.parametrize("persona", ["city", "petition_officer", "auditor", "sysadmin"])
def test_no_served_page_carries_an_inline_style(client, world, users, records, persona):  # noqa: F811
    board_install_builtins(actor=users["city"], owner=world.city)
    person_create(
        actor=users["city"],
        name="张三",
        registered_org=world.county,
        id_number=idnumbers.make("530102", dt.date(1968, 4, 9), 11),
    )
    client.force_login(users[persona])
    assert _walk(client) == {}


def test_the_login_and_error_pages_carry_no_inline_style(client):
    for url in ("/accounts/login/", "/no-such-page/"):
        html = client.get(url).content.decode()
        assert INLINE_STYLE.findall(html) == [], url


def test_no_template_carries_an_inline_style():
    assert TEMPLATES
    offenders = [
        f"{path.relative_to(Path(jiandu.__file__).parent)}: {m.group(0).strip()}"
        for path in TEMPLATES
        for m in INLINE_STYLE.finditer(path.read_text(encoding="utf-8"))
    ]
    assert offenders == []


def test_the_check_finds_inline_styles():
    assert INLINE_STYLE.findall('<style>a{}</style><p style="color:red">') == ["<style", " style="]
    assert INLINE_STYLE.findall('<p class="swatch" data-style="x">textStyle=1</p>') == []


def test_htmx_injects_no_indicator_style():
    # htmx adds a <style> for its request indicator unless told not to.
    for name in ("base.html", "base_bare.html"):
        base = (Path(jiandu.__file__).parent / "templates" / name).read_text()
        if "htmx.min.js" in base:
            assert '"includeIndicatorStyles": false' in base, name
