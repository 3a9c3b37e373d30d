"""Every link each demo account is shown works for it (a small demo, "today" fixed): each
listed account, logged in, follows the links of its pages from ``/`` (``crawl``) and
meets no server error, no link it may not open (403/404), no failing download, no GET
that writes, and no code, English default message or region code in the text."""

from __future__ import annotations

import time

import pytest

from jiandu.demo.tests.crawl import crawl_account, leaks

pytestmark = pytest.mark.django_db

# Bounded to keep the test short: one URL of each pattern, at most this many pages (the
# first pages breadth first: the menu, each list, the first record of each kind).
PAGES_PER_ACCOUNT = 40


@pytest.fixture(scope="module")
def demo(small_demo):
    return small_demo


def test_every_link_each_demo_account_sees_works(demo, small_demo_built, settings):
    settings.MEDIA_ROOT = small_demo_built.data_dir.parent
    settings.JIANDU_DATA_DIR = small_demo_built.data_dir
    usernames = [a.username for a in demo.accounts if a.listed]
    assert len(usernames) == 20
    found, pages = [], {}
    started = time.monotonic()
    for username in usernames:
        result = crawl_account(username, max_pages=PAGES_PER_ACCOUNT, per_pattern=1)
        pages[username] = result.pages
        found += [f"{username}: {finding}" for finding in result.findings]
    print(f"crawled {sum(pages.values())} pages in {time.monotonic() - started:.1f} s: {pages}")
    print("\n".join(found))
    assert found == []
    assert min(pages.values()) >= 5, pages  # each account gets past its home page


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("所在地：530102", []),
        ("五华区华山街道（530102001000）", []),
        ("区划 530102001000", ["region code: 530102001000"]),
        ("530102001000", ["region code: 530102001000"]),
        # An audit entry's hash holds a run of twelve digits: a word, not a code.
        ("前一条哈希 d14342c705834803765ded1e", []),
        ("1234567890123", []),
    ],
)
def test_a_region_code_is_found_on_its_own_and_not_inside_a_longer_word(text, found):
    assert leaks(text) == found
