"""After migrations change a SQLite schema, the planner statistics are refreshed."""

import pytest
from django.db import connection

from jiandu.core.signals import _analyze_sqlite


@pytest.mark.django_db
def test_sqlite_statistics_are_refreshed_after_a_migration(world):
    if connection.vendor != "sqlite":
        pytest.skip("PostgreSQL's autovacuum keeps its own statistics")
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS sqlite_stat1")
        _analyze_sqlite(sender=None, plan=[("a migration", False)])
        cursor.execute("SELECT count(*) FROM sqlite_stat1 WHERE tbl = 'orgs_org'")
        assert cursor.fetchone()[0] > 0


@pytest.mark.django_db
def test_nothing_is_done_when_no_migration_ran():
    if connection.vendor != "sqlite":
        pytest.skip("SQLite only")
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS sqlite_stat1")
        _analyze_sqlite(sender=None, plan=[])
        cursor.execute("SELECT count(*) FROM sqlite_master WHERE name = 'sqlite_stat1'")
        assert cursor.fetchone()[0] == 0
