"""The 三本账 list page at scale: a fixed, small number of queries whatever the number of
rows (no org row read by the page: the counties are kept under the access stamp, the
header's org comes with the user), its rows and selects built in Python and escaped,
and every change that the kept parts depend on shown on the next page."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext

from jiandu.accounts.models import User
from jiandu.inbox.models import Message
from jiandu.inspections import ledgers
from jiandu.inspections.choices import LedgerKind, LedgerStatus
from jiandu.inspections.models import LedgerRow
from jiandu.orgs.choices import OrgKind
from jiandu.orgs.services import org_create, org_update

pytestmark = pytest.mark.django_db
URL = "/inspections/ledgers/"


def _rows(county, n, start=0):
    LedgerRow.objects.bulk_create(
        LedgerRow(county=county, kind=LedgerKind.ASSIGNED, title=f"交办事项{start + i}",
                  status=LedgerStatus.OPEN, progress="")
        for i in range(n)
    )  # fmt: skip


def _queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return [q["sql"] for q in ctx.captured_queries], response


def test_the_page_runs_the_same_few_queries_at_60_and_at_560_rows(client, rw):
    w = rw.world
    client.force_login(rw.accounts["wuhua"])  # keeps the county's rows: add form, reports
    _rows(w.county, 60)
    client.get(URL)  # the process's kept parts filled (jurisdiction, counties, sidebar)
    small, response = _queries(client, URL)
    assert "记入台账" in response.content.decode() and "下载月报模板" in response.content.decode()
    # Session, user with org, access stamp, rows, bounded count, unread messages.
    assert len(small) <= 6, "\n".join(small)
    # No org read apart from the rows' join: not the counties, not the header's org.
    assert not [q for q in small if q.startswith('SELECT "orgs_org"')]
    _rows(w.county, 500, start=60)
    large, response = _queries(client, URL)
    assert len(large) == len(small)
    assert "<strong>500</strong>条以上" in response.content.decode()
    next_url = re.search(r'href="([^"]+)" rel="next"', response.content.decode()).group(1)
    deeper, _ = _queries(client, URL + next_url.replace("&amp;", "&"))
    assert len(deeper) == len(small)


def test_rows_selects_and_links_are_escaped_and_shortened(client, rw, actor):
    w = rw.world
    org_update(actor=actor, org=w.county, name="五华区<b>纪委</b>")
    title = "<script>alert(1)</script>" + "很长的事项" * 12
    row = ledgers.ledger_row_add(actor=actor, county=w.county, kind=LedgerKind.GOVERNANCE,
                                 title=title)  # fmt: skip
    client.force_login(rw.accounts["wuhua"])
    html = client.get(URL, {"county": w.county.pk, "kind": "governance"}).content.decode()
    assert "<script>alert" not in html and "<b>纪委" not in html
    short = "&lt;script&gt;alert(1)&lt;/script&gt;" + ("很长的事项" * 12)[:24] + "…"
    assert (
        f'<tr><td class="mono"><a href="/inspections/ledgers/{row.pk}/">{row.pk}</a></td>'
        f'<td class="nowrap">五华区&lt;b&gt;纪委&lt;/b&gt;</td><td class="nowrap">专项治理建议台账'
        f'</td><td>{short}</td><td class="nowrap">办理中</td><td>—</td></tr>'
    ) in html
    # The filters keep what was chosen; the county in the select, the add form and the
    # report links, escaped.
    assert f'<option value="{w.county.pk}" selected>五华区&lt;b&gt;纪委&lt;/b&gt;</option>' in html
    assert '<option value="governance" selected>专项治理建议台账</option>' in html
    assert '<option value="done">已办结</option>' in html
    # header, row, filter, add form, report links
    assert html.count("五华区&lt;b&gt;纪委&lt;/b&gt;") == 5
    assert (
        f'五华区&lt;b&gt;纪委&lt;/b&gt;（<a href="/inspections/ledgers/counties/{w.county.pk}/'
        in html
    )


def test_a_renamed_or_new_county_shows_on_the_next_page(client, rw, actor):
    w = rw.world
    client.force_login(actor)  # the city office: every county
    first = client.get(URL).content.decode()
    assert "五华区纪委监委" in first and "新设区纪委监委" not in first
    org_update(actor=actor, org=w.county, name="五华区纪委监委（更名）")
    org_create(actor=actor, name="新设区纪委监委", kind=OrgKind.COUNTY, parent=w.city,
               region_code="530199")  # fmt: skip
    html = client.get(URL).content.decode()
    add_form = html[html.index('id="id_county"') :]
    for page_part in (html[: html.index('id="id_county"')], add_form):
        assert "五华区纪委监委（更名）" in page_part and "新设区纪委监委" in page_part
    # The header names the user's org as it now is.
    org_update(actor=actor, org=actor.org, name="党风政风监督室（更名）")
    assert (
        '<span class="user-org">党风政风监督室（更名）</span>' in client.get(URL).content.decode()
    )


def test_without_the_add_permission_there_is_no_add_form_and_with_it_there_is(client, rw):
    w = rw.world
    viewer = User.objects.create_user(username="ledger-viewer", password=None, org=w.county)
    group = Group.objects.create(name="只看三本账")
    from django.contrib.auth.models import Permission

    group.permissions.add(Permission.objects.get(codename="view_ledgerrow"))
    viewer.groups.add(group)
    client.force_login(viewer)
    html = client.get(URL).content.decode()
    assert "记入台账" not in html and "下载月报模板" not in html
    group.permissions.add(Permission.objects.get(codename="add_ledgerrow"))
    html = client.get(URL).content.decode()
    assert "记入台账" in html and 'name="title"' in html and "下载月报模板" not in html


def test_the_unread_count_in_the_header_follows_the_inbox(client, rw):
    user = rw.accounts["wuhua"]
    client.force_login(user)
    assert "条未读" not in client.get(URL).content.decode()
    message = Message.objects.create(recipient=user, kind="notice", title="请报送三本账",
                                     record_type="inspections.ledgerrow", record_id=1)  # fmt: skip
    assert "站内消息，1条未读" in client.get(URL).content.decode()
    message.unread = False
    message.save()
    assert "条未读" not in client.get(URL).content.decode()
