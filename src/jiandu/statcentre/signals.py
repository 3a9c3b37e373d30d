"""The daily aggregate follows every write of a counted record, whichever path made it
(page, API, import, service): before a save or delete the (org, day) cells the record
counts in are noted, after it those cells and the new ones are recomputed from the raw
rows, in the same transaction (``jiandu.statcentre.aggregate``). Staged imports announce
their rows with ``core.db.rows_published`` (one refresh per batch). ``QuerySet.update``
and ``bulk_create`` send no signals: a bulk writer runs inside ``aggregate.paused()`` and
rebuilds after (the demo does), or runs ``jiandu stats rebuild``."""

from __future__ import annotations

from typing import Any

from django.db.models import Model
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete, pre_save

from jiandu.clues.models import Clue, ExposureBatch, ExposureCase, Outcome, Petition
from jiandu.core.db import rows_published
from jiandu.followup.models import Clarification, FalseAccusation, FeedbackStep

# Every model a registered count figure reads (its model, or one its org and date fields
# go through); tests/test_aggregate.py checks the list against the figure registry.
WATCHED: list[type[Model]] = [
    Petition,
    Clue,
    Outcome,
    ExposureBatch,
    ExposureCase,
    ExposureCase.persons.through,
    FeedbackStep,
    Clarification,
    FalseAccusation,
]
OLD = "_statcentre_cells"


def _before(sender: Any, instance: Any, **kwargs: Any) -> None:
    from jiandu.statcentre import aggregate  # loaded on first write, not at start-up

    if aggregate.is_paused() or instance._state.adding:
        return
    instance.__dict__[OLD] = aggregate.cells_of(sender, instance.pk)


def _saved(sender: Any, instance: Any, **kwargs: Any) -> None:
    from jiandu.statcentre import aggregate

    if aggregate.is_paused():
        return
    old = instance.__dict__.pop(OLD, {})
    aggregate.refresh_cells(old, aggregate.cells_of(sender, instance.pk))


def _deleted(sender: Any, instance: Any, **kwargs: Any) -> None:
    from jiandu.statcentre import aggregate

    if aggregate.is_paused():
        return
    aggregate.refresh_cells(instance.__dict__.pop(OLD, {}))


def _persons_changed(
    sender: Any, instance: Any, action: str, reverse: bool, pk_set: Any, **kwargs: Any
) -> None:
    from jiandu.statcentre import aggregate

    if aggregate.is_paused():
        return
    if not reverse:
        cases = [instance.pk]
    elif action == "pre_clear":
        instance.__dict__[OLD] = list(
            ExposureCase.objects.filter(persons=instance).values_list("pk", flat=True)
        )
        return
    elif action == "post_clear":
        cases = instance.__dict__.pop(OLD, [])
    else:
        cases = list(pk_set or [])
    if action not in ("post_add", "post_remove", "post_clear"):
        return
    aggregate.refresh_cells(*(aggregate.cells_of(ExposureCase, pk) for pk in cases))


def _published(sender: Any, pks: list[Any], objs: Any = None, **kwargs: Any) -> None:
    """Rows a staged import made visible without ``save()`` (core.db.rows_published):
    their cells are recomputed once for the whole batch, in the publishing transaction.
    The cells come from the staged instances when they hold them (no query per 500 rows
    inside the transaction that holds SQLite's write lock), else from the rows."""
    from jiandu.statcentre import aggregate

    if sender not in WATCHED or aggregate.is_paused():
        return
    cells = aggregate.cells_of_objects(sender, objs) if objs else None
    if cells is None:
        cells = aggregate.cells_of_many(sender, pks)
    aggregate.refresh_cells(cells)


rows_published.connect(_published, dispatch_uid="statcentre-rows-published")

for _model in WATCHED:
    uid = f"statcentre-{_model._meta.label_lower}"
    pre_save.connect(_before, sender=_model, dispatch_uid=f"{uid}-pre-save")
    post_save.connect(_saved, sender=_model, dispatch_uid=f"{uid}-save")
    pre_delete.connect(_before, sender=_model, dispatch_uid=f"{uid}-pre-delete")
    post_delete.connect(_deleted, sender=_model, dispatch_uid=f"{uid}-delete")
m2m_changed.connect(
    _persons_changed, sender=ExposureCase.persons.through, dispatch_uid="statcentre-persons"
)
