"""One "server process" making person look-ups against a shared database, for
test_rate_limit_shared: ``python -m jiandu.core.tests.rate_workers --times N --limit L``
with DATABASE_URL set; prints how many were allowed. Creates the rate-count table in a
fresh SQLite file (the rest of the schema is not needed)."""

from __future__ import annotations

if __name__ == "__main__":
    import argparse
    import os

    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jiandu.settings")
    django.setup()
    from django.db import connection

    from jiandu.core.models import RateCount
    from jiandu.core.ratelimit import RateLimited, check_rate

    parser = argparse.ArgumentParser()
    parser.add_argument("--times", type=int, required=True)
    parser.add_argument("--limit", type=int, required=True)
    parser.add_argument("--create", action="store_true")
    args = parser.parse_args()
    if args.create:
        with connection.schema_editor() as editor:
            editor.create_model(RateCount)

    class Looker:
        pk = 7

    allowed = 0
    for _ in range(args.times):
        try:
            check_rate(
                user=Looker(),
                scope="person_lookup",
                limit=args.limit,
                window=3600,
                label="查询人员",
            )
            allowed += 1
        except RateLimited:
            pass
    print(allowed)
