from jiandu.imports.services import import_file
from jiandu.imports.tests.helpers import ID_1, sheet_file
from jiandu.people.models import Person


def test_the_same_file_is_not_imported_twice(users, world):
    data = sheet_file("people", ["张某某", ID_1, "", "红云街道", ""])
    first = import_file(actor=users["county"], kind="people", filename="p.xlsx", data=data)
    assert first.ok
    second = import_file(actor=users["city"], kind="people", filename="p (1).xlsx", data=data)
    assert not second.ok
    assert "同一文件已于" in second.errors[0].message
    assert Person.objects.count() == 1


def test_a_failed_import_can_be_retried(users, world):
    data = sheet_file("people", ["张某某", ID_1, "", "不存在的单位", ""])
    assert not import_file(actor=users["county"], kind="people", filename="p.xlsx", data=data).ok
    again = import_file(actor=users["county"], kind="people", filename="p.xlsx", data=data)
    assert "同一文件" not in again.errors[0].message
