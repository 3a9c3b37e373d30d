"""The person look-up rate limit is one limit across server processes: it is counted in
the database, not in each process's cache (N gunicorn workers gave N× the limit)."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from django.core.cache import cache
from django.db import connection

from jiandu.core import ratelimit
from jiandu.core.models import RateCount
from jiandu.core.ratelimit import RateLimited, check_rate
from jiandu.testing import make_user

SRC = Path(__file__).resolve().parents[3]
LIMIT = dict(scope="person_lookup", limit=5, window=600, label="查询人员")


def _in_worker(user, times: int) -> list[str]:
    """``times`` look-ups from another thread: its own database connection, as another
    server process would have; 'ok' or 'refused' for each."""
    answers: list[str] = []

    def run() -> None:
        try:
            for _ in range(times):
                try:
                    check_rate(user=user, **LIMIT)
                    answers.append("ok")
                except RateLimited:
                    answers.append("refused")
        finally:
            connection.close()

    worker = threading.Thread(target=run)
    worker.start()
    worker.join(30)
    return answers


@pytest.mark.django_db(transaction=True)
def test_two_workers_share_one_limit():
    user = make_user("looker", None)
    assert _in_worker(user, 3) == ["ok"] * 3
    assert _in_worker(user, 3) == ["ok", "ok", "refused"]  # 5 in all, not 5 per worker
    assert _in_worker(make_user("other", None), 1) == ["ok"]  # per user


def test_two_processes_share_one_limit_exactly(tmp_path):
    """Two server processes looking up at the same time on one SQLite file: together
    they are allowed exactly the limit (the count is atomic), not the limit each."""
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'rate.sqlite3'}"}
    env["PYTHONPATH"] = str(SRC)
    command = [sys.executable, "-m", "jiandu.core.tests.rate_workers", "--limit", "30"]
    subprocess.run([*command, "--times", "0", "--create"], env=env, check=True, timeout=120)
    workers = [
        subprocess.Popen([*command, "--times", "25"], env=env, stdout=subprocess.PIPE, text=True)
        for _ in range(2)
    ]
    allowed = [int(worker.communicate(timeout=120)[0]) for worker in workers]
    assert sum(allowed) == 30, allowed


@pytest.mark.django_db
def test_the_count_is_not_in_the_cache():
    user = make_user("looker", None)
    for _ in range(5):
        check_rate(user=user, **LIMIT)
        cache.clear()  # a process with an empty cache (a restarted or another worker)
    with pytest.raises(RateLimited, match="查询人员过于频繁：每600秒最多5次"):
        check_rate(user=user, **LIMIT)


@pytest.mark.django_db
def test_a_new_window_starts_again_and_the_table_does_not_grow(monkeypatch):
    user = make_user("looker", None)
    now = [1_000_000_000.0]
    monkeypatch.setattr(ratelimit.time, "time", lambda: now[0])
    for _ in range(5):
        check_rate(user=user, **LIMIT)
    with pytest.raises(RateLimited) as refused:
        check_rate(user=user, **LIMIT)
    assert refused.value.retry_after == 600 - 1_000_000_000 % 600
    for _ in range(3):  # three later windows: allowed again each time
        now[0] += 600
        check_rate(user=user, **LIMIT)
    row = RateCount.objects.get()  # one row per user and kind, however many windows
    assert (row.count, row.window_start % 600) == (1, 0)


@pytest.mark.django_db
def test_one_statement_per_look_up(django_assert_num_queries):
    user = make_user("looker", None)
    check_rate(user=user, **LIMIT)
    with django_assert_num_queries(1):
        check_rate(user=user, **LIMIT)


@pytest.mark.django_db
def test_a_zero_limit_switches_counting_off(django_assert_num_queries):
    user = make_user("looker", None)
    with django_assert_num_queries(0):
        for _ in range(10):
            check_rate(user=user, scope="person_lookup", limit=0, window=60, label="查询人员")
