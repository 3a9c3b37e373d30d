"""The clues' reference data: the deadline table's row for each clue stage (one step
per stage). A rule in force is never changed here; clues keep the due dates they
already have (stored on the clue when the stage started)."""

from __future__ import annotations

from typing import Any

from django.apps import apps as global_apps

# step, label, length in days, basis
DEADLINE_RULES = [
    ("clues.received", "问题线索受理后处置", 30, "受理之日起30日内提出处置意见"),
    ("clues.talk_inquiry", "谈话函询", 30, "谈话函询：30日内办结"),
    ("clues.preliminary_verification", "初步核实", 90, "初步核实：90日内办结"),
    ("clues.shelved", "暂存待查", 365, "暂存待查：365日内复查"),
    ("clues.dismissed", "予以了结", 15, "予以了结：15日内办结"),
    ("clues.case_filed", "立案审查", 180, "立案审查：180日内办结"),
]


def install_reference_data(apps: Any = global_apps) -> None:
    """Add the clue stages' deadline rules that are missing. ``apps`` is the model
    registry: a migration's historical one, or the running project's."""
    DeadlineRule = apps.get_model("core", "DeadlineRule")
    for step, label, days, basis in DEADLINE_RULES:
        if not DeadlineRule.objects.filter(step=step, archived_at__isnull=True).exists():
            DeadlineRule.objects.create(
                step=step, label=label, period_kind="days", length=days, basis=basis
            )
