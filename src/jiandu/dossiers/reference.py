"""The shipped defaults of the 政治生态档案: the first version of the colour table (seed
001: red 表彰嘉奖, blue 中性信息, yellow problems handled by organisational means, black
党纪政务处分) and of the grading table. Both are data: a commission adds a new version
with a later 施行日期 on the tables page; dossiers and opinions as of an earlier date
keep the version then in force. :func:`install_reference_data` only adds what is
missing."""

from __future__ import annotations

import datetime as dt
from typing import Any

DEFAULT_VERSION = "2026-01"
DEFAULT_VALID_FROM = dt.date(2000, 1, 1)

DEFAULT_COLOURS: dict[str, str] = {
    "clue_subject": "blue",
    "outcome_criticism": "yellow",
    "outcome_organisational": "yellow",
    "outcome_accountability": "yellow",
    "outcome_party": "black",
    "outcome_government": "black",
    "outcome_judicial": "black",
    "outcome_name_cleared": "blue",
    "problem": "yellow",
    "problem_rectified": "blue",
    "board_warning": "yellow",
    "board_top": "red",
    "commendation": "red",
    "appraisal_excellent": "red",
    "appraisal_competent": "blue",
    "appraisal_basic": "yellow",
    "appraisal_incompetent": "yellow",
    "personal_matters_ok": "blue",
    "personal_matters_finding": "yellow",
    "audit_finding": "yellow",
    "police_record": "yellow",
    "other_info": "blue",
}

DEFAULT_GRADING: dict[str, Any] = {
    "window_months": 36,
    "weights": {"red": 2, "blue": 0, "yellow": -2, "black": -6},
    "bands": [[2, "好"], [0, "较好"], [-4, "一般"], [-9999, "较差"]],
    "caps": [["black", 1, "较差"], ["yellow", 2, "一般"]],
}


def install_reference_data(apps: Any = None) -> None:
    if apps is None:
        from django.apps import apps as current_apps

        apps = current_apps
    ColourTable = apps.get_model("dossiers", "ColourTable")
    ColourRule = apps.get_model("dossiers", "ColourRule")
    GradingTable = apps.get_model("dossiers", "GradingTable")
    if not ColourTable.objects.exists():
        table = ColourTable.objects.create(
            version=DEFAULT_VERSION, valid_from=DEFAULT_VALID_FROM, note="出厂默认颜色表"
        )
        ColourRule.objects.bulk_create(
            ColourRule(table=table, item_kind=kind, colour=colour)
            for kind, colour in DEFAULT_COLOURS.items()
        )
    if not GradingTable.objects.exists():
        GradingTable.objects.create(
            version=DEFAULT_VERSION,
            valid_from=DEFAULT_VALID_FROM,
            note="出厂默认评定表",
            **DEFAULT_GRADING,
        )
