"""Query budgets: the flag list, the ledger and the API lists cost the same number of
queries whatever the number of rows."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from jiandu.reconciliation.periods import period_of
from jiandu.reconciliation.services import (
    reconciliation_match,
    reconciliation_open,
    zero_report_detect,
)

pytestmark = pytest.mark.django_db


def count(client, url, data=None) -> int:
    client.get(url, data or {})  # the session's first request does extra bookkeeping
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, data or {})
    assert response.status_code == 200, url
    return len(queries)


def earlier_quarters(rec, n):
    periods, day = [], rec.period.start
    for _ in range(n):
        period = period_of(day - dt.timedelta(days=1))
        periods.append(period)
        day = period.start
    return periods


def test_the_flag_list_and_api_cost_a_fixed_number_of_queries(rec, client):
    client.force_login(rec.stats)
    rec.problem(source="supervision")
    zero_report_detect(actor=rec.stats, period=rec.period)
    page_one = count(client, reverse("reconciliation:flag_list"))
    api_one = count(client, "/api/v1/reconciliation/zero-report-flags")
    for period in earlier_quarters(rec, 3):
        rec.problem(source="report", day=(period.start - rec.period.start).days + 3)
        zero_report_detect(actor=rec.stats, period=period)
    assert count(client, reverse("reconciliation:flag_list")) == page_one
    assert count(client, "/api/v1/reconciliation/zero-report-flags") == api_one
    assert page_one <= 16


def test_the_ledger_costs_a_fixed_number_of_queries(rec, client):
    client.force_login(rec.stats)
    query = {"org": rec.world.unit_a.pk, "period": rec.period.key}
    rec.problem(source="self_check", day=1)
    rec.problem(source="supervision", day=2)
    rec.problem(source="inspection", category="工作纪律", day=3)
    reconciliation = reconciliation_open(actor=rec.stats, org=rec.world.unit_a, period=rec.period)
    reconciliation_match(actor=rec.stats, reconciliation=reconciliation)
    small = count(client, reverse("reconciliation:ledger"), query)
    api_small = count(client, "/api/v1/reconciliation/ledgers", query)
    for day in range(4, 12):
        rec.problem(source="self_check", category="作风建设（四风）", day=day)
        rec.problem(source="report", category="选人用人", day=day)
    reconciliation_match(actor=rec.stats, reconciliation=reconciliation)
    assert count(client, reverse("reconciliation:ledger"), query) == small
    assert count(client, "/api/v1/reconciliation/ledgers", query) == api_small
