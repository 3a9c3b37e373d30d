"""Numbered, sortable pages for the hit list: "共N件", page numbers, sort links.

Hits are counted exactly: a user's hits are a filtered slice of one commission's runs
(thousands, not millions), and the count uses the same indexes as the page. Kept here
until ``jiandu.core.pagination`` offers numbered pages with sorting for every list.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import QuerySet
from django.http import QueryDict

PAGE_SIZE = 50


@dataclass(frozen=True)
class SortColumn:
    """A column users sort by: its key in the URL and the fields it orders by."""

    key: str
    fields: tuple[str, ...]


@dataclass
class NumberedPage:
    """One page of a list, with the total and links to the other pages."""

    items: list[Any]
    number: int
    pages: int
    total: int
    base_query: str = ""
    sort: str = ""
    sort_links: dict[str, dict[str, Any]] = field(default_factory=dict)

    def url(self, number: int) -> str:
        sep = "&" if self.base_query else ""
        return f"?{self.base_query}{sep}page={number}"

    @property
    def has_prev(self) -> bool:
        return self.number > 1

    @property
    def has_next(self) -> bool:
        return self.number < self.pages

    @property
    def prev_url(self) -> str:
        return self.url(self.number - 1)

    @property
    def next_url(self) -> str:
        return self.url(self.number + 1)

    @property
    def links(self) -> list[dict[str, Any]]:
        """Page numbers to show: the first, the last and two either side of this one;
        ``None`` numbers stand for the gaps (…)."""
        wanted = {1, self.pages, *range(self.number - 2, self.number + 3)}
        shown = sorted(n for n in wanted if 1 <= n <= self.pages)
        out: list[dict[str, Any]] = []
        previous = 0
        for n in shown:
            if n - previous > 1:
                out.append({"number": None})
            out.append({"number": n, "url": self.url(n), "current": n == self.number})
            previous = n
        return out


def numbered_page(
    qs: QuerySet[Any],
    *,
    query: QueryDict,
    columns: list[SortColumn],
    default: str,
    tiebreak: str = "pk",
    per_page: int | None = None,
    total: int | None = None,
) -> NumberedPage:
    """The page ``?page=N`` of ``qs`` ordered by ``?sort=key`` (``-key`` descending;
    unknown keys fall back to ``default``), with a link per sortable column that sorts
    by it (or reverses it when it is the current order)."""
    per_page = per_page or PAGE_SIZE
    by_key = {c.key: c for c in columns}
    sort = query.get("sort", "") or default
    if sort.lstrip("-") not in by_key:
        sort = default
    descending = sort.startswith("-")
    column = by_key[sort.lstrip("-")]
    prefix = "-" if descending else ""
    ordering = [f"{prefix}{f}" for f in column.fields] + [f"{prefix}{tiebreak}"]
    count = qs.count() if total is None else total
    pages = max(1, -(-count // per_page))
    raw = query.get("page", "1")
    number = int(raw) if raw.isdigit() else 1
    number = min(max(number, 1), pages)
    start = (number - 1) * per_page
    items = list(qs.order_by(*ordering)[start : start + per_page])
    params = query.copy()
    for key in ("page", "after"):
        params.pop(key, None)
    sort_links: dict[str, dict[str, Any]] = {}
    for c in columns:
        active = sort.lstrip("-") == c.key
        target = f"-{c.key}" if active and not descending else c.key
        link = params.copy()
        link["sort"] = target
        sort_links[c.key] = {
            "url": f"?{link.urlencode()}",
            "active": active,
            "descending": active and descending,
        }
    return NumberedPage(
        items=items,
        number=number,
        pages=pages,
        total=count,
        base_query=params.urlencode(),
        sort=sort,
        sort_links=sort_links,
    )
