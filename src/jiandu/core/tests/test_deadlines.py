"""The stored calendar and deadline table (jiandu.core.deadlines) and ``jiandu calendar``:
imports all or nothing with errors by row, a year replaced whole, rules versioned so a set
deadline does not move, the calculator on the stored calendar and on a file."""

from __future__ import annotations

import datetime as dt
import io
import json
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command

from jiandu.core.choices import CalendarDayKind
from jiandu.core.deadlines import (
    calendar_day_set,
    calendar_import,
    calendar_years,
    deadline_compute,
    deadline_rule,
    deadline_rule_ensure,
    deadline_rule_set,
    work_calendar,
)
from jiandu.core.models import AuditLog, CalendarDay, DeadlineRule

pytestmark = pytest.mark.django_db
HOLIDAYS = Path(__file__).resolve().parents[1] / "data" / "holidays"
D = dt.date.fromisoformat


def rows_of(year: int) -> list[list[str]]:
    lines = (HOLIDAYS / f"{year}.csv").read_text(encoding="utf-8").splitlines()[1:]
    return [line.split(",") for line in lines]


def test_import_a_year_and_compute(users):
    result = calendar_import(actor=users["city"], rows=rows_of(2026), source="2026.csv")
    assert result.years == [2026] and result.work_days == 6
    assert calendar_years() == [2026]
    assert not work_calendar().is_workday(D("2026-10-05"))
    assert work_calendar().is_workday(D("2026-10-10"))
    row = AuditLog.objects.filter(object_type="core.calendarday").latest("sequence")
    assert "2026年工作日历" in row.summary


def test_import_is_all_or_nothing_with_rows_named(users):
    calendar_import(actor=users["city"], rows=rows_of(2026))
    before = list(CalendarDay.objects.values_list("date", "kind"))
    bad = [["2026-10-01", "休"], ["2026-02-30", "休"], ["2026-10-02", "假"]]
    with pytest.raises(ValidationError) as error:
        calendar_import(actor=users["city"], rows=bad)
    assert error.value.messages[0].startswith("第3行“日期”列")
    assert error.value.messages[1].startswith("第4行“类型”列")
    assert list(CalendarDay.objects.values_list("date", "kind")) == before


def test_import_replaces_the_years_it_lists_only(users):
    calendar_import(actor=users["city"], rows=rows_of(2025) + rows_of(2026))
    calendar_import(actor=users["city"], rows=[["2026-10-01", "休"]])
    assert calendar_years() == [2025, 2026]
    assert CalendarDay.objects.filter(date__year=2026).count() == 1
    assert CalendarDay.objects.filter(date__year=2025).count() == len(rows_of(2025))


def test_one_day_set_and_cleared(users):
    calendar_day_set(actor=users["city"], date=D("2027-02-06"), kind=CalendarDayKind.WORK)
    assert work_calendar().is_workday(D("2027-02-06"))
    calendar_day_set(actor=users["city"], date=D("2027-02-06"), kind=None)
    assert not work_calendar().is_workday(D("2027-02-06"))
    assert AuditLog.objects.filter(object_type="core.calendarday").count() == 2


def test_rule_versions_keep_set_deadlines(users):
    calendar_import(actor=users["city"], rows=rows_of(2026))
    first = deadline_rule_ensure(
        step="test.step", label="测试环节", period_kind="workdays", length=5
    )
    set_before = deadline_compute("test.step", D("2026-09-28"))
    assert set_before.due == D("2026-10-10") and set_before.rule == first
    with pytest.raises(ValidationError):
        deadline_rule_set(
            actor=users["city"], step="test.step", period_kind="days", length=30, reason=" "
        )
    new = deadline_rule_set(
        actor=users["city"], step="test.step", period_kind="days", length=30, reason="按新规定调整"
    )
    first.refresh_from_db()
    assert first.archived_at is not None and first.archive_reason == "按新规定调整"
    assert deadline_rule("test.step") == new
    assert deadline_compute("test.step", D("2026-09-01")).due == D("2026-10-08")
    # ensure never changes the rule in force
    assert deadline_rule_ensure(step="test.step", label="x", period_kind="months", length=9) == new
    assert DeadlineRule.objects.filter(step="test.step").count() == 2


def test_missing_rule_is_an_error():
    with pytest.raises(LookupError, match="没有环节"):
        deadline_rule("no.such.step")


def test_calculator_without_file_uses_the_stored_calendar(users, capsys, monkeypatch):
    from django.db import connections

    from jiandu.core import calendar_cli

    monkeypatch.setattr(connections, "close_all", lambda: None)
    calendar_import(actor=users["city"], rows=rows_of(2026))
    code = calendar_cli.main(["--from", "2026-09-28", "--workdays", "5", "--json"])
    assert code == 0
    assert json.loads(capsys.readouterr().out) == {"due": "2026-10-10"}


def test_calendar_command_import_and_years(users, tmp_path):
    path = tmp_path / "2026.csv"
    path.write_text((HOLIDAYS / "2026.csv").read_text(encoding="utf-8"), encoding="utf-8")
    out = io.StringIO()
    call_command("calendar", "import", str(path), "--actor", "city", "--json", stdout=out)
    assert json.loads(out.getvalue())["years"] == [2026]
    out = io.StringIO()
    call_command("calendar", "years", "--json", stdout=out)
    assert json.loads(out.getvalue()) == {"years": [2026]}
