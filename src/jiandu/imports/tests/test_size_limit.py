import openpyxl
import pytest
from django.urls import reverse

from jiandu.imports.services import import_file
from jiandu.imports.tests.helpers import ID_1, sheet_file


@pytest.fixture
def parsing_forbidden(monkeypatch):
    def fail(*args, **kwargs):
        raise AssertionError("the file must not be parsed")

    monkeypatch.setattr(openpyxl, "load_workbook", fail)


def test_an_oversized_file_is_refused_before_parsing(users, world, settings, parsing_forbidden):
    data = sheet_file("people", ["张某某", ID_1, "", "红云街道", ""])
    settings.JIANDU_MAX_UPLOAD_BYTES = len(data) - 1
    result = import_file(actor=users["county"], kind="people", filename="p.xlsx", data=data)
    assert not result.ok
    assert len(result.errors) == 1 and "超过上限" in result.errors[0].message


def test_the_upload_page_refuses_it_from_the_request_size(
    client, users, world, settings, parsing_forbidden
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    data = sheet_file("people", ["张某某", ID_1, "", "红云街道", ""])
    settings.JIANDU_MAX_UPLOAD_BYTES = 1024
    client.force_login(users["county"])
    response = client.post(
        reverse("imports:upload", args=["people"]),
        {"file": SimpleUploadedFile("p.xlsx", data + b"\0" * 2048)},
    )
    assert response.status_code == 422
    assert "超过上限" in response.content.decode()


def test_too_many_rows_are_refused_as_a_whole(users, world):
    from jiandu.imports.tests.helpers import ID_2

    data = sheet_file(
        "people", ["张某某", ID_1, "", "红云街道", ""], ["李某", ID_2, "", "红云街道", ""]
    )
    result = import_file(
        actor=users["county"], kind="people", filename="p.xlsx", data=data, max_rows=1
    )
    assert [e.message for e in result.errors] == [
        "“人员”工作表超过1行数据，请拆分为多个文件分批导入"
    ]


def test_a_workbook_that_would_unpack_too_large_is_refused(
    users, world, settings, parsing_forbidden
):
    # Repetitive rows compress very well: small to upload, large once unpacked.
    data = sheet_file("people", *[["张某某", ID_1, "", "红云街道", "备注" * 20]] * 3000)
    settings.JIANDU_MAX_UPLOAD_BYTES = len(data)
    result = import_file(actor=users["county"], kind="people", filename="p.xlsx", data=data)
    assert len(result.errors) == 1 and "内容过大" in result.errors[0].message
