"""Rows a staged import makes visible (no ``save()``, no ``post_save``) reach the daily
aggregate too: after a 问题线索 import with 处理结果 the aggregate equals the raw count."""

import datetime as dt

from jiandu.imports.services import import_file
from jiandu.imports.tests.helpers import ID_1, ID_2, headers, register, workbook
from jiandu.imports.tests.test_import_clues import CLUE_ROWS, OUTCOME_ROWS
from jiandu.statcentre.models import DailyFigure
from jiandu.statcentre.selectors import aggregate_differences


def test_a_staged_clue_import_keeps_the_aggregate_exact(users, world):
    register(world, ID_1, "张某某")
    register(world, ID_2, "李某")
    data = workbook(
        {
            "线索": [headers("clues", 0), *CLUE_ROWS],
            "处理结果": [headers("clues", 1), *OUTCOME_ROWS],
        }
    )
    before = DailyFigure.objects.count()

    result = import_file(actor=users["county"], kind="clues", filename="台账.xlsx", data=data)

    assert result.ok, result.errors
    assert DailyFigure.objects.count() > before
    differences = aggregate_differences(
        org_ids=None, start=dt.date(2020, 1, 1), end=dt.date(2020, 12, 31)
    )
    assert differences == []
