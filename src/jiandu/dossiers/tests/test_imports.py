"""Items from other bodies through the all-or-nothing importer, keeping body, file, row."""

import datetime as dt
import io

import pytest
from openpyxl import Workbook

from jiandu.dossiers.import_kinds import ITEMS_SHEET, KIND_KEY
from jiandu.dossiers.models import DossierItem
from jiandu.imports.services import import_file

pytestmark = pytest.mark.django_db


def workbook(rows):
    wb = Workbook()
    ws = wb.active
    ws.title = ITEMS_SHEET.title
    ws.append([c.header for c in ITEMS_SHEET.columns])
    for row in rows:
        ws.append(list(row))
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def test_a_good_file_is_stored_with_its_source(dw):
    data = workbook([
        (dw.ids["zhang"], None, "年度考核优秀", "2025-12-30", "2025年度考核优秀", "市委组织部"),
        (None, "市财政局", "审计发现问题", "2025-11-02", "专项资金未按进度拨付", "市审计局"),
    ])  # fmt: skip
    result = import_file(actor=dw.stats, kind=KIND_KEY, filename="组织部.xlsx", data=data)
    assert result.ok, result.errors
    assert result.created == {"dossier_items": 2}
    item = DossierItem.objects.get(person=dw.zhang)
    assert (item.kind, item.occurred_on) == ("appraisal_excellent", dt.date(2025, 12, 30))
    assert (item.source_body, item.source_file, item.source_row) == ("市委组织部", "组织部.xlsx", 2)
    assert len(item.source_sha256) == 64
    assert DossierItem.objects.get(org=dw.rw.world.unit_a).source_row == 3


def test_a_bad_row_stores_nothing_and_is_named(dw):
    data = workbook([
        (dw.ids["zhang"], None, "表彰嘉奖", "2025-12-30", "优秀共产党员", "市委组织部"),
        (dw.ids["zhang"], "市财政局", "表彰嘉奖", "2025-12-30", "两者都填", "市委组织部"),
        (None, None, "嘉奖", "2025-12-30", "类别错误且未填对象", "市委组织部"),
        (dw.ids["outsider"][:-1] + "0", None, "表彰嘉奖", "2025-12-30", "号码", "市委组织部"),
    ])  # fmt: skip
    result = import_file(actor=dw.county_user, kind=KIND_KEY, filename="x.xlsx", data=data)
    assert not result.ok
    rows = {e.row for e in result.errors}
    assert {2, 3, 4, 5} <= rows  # 2: 张明 outside 五华区's jurisdiction
    assert not DossierItem.objects.exists()
