"""The shared pager (components/pagination.html) states a total as it was counted: "共N条记录"
for an exact count, "N条以上" for a count that stopped at a bound."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.template.loader import render_to_string
from django.urls import reverse


@dataclass
class CappedPage:
    """A page whose rows were counted up to ``total`` only (there are more)."""

    total: int
    total_exact: bool
    has_prev: bool = False
    has_next: bool = True
    prev_url: str = "?"
    next_url: str = "?after=x"


def summary(html: str) -> str:
    start = html.index('class="pagination-summary"')
    return html[html.index(">", start) + 1 : html.index("</div>", start)]


def test_a_capped_count_says_more_than():
    html = render_to_string("components/pagination.html", {"page": CappedPage(500, False)})
    assert summary(html) == "<strong>500</strong>条以上"


def test_an_exact_count_says_in_all():
    html = render_to_string("components/pagination.html", {"page": CappedPage(500, True)})
    assert summary(html) == "共<strong>500</strong>条记录"


@pytest.mark.django_db
def test_the_user_list_counts_exactly(users, client):
    from jiandu.accounts.models import User

    client.force_login(users["sysadmin"])
    html = client.get(reverse("accounts:user_list")).content.decode()
    assert summary(html) == f"共<strong>{User.objects.count()}</strong>条记录"
