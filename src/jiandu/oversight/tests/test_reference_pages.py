"""The working-day calendar page (view a year, import .csv/.xlsx all or nothing with row
errors, mark one date) and the deadline table page (rules in force, change with a reason,
history); only the 系统管理员 role edits them."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from jiandu.accounts import roles
from jiandu.core.deadlines import deadline_rule
from jiandu.core.models import CalendarDay
from jiandu.testing import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor(world):
    return make_user("calendar-admin", world.city, roles.ROLE_SYSTEM_ADMIN)


def _xlsx(rows):
    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_import_csv_is_all_or_nothing_with_row_errors(world, client, editor):
    client.force_login(editor)
    bad = SimpleUploadedFile("2027.csv", "date,kind\n2027-01-01,休\n2027-01-02,放假\n".encode())
    response = client.post(reverse("oversight:calendar_import"), {"file": bad})
    assert response.status_code == 422
    assert "第3行" in response.content.decode() and not CalendarDay.objects.exists()
    good = SimpleUploadedFile("2027.csv", "date,kind\n2027-01-01,休\n2027-02-07,班\n".encode())
    assert client.post(reverse("oversight:calendar_import"), {"file": good}).status_code == 302
    page = client.get(reverse("oversight:calendar"), {"year": 2027}).content.decode()
    assert "2027-01-01" in page and "2027-02-07" in page


def test_import_xlsx_with_real_dates(world, client, editor):
    client.force_login(editor)
    data = _xlsx([["日期", "类型"], [dt.datetime(2027, 10, 1), "休"], ["2027-10-09", "班"]])
    upload = SimpleUploadedFile("2027.xlsx", data)
    assert client.post(reverse("oversight:calendar_import"), {"file": upload}).status_code == 302
    kinds = dict(CalendarDay.objects.values_list("date", "kind"))
    assert kinds == {dt.date(2027, 10, 1): "rest", dt.date(2027, 10, 9): "work"}


def test_mark_one_date_and_clear_it(world, client, editor):
    client.force_login(editor)
    url = reverse("oversight:calendar_day")
    client.post(url, {"date": "2027-05-06", "kind": "rest", "note": "临时调整"})
    assert CalendarDay.objects.get(date=dt.date(2027, 5, 6)).note == "临时调整"
    client.post(url, {"date": "2027-05-06", "kind": ""})
    assert not CalendarDay.objects.exists()


def test_only_the_editor_role_changes_the_calendar_and_the_table(world, client):
    client.force_login(world.users["group"])
    assert client.get(reverse("oversight:calendar")).status_code == 200
    assert client.get(reverse("oversight:deadlines")).status_code == 200
    upload = SimpleUploadedFile("2027.csv", b"date,kind\n2027-01-01,\xe4\xbc\x91\n")
    assert client.post(reverse("oversight:calendar_import"), {"file": upload}).status_code == 403
    response = client.post(
        reverse("oversight:deadline_rule_change"),
        {"step": "oversight.rectification", "period_kind": "days", "length": 5, "reason": "x"},
    )
    assert response.status_code == 403


def test_deadline_rule_changed_with_a_reason_and_kept_in_history(world, client, editor):
    client.force_login(editor)
    url = reverse("oversight:deadline_rule_change")
    data = {"step": "oversight.rectification", "period_kind": "workdays", "length": 20}
    refused = client.post(url, {**data, "reason": ""})
    assert refused.status_code == 422 and deadline_rule("oversight.rectification").length == 30
    assert client.post(url, {**data, "reason": "按新办法"}).status_code == 302
    rule = deadline_rule("oversight.rectification")
    assert (rule.period_kind, rule.length) == ("workdays", 20)
    page = client.get(reverse("oversight:deadlines")).content.decode()
    assert "20个工作日" in page and "按新办法" in page and "30日" in page
