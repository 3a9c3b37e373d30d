"""Keyset pagination: a page is "the next N rows after this key", so page 5,000 costs the
same as page 1 (no OFFSET scan, no COUNT(*) over the whole table)."""

from __future__ import annotations

import base64
import datetime as dt
import json
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import connections
from django.db.models import Q, QuerySet
from django.http import QueryDict


def encode_cursor(values: list[Any]) -> str:
    raw = json.dumps(
        [v.isoformat() if isinstance(v, dt.date) else v for v in values], ensure_ascii=False
    )
    return base64.urlsafe_b64encode(raw.encode("utf-8")).decode("ascii").rstrip("=")


def decode_cursor(cursor: str) -> list[Any] | None:
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        values = json.loads(base64.urlsafe_b64decode(padded.encode("ascii")))
    except (ValueError, TypeError):
        return None
    return values if isinstance(values, list) else None


@dataclass
class KeysetPage:
    items: list[Any]
    next_cursor: str | None
    prev_cursor: str | None = None
    base_query: str = ""
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def has_next(self) -> bool:
        return self.next_cursor is not None

    @property
    def next_url(self) -> str:
        return f"?{self.base_query}{'&' if self.base_query else ''}after={self.next_cursor}"

    @property
    def has_prev(self) -> bool:
        return self.prev_cursor is not None

    @property
    def prev_url(self) -> str:
        return f"?{self.base_query}" if self.base_query else "?"


def keyset_paginate(
    queryset: QuerySet,
    *,
    after: str | None,
    size: int,
    date_field: str = "received_date",
    query: QueryDict | None = None,
) -> KeysetPage:
    """Rows ordered by (``date_field`` desc, id desc), strictly after the cursor."""
    qs = queryset.order_by(f"-{date_field}", "-id")
    if after:
        values = decode_cursor(after)
        if values and len(values) == 2:
            try:
                date_value = dt.date.fromisoformat(str(values[0]))
                id_value = int(values[1])
            except (TypeError, ValueError):
                pass
            else:
                # The plain upper bound lets every database use the (date, id) index as
                # a range; the OR then only trims the first day.
                qs = qs.filter(**{f"{date_field}__lte": date_value}).filter(
                    Q(**{f"{date_field}__lt": date_value})
                    | Q(**{date_field: date_value, "id__lt": id_value})
                )
    rows = list(qs[: size + 1])
    has_more = len(rows) > size
    rows = rows[:size]
    next_cursor = None
    if has_more and rows:
        last = rows[-1]
        if isinstance(last, dict):  # a ``.values()`` queryset
            next_cursor = encode_cursor([last[date_field], last["id"]])
        else:
            next_cursor = encode_cursor([getattr(last, date_field), last.pk])
    base_query = ""
    if query is not None:
        params = query.copy()
        params.pop("after", None)
        base_query = params.urlencode()
    return KeysetPage(
        items=rows, next_cursor=next_cursor, prev_cursor=after or None, base_query=base_query
    )


# --- Numbered, sortable lists with a total ------------------------------------------
#
# ``paginate_list`` is the one pager of the case lists (问题线索, 信访举报, 通报曝光, and
# any list that wants "共N件", page numbers and sortable columns). It stays keyset-based:
# 上一页/下一页 follow cursors (``after`` / ``before``), so walking a list costs the same
# on page 5,000 as on page 1. Page numbers are links only where reaching them is cheap:
# the first ``MAX_OFFSET`` rows (OFFSET over an index) and, when the total is exact, the
# last ``MAX_OFFSET`` rows (the same, in reverse order). The total is exact while the
# list has at most ``count_limit`` rows (a bounded COUNT, tried only when the estimate
# is not far above); above it the page says
# "约N件" from an estimate (PostgreSQL: the planner's row estimate; SQLite: a count over
# evenly spread id windows), so a million-row list is not counted on every request.
#
# Usage in a view (see clues.views.clue_list)::
#
#     SORTS = [SortOption("received", "received_date", "受理日期"), ...]
#     page = paginate_list(qs, params=request.GET, sorts=SORTS, default_sort="-received")
#
# and in the template: ``{% include "components/sort_th.html" with key="received" %}``
# for a header cell and ``{% include "components/pagination.html" with page=page %}``
# under the table. See docs/adr/0004-keyset-pagination.md.

MAX_OFFSET = 5_000
COUNT_LIMIT = 2_000


@dataclass(frozen=True)
class SortOption:
    """A column users may sort by: ``key`` in the URL (``?sort=key`` ascending,
    ``?sort=-key`` descending), ``field`` a NOT NULL model field (keyset needs a total
    order: rows are ordered by (field, id) in the same direction), ``label`` the header."""

    key: str
    field: str
    label: str


@dataclass
class PageLink:
    number: int | None  # None: an ellipsis
    url: str = ""
    current: bool = False


@dataclass
class SortLink:
    label: str
    url: str
    active: bool
    descending: bool


@dataclass
class ListPage:
    """One page of a list: the rows, how to reach its neighbours, the total, the page
    numbers worth linking and the sortable headers (``sort_links[key]``)."""

    items: list[Any]
    number: int
    size: int
    total: int
    total_exact: bool
    base_query: str
    sort: str
    next_cursor: str | None = None
    prev_cursor: str | None = None
    has_prev: bool = False
    page_links: list[PageLink] = field(default_factory=list)
    sort_links: dict[str, SortLink] = field(default_factory=dict)

    @property
    def has_next(self) -> bool:
        return self.next_cursor is not None

    def url(self, **params: Any) -> str:
        extra = "&".join(f"{k}={v}" for k, v in params.items() if v not in (None, ""))
        joined = "&".join(p for p in (self.base_query, extra) if p)
        return f"?{joined}"

    @property
    def next_url(self) -> str:
        return self.url(page=self.number + 1, after=self.next_cursor)

    @property
    def prev_url(self) -> str:
        if self.number <= 2:
            return self.url()
        return self.url(page=self.number - 1, before=self.prev_cursor)

    @property
    def page_count(self) -> int | None:
        """The number of pages when the total is exact, else None."""
        if not self.total_exact:
            return None
        return max(1, -(-self.total // self.size))


def estimate_total(queryset: QuerySet, rows: int | None = None) -> QuerySet:
    """Mark ``queryset`` as one whose total is to be estimated, not counted: its caller
    knows from an index's statistics that even the bounded count would read too many
    rows (a text search over a common word does). The mark rides on the query, so it
    survives further ``filter()``/``values()`` calls. ``rows``: the caller's own
    estimate, where it knows better than the planner (else ``estimate_rows``)."""
    queryset.query.estimate_total = True  # type: ignore[attr-defined]
    queryset.query.estimated_rows = rows  # type: ignore[attr-defined]
    return queryset


def count_or_estimate(queryset: QuerySet, *, limit: int = COUNT_LIMIT) -> tuple[int, bool]:
    """(rows, exact): an exact count while there are at most ``limit`` rows (the count
    stops reading at ``limit + 1``), otherwise an estimate. The estimate comes first (it
    reads a few thousand rows at most): above the limit, nothing is counted."""
    given = getattr(queryset.query, "estimated_rows", None)
    estimate = given if given is not None else estimate_rows(queryset)
    if getattr(queryset.query, "estimate_total", False) or estimate > limit:
        # Above the limit: the bounded count would read ``limit`` matches and, through
        # a filter its index does not cover, many more rows than that.
        return estimate, False
    bounded = queryset.order_by().values("pk")[: limit + 1].count()
    if bounded <= limit:
        return bounded, True
    return max(estimate, limit + 1), False


def estimate_rows(queryset: QuerySet, *, windows: int = 8, width: int = 250) -> int:
    """An estimate of ``queryset.count()`` without counting every row.

    PostgreSQL: the planner's row estimate for the query (``EXPLAIN``). SQLite has no
    row estimate, so the rows of ``windows`` id ranges of ``width`` ids spread evenly
    over the table are counted and scaled to the id range (ids are dense; spreading the
    windows keeps the estimate fair when ids follow the dates being filtered on)."""
    qs = queryset.order_by().values("pk")
    if connections[qs.db].vendor == "postgresql":
        plan = json.loads(qs.explain(format="json"))
        return int(plan[0]["Plan"]["Plan Rows"])
    ids = queryset.model._default_manager.using(qs.db).values_list("pk", flat=True)
    # Two queries: SQLite answers a lone MIN or MAX from the index, both at once by a scan.
    low = ids.order_by("pk").first()
    high = ids.order_by("-pk").first()
    if low is None or high is None:
        return 0
    span = high - low + 1
    if span <= windows * width:
        return qs.count()
    step = span // windows
    # One statement, one count per window, each reading an id range (OR-ed ranges next
    # to the jurisdiction's OR made SQLite scan the table); compiled once.
    sql, params = qs.query.sql_with_params()
    parts, args = [], []
    for i in range(windows):
        parts.append(f"SELECT COUNT(*) FROM ({sql}) AS sample WHERE pk >= %s AND pk < %s")
        args += [*params, low + i * step, low + i * step + width]
    with connections[qs.db].cursor() as cursor:
        cursor.execute(" UNION ALL ".join(parts), args)
        sampled = sum(row[0] for row in cursor.fetchall())
    return round(sampled * span / (windows * width))


def _parse_sort(value: str, sorts: list[SortOption], default: str) -> tuple[SortOption, bool]:
    by_key = {s.key: s for s in sorts}
    for candidate in (value, default):
        key = candidate.lstrip("-")
        if key in by_key:
            return by_key[key], candidate.startswith("-")
    raise ValueError(f"default sort {default!r} is not one of the options")


def _cursor_values(queryset: QuerySet, sort_field: str, cursor: str) -> tuple[Any, int] | None:
    values = decode_cursor(cursor)
    if not values or len(values) != 2 or not isinstance(values[1], int):
        return None
    try:
        value = queryset.model._meta.get_field(sort_field).to_python(values[0])
    except (ValidationError, TypeError, ValueError):
        return None
    if value is None:
        return None
    return value, values[1]


def _beyond(sort_field: str, value: Any, pk: int, *, forward: bool) -> Q:
    """Rows after (value, pk) in the ascending order when ``forward``, else before."""
    op = "gt" if forward else "lt"
    return Q(**{f"{sort_field}__{op}": value}) | Q(**{sort_field: value, f"pk__{op}": pk})


def _row_cursor(row: Any, sort_field: str) -> str:
    if isinstance(row, dict):
        return encode_cursor([row[sort_field], row.get("id", row.get("pk"))])
    return encode_cursor([getattr(row, sort_field), row.pk])


def paginate_list(
    queryset: QuerySet,
    *,
    params: QueryDict,
    sorts: list[SortOption],
    default_sort: str,
    size: int = 50,
    count_limit: int = COUNT_LIMIT,
    max_offset: int = MAX_OFFSET,
    key: str = "pk",
    cursors: bool = True,
) -> ListPage:
    """A page of ``queryset`` as the URL asks (``sort``, ``page``, ``after``/``before``).

    ``key``: the unique column that orders rows with equal sort values (a grouped
    ``values()`` queryset names one of its own, such as a group's first id).
    ``cursors=False`` pages by page number only, with an exact count: for lists that are
    small by nature (one commission's findings, a grouped list) or sorted by columns that
    may be empty, which a keyset cannot step over.

    An unknown sort, a bad page number or a foreign cursor fall back to the first page
    of the default order (a list link never fails)."""
    option, descending = _parse_sort(params.get("sort", ""), sorts, default_sort)
    name = option.field
    asc = [name, key]
    desc = [f"-{name}", f"-{key}"]
    ordered = queryset.order_by(*(desc if descending else asc))
    reverse = queryset.order_by(*(asc if descending else desc))
    try:
        number = max(1, int(params.get("page", "1")))
    except ValueError:
        number = 1
    if key != "pk" and cursors:
        raise ValueError("cursors step over (value, pk): another key needs cursors=False")
    if not cursors:
        return _numbered_page(queryset, ordered, params, sorts, option, descending, number, size)
    total, exact = count_or_estimate(queryset, limit=count_limit)
    if not exact:
        # An estimate can be far off for a small or never-analysed table (PostgreSQL
        # guesses rows for an empty one): count exactly when the rows fit under the limit;
        # a LIMITed count reads at most limit + 1 rows.
        upto = queryset.order_by()[: count_limit + 1].count()
        if upto <= count_limit:
            total, exact = upto, True
    pages = max(1, -(-total // size)) if exact else None

    after = _cursor_values(queryset, name, params.get("after", ""))
    before = _cursor_values(queryset, name, params.get("before", ""))
    has_prev = number > 1
    if after is not None:
        rows = list(ordered.filter(_beyond(name, *after, forward=not descending))[: size + 1])
        more = len(rows) > size
        rows = rows[:size]
    elif before is not None:
        rows = list(reverse.filter(_beyond(name, *before, forward=descending))[: size + 1])
        has_prev = len(rows) > size
        rows = rows[:size][::-1]
        more = True
        if not has_prev:
            number = 1
    else:
        offset = (number - 1) * size
        if pages is not None and number > pages:
            number, offset = pages, (pages - 1) * size
        if offset <= max_offset:
            rows = list(ordered[offset : offset + size + 1])
            more = len(rows) > size
            rows = rows[:size]
        elif pages is not None and (pages - number) * size <= max_offset:
            tail = total - offset  # rows from this page's first to the end
            end = tail - min(size, tail)
            rows = list(reverse[end:tail])[::-1]
            more = number < pages
        else:  # out of cheap reach: page one
            number = 1
            has_prev = False
            rows = list(ordered[: size + 1])
            more = len(rows) > size
            rows = rows[:size]

    page = ListPage(
        items=rows,
        number=number,
        size=size,
        total=total,
        total_exact=exact,
        base_query=_without_paging(params).urlencode(),
        sort=f"{'-' if descending else ''}{option.key}",
        next_cursor=_row_cursor(rows[-1], name) if more and rows else None,
        prev_cursor=_row_cursor(rows[0], name) if has_prev and rows else None,
        has_prev=has_prev,
    )
    page.page_links = _page_links(page, pages, max_offset)
    page.sort_links = _sort_links(params, sorts, option, descending)
    return page


def _without_paging(params: QueryDict) -> QueryDict:
    """The list's query (filters, sort) without the page it is on."""
    query = params.copy()
    for key in ("page", "after", "before"):
        query.pop(key, None)
    return query


def _numbered_page(
    queryset: QuerySet,
    ordered: QuerySet,
    params: QueryDict,
    sorts: list[SortOption],
    option: SortOption,
    descending: bool,
    number: int,
    size: int,
) -> ListPage:
    """``paginate_list`` without cursors: an exact count and OFFSET pages."""
    total = queryset.order_by().count()
    pages = max(1, -(-total // size))
    number = min(number, pages)
    offset = (number - 1) * size
    page = ListPage(
        items=list(ordered[offset : offset + size]),
        number=number,
        size=size,
        total=total,
        total_exact=True,
        base_query=_without_paging(params).urlencode(),
        sort=f"{'-' if descending else ''}{option.key}",
        next_cursor="" if number < pages else None,  # "": the next page by number only
        has_prev=number > 1,
    )
    page.page_links = _page_links(page, pages, max_offset=total)
    page.sort_links = _sort_links(params, sorts, option, descending)
    return page


def _page_links(page: ListPage, pages: int | None, max_offset: int) -> list[PageLink]:
    """1 … n-2 n-1 [n] n+1 n+2 … last, keeping only the pages reachable cheaply."""
    n = page.number
    last = pages if pages is not None else n + (1 if page.has_next else 0)
    wanted = {1, last, *range(max(1, n - 2), min(last, n + 2) + 1)}

    def reachable(p: int) -> bool:
        if p == n or (p - 1) * page.size <= max_offset:
            return True
        if pages is not None and (pages - p) * page.size <= max_offset:
            return True
        return p in (n - 1, n + 1)  # through the cursors

    links: list[PageLink] = []
    previous = 0
    for p in sorted(x for x in wanted if reachable(x)):
        if p > previous + 1:
            links.append(PageLink(None))
        if p == n:
            url = ""
        elif p == n + 1 and page.has_next and (p - 1) * page.size > max_offset:
            url = page.next_url
        elif p == n - 1 and page.has_prev and (p - 1) * page.size > max_offset:
            url = page.prev_url
        else:
            url = page.url(page=p) if p > 1 else page.url()
        links.append(PageLink(p, url, p == n))
        previous = p
    if pages is None and page.has_next:
        links.append(PageLink(None))
    return links


def _sort_links(
    params: QueryDict, sorts: list[SortOption], current: SortOption, descending: bool
) -> dict[str, SortLink]:
    """Header links: the active column toggles its direction, another starts descending
    (newest, latest, largest first — what a list is usually read for)."""
    links = {}
    for option in sorts:
        active = option is current
        next_desc = not descending if active else True
        query = _without_paging(params)
        query["sort"] = f"{'-' if next_desc else ''}{option.key}"
        links[option.key] = SortLink(option.label, f"?{query.urlencode()}", active, descending)
    return links
