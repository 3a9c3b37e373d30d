"""The follow-up periods as rows of the deadline table (core.DeadlineRule): 受理告知,
结果反馈, the personnel and pay changes after a heavy sanction, and the suggested date
of a 回访教育. Only what is missing is added; a rule changed on the pages stays."""

from __future__ import annotations

from typing import Any

from django.apps import apps as global_apps

from jiandu.followup.rules import DEADLINE_RULES


def install_reference_data(apps: Any = global_apps) -> None:
    DeadlineRule = apps.get_model("core", "DeadlineRule")
    for step, label, kind, length, basis in DEADLINE_RULES:
        if not DeadlineRule.objects.filter(step=step, archived_at__isnull=True).exists():
            DeadlineRule.objects.create(
                step=step, label=label, period_kind=kind, length=length, basis=basis
            )
