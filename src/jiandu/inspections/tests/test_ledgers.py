"""三本账: rows from a round's transferred clues, monthly reports on the page's path and
through the .xlsx template (all or nothing, row-named errors), the city overview,
scoping."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.exceptions import ValidationError
from openpyxl import load_workbook

from jiandu.inspections import ledgers, services
from jiandu.inspections.choices import LedgerKind, LedgerStatus, RoundStage
from jiandu.inspections.models import LedgerReport, LedgerRow
from jiandu.inspections.tests.helpers import make_round

pytestmark = pytest.mark.django_db
MONTH = dt.date(2026, 10, 1)


@pytest.fixture
def rows(rw, actor, pool):
    w = rw.world
    item = make_round(rw, actor, targets=[w.county, w.township])
    services.round_draw(actor=actor, round=item, seed=3)
    services.round_advance(actor=actor, round=item, to_stage=RoundStage.STATIONED)
    for title in ("村集体资金问题", "工程项目围标"):
        services.clue_transfer(actor=actor, round=item, org=w.township, title=title,
                               handling_org=w.county)  # fmt: skip
    made = ledgers.ledger_rows_from_round(actor=actor, round=item, county=w.county)
    assert ledgers.ledger_rows_from_round(actor=actor, round=item, county=w.county) == []
    made.append(ledgers.ledger_row_add(actor=actor, county=w.county, kind=LedgerKind.GOVERNANCE,
                                       title="规范村级财务报账", round=item))  # fmt: skip
    return made


def test_rows_and_monthly_report_all_or_nothing(rw, actor, rows):
    w = rw.world
    assert [r.kind for r in rows] == ["transferred", "transferred", "governance"]
    with pytest.raises(ValidationError, match="巡察移交的线索"):
        ledgers.ledger_row_add(actor=actor, county=w.county, kind=LedgerKind.TRANSFERRED, title="x")
    good = ledgers.ProgressLine(rows[0].pk, "已初核", LedgerStatus.OPEN)
    bad = ledgers.ProgressLine(999999, "", "x")
    with pytest.raises(ValidationError) as caught:
        ledgers.monthly_report(actor=actor, county=w.county, month=MONTH, lines=[good, bad])
    text = str(caught.value)
    assert "第2行“编号”列：编号 999999" in text and "第2行“进展”列：请填写进展" in text
    assert not LedgerReport.objects.exists()
    ledgers.monthly_report(actor=actor, county=w.county, month=MONTH, lines=[
        good, ledgers.ProgressLine(rows[2].pk, "已制定制度", LedgerStatus.DONE)])  # fmt: skip
    assert LedgerRow.objects.get(pk=rows[2].pk).status == LedgerStatus.DONE
    overview = ledgers.city_overview(user=actor, month=MONTH)
    by_kind = {o["kind"]: o for o in overview}
    assert by_kind["巡察移交问题线索台账"]["total"] == 2
    assert by_kind["巡察移交问题线索台账"]["reported"] == 1
    assert by_kind["专项治理建议台账"]["done"] == 1
    # Another county sees none of it.
    assert ledgers.city_overview(user=rw.accounts["dongchuan"], month=MONTH) == []
    with pytest.raises(ValidationError, match="管辖范围"):
        ledgers.monthly_report(actor=rw.accounts["dongchuan"], county=w.county, month=MONTH,
                               lines=[good])  # fmt: skip


def test_xlsx_template_round_trip(rw, actor, rows):
    w = rw.world
    data = ledgers.monthly_template(w.county)
    book = load_workbook(io.BytesIO(data))
    sheet = book.active
    assert [c.value for c in sheet[1]] == list(ledgers.TEMPLATE_HEADERS)
    assert sheet.max_row == 4
    sheet.cell(row=2, column=4, value="已立案")
    sheet.cell(row=2, column=5, value="已办结")
    sheet.cell(row=3, column=4, value="正在核查")
    sheet.cell(row=4, column=4, value="起草中")
    buffer = io.BytesIO()
    book.save(buffer)
    lines = ledgers.lines_from_xlsx(buffer.getvalue())
    ledgers.monthly_report(actor=actor, county=w.county, month=MONTH, lines=lines, first_row=2)
    assert LedgerRow.objects.get(pk=sheet.cell(row=2, column=1).value).status == "done"
    sheet.cell(row=3, column=5, value="差不多了")
    buffer = io.BytesIO()
    book.save(buffer)
    lines = ledgers.lines_from_xlsx(buffer.getvalue())
    with pytest.raises(ValidationError, match="第3行“状态”列"):
        ledgers.monthly_report(actor=actor, county=w.county, month=MONTH, lines=lines, first_row=2)
    with pytest.raises(ValidationError, match="不是有效的"):
        ledgers.lines_from_xlsx(b"not a workbook")
