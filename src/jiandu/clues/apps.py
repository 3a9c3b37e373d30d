from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _ensure_search_index(sender, using="default", **kwargs):  # type: ignore[no-untyped-def]
    """SQLite drops a table's triggers when a migration rebuilds the table: put the
    text-search index back after every migrate (a no-op when it is intact)."""
    from django.db import connections

    from jiandu.clues.search import ensure_sqlite_index

    ensure_sqlite_index(connections[using])


def _discard_abandoned_search_entries(older_than):  # type: ignore[no-untyped-def]
    """The search module is loaded on first use, not at start-up."""
    from jiandu.clues.search import discard_abandoned_entries

    return discard_abandoned_entries(older_than)


class CluesConfig(AppConfig):
    name = "jiandu.clues"
    verbose_name = "信访与线索"

    def ready(self) -> None:
        post_migrate.connect(_ensure_search_index, sender=self, dispatch_uid="clues-search")
        # Search entries written ahead by imports killed before publishing (ADR 0013).
        from jiandu.core.db import register_abandoned_cleanup

        register_abandoned_cleanup(_discard_abandoned_search_entries)
        # The clue decisions that go through 呈批 (ADR 0015).
        from jiandu.clues.decisions import register_kinds

        register_kinds()
