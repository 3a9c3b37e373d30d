"""The follow-up rows follow the registry's writes, whichever path made them (page,
API, import): a real-name petition saved gets its 受理告知 step; its closing (存档了结,
转办, or the last of its clues 办结) its 结果反馈 step; a sanction outcome saved its
处分执行 row. Bulk writers (the demo) create the rows themselves."""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_save

from jiandu.clues.models import Clue, Outcome, Petition


def _petition_saved(sender: Any, instance: Petition, raw: bool = False, **kwargs: Any) -> None:
    if raw or not instance.is_real_name:
        return
    from jiandu.followup import services  # loaded on first save, not at start-up

    services.feedback_steps_ensure(instance)


def _clue_saved(sender: Any, instance: Clue, raw: bool = False, **kwargs: Any) -> None:
    if raw or instance.petition_id is None or instance.closed_at is None:
        return
    petition = Petition.objects.filter(pk=instance.petition_id, is_real_name=True).first()
    if petition is not None:
        from jiandu.followup import services

        services.feedback_steps_ensure(petition)


def _outcome_saved(sender: Any, instance: Outcome, raw: bool = False, **kwargs: Any) -> None:
    if raw:
        return
    from jiandu.followup import services

    services.execution_ensure(instance)


post_save.connect(_petition_saved, sender=Petition, dispatch_uid="followup-petition")
post_save.connect(_clue_saved, sender=Clue, dispatch_uid="followup-clue")
post_save.connect(_outcome_saved, sender=Outcome, dispatch_uid="followup-outcome")
