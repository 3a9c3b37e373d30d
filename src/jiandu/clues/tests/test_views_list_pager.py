"""The case lists' pager: total, page numbers, sorting, cursors (core.pagination)."""

import datetime as dt

import pytest
from django.db import connection
from django.http import QueryDict
from django.urls import reverse

from jiandu.clues import services, views
from jiandu.clues.choices import ClueSource
from jiandu.clues.models import Clue
from jiandu.core.pagination import SortOption, paginate_list

D = dt.date(2020, 3, 2)
SORTS = [
    SortOption("received", "received_date", "受理日期"),
    SortOption("number", "number", "编号"),
]


@pytest.fixture
def thirteen(world, users):
    for i in range(13):
        services.clue_create(
            actor=users["city"],
            source=ClueSource.INSPECTION,
            title=f"第{i}条 线索",
            # two clues a day: the id breaks the tie
            received_date=D - dt.timedelta(days=i // 2),
            handling_org=world.county if i % 2 else world.city,
        )
    return list(Clue.objects.order_by("-received_date", "-pk").values_list("pk", flat=True))


def _page(params: str = "", **kwargs):
    kwargs.setdefault("size", 5)
    return paginate_list(
        Clue.objects.all(),
        params=QueryDict(params),
        sorts=SORTS,
        default_sort="-received",
        **kwargs,
    )


def _ids(page):
    return [c.pk for c in page.items]


def test_pages_by_number_and_by_cursor_give_the_same_rows(thirteen):
    first = _page()
    assert (first.total, first.total_exact, first.page_count) == (13, True, 3)
    assert _ids(first) == thirteen[:5]
    assert [link.number for link in first.page_links] == [1, 2, 3]
    second = _page(first.next_url[1:])
    assert second.number == 2 and _ids(second) == thirteen[5:10]
    assert _ids(_page("page=2")) == thirteen[5:10]
    third = _page(second.next_url[1:])
    assert _ids(third) == thirteen[10:] and not third.has_next
    back = _page(third.prev_url[1:])
    assert back.number == 2 and _ids(back) == thirteen[5:10]
    assert _ids(_page(back.prev_url[1:])) == thirteen[:5]


def test_far_pages_come_from_the_end_and_out_of_reach_pages_fall_back(thirteen):
    # Offsets above 5 rows are "expensive": page 3 is read backwards from the end.
    last = _page("page=3", max_offset=5)
    assert _ids(last) == thirteen[10:] and last.has_prev and not last.has_next
    middle = _page("page=2", max_offset=4)  # neither end reaches it cheaply
    assert middle.number == 1 and _ids(middle) == thirteen[:5]
    assert _page("page=99").number == 3  # past the end: the last page
    assert _page("page=x&after=garbage").number == 1


def test_sorting_by_number_both_ways_across_pages(thirteen):
    numbers = sorted(Clue.objects.values_list("number", flat=True))
    asc = _page("sort=number")
    seen = [c.number for c in asc.items]
    while asc.has_next:
        asc = _page(asc.next_url[1:])
        seen += [c.number for c in asc.items]
    assert seen == numbers
    desc = _page("sort=-number")
    assert [c.number for c in desc.items] == numbers[::-1][:5]
    # the active header turns round, another header starts descending
    assert desc.sort_links["number"].url.endswith("sort=number")
    assert desc.sort_links["received"].url.endswith("sort=-received")
    assert _ids(_page("sort=bogus")) == thirteen[:5]


def test_above_the_count_limit_the_total_is_an_estimate(thirteen):
    page = _page(count_limit=4)
    assert not page.total_exact and page.page_count is None
    assert page.total >= 5  # an estimate, never below what the count saw
    if connection.vendor == "sqlite":
        assert page.total == 13  # a table smaller than the sample windows is counted
    assert page.page_links[-1].number is None  # "…" after the known pages


def test_the_clue_list_shows_total_page_numbers_and_sort_headers(
    client, users, thirteen, monkeypatch
):
    monkeypatch.setattr(views, "PAGE_SIZE", 5)
    client.force_login(users["city"])
    html = client.get(reverse("clues:clue_list"), {"sort": "number"}).content.decode()
    assert "共<strong>13</strong>件" in html and "第1/3页" in html
    assert 'aria-label="第3页"' in html and "page=3" in html
    assert 'aria-sort="ascending"' in html and "按受理日期排序" in html
    monkeypatch.setattr(
        views, "paginate_list", lambda qs, **kw: paginate_list(qs, count_limit=4, **kw)
    )
    html = client.get(reverse("clues:petition_list")).content.decode()
    assert "共<strong>0</strong>件" in html
    html = client.get(reverse("clues:clue_list")).content.decode()
    assert "约<strong>" in html
