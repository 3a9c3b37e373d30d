"""Exporting the cadre list: masked numbers and an EXPORT audit row for most users; full
numbers and EXPORT_PROTECTED for holders of people.view_id_number."""

import datetime as dt
import io

from django.urls import reverse
from openpyxl import load_workbook

from jiandu.accounts import roles
from jiandu.core import idnumbers
from jiandu.core.models import AuditLog
from jiandu.people.services import person_create
from jiandu.testing import make_user

NUMBER = idnumbers.make("530102", dt.date(1975, 6, 1), 31)


def _rows(response):
    sheet = load_workbook(io.BytesIO(response.content)).active
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def test_export_is_masked_and_audited_as_export(client, world):
    person_create(
        actor=world.users["city"], name="张建国", registered_org=world.county, id_number=NUMBER
    )
    person_create(actor=world.users["city"], name="王建军", registered_org=world.other_county)
    client.force_login(world.users["county"])

    response = client.get(reverse("people:person_export"), {"q": "建"})

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    rows = _rows(response)
    assert rows[0][:4] == ["姓名", "性别", "出生日期", "身份证号码"]
    assert [row[0] for row in rows[1:]] == ["张建国"]
    assert rows[1][3] == idnumbers.mask(NUMBER)
    assert rows[1][2] in (None, "")  # the birth date comes from the number: not shown
    assert NUMBER.encode() not in response.content
    log = AuditLog.objects.filter(actor=world.users["county"]).latest("sequence")
    assert log.action == "export"
    assert log.changes["rows"] == 1
    assert log.changes["criteria"]["q"] == "建"


def test_holder_of_the_id_permission_exports_full_numbers_audited_as_protected(client, world):
    person = person_create(
        actor=world.users["city"],
        name="赵信访",
        registered_org=world.petition_room,
        id_number=NUMBER,
    )
    officer = world.users["petition_officer"]
    client.force_login(officer)

    response = client.get(reverse("people:person_export"))

    rows = _rows(response)
    assert rows[1][0] == "赵信访"
    assert rows[1][3] == NUMBER
    log = AuditLog.objects.filter(actor=officer).latest("sequence")
    assert log.action == "export_protected"
    assert log.changes["person_ids"] == [person.pk]
    assert NUMBER not in str(log.changes)


def test_export_by_id_number_search_never_records_the_number(client, world):
    person_create(
        actor=world.users["city"], name="张建国", registered_org=world.county, id_number=NUMBER
    )
    searcher = make_user("identity", world.county, roles.ROLE_CLUES, roles.ROLE_IDENTITY)
    client.force_login(searcher)
    listed = client.get(reverse("people:person_list"), {"q": NUMBER}, follow=True)
    export_url = reverse("people:person_export") + "?" + listed.context["query_string"]
    assert NUMBER not in export_url
    rows = _rows(client.get(export_url))
    assert [row[0] for row in rows[1:]] == ["张建国"]
    log = AuditLog.objects.filter(actor=searcher).latest("sequence")
    assert log.changes["criteria"]["id_number_search"] is True
    assert NUMBER not in str(log.changes) and NUMBER not in log.summary
