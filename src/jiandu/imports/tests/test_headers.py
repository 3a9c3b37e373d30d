from jiandu.imports.services import import_file
from jiandu.imports.tests.helpers import ID_1, headers, workbook
from jiandu.people.models import Person


def test_wrong_headers_give_one_error_naming_expected_and_actual(users, world):
    wrong = ["姓名", "身份证号", "政治面貌", "单位", "备注"]
    data = workbook({"人员": [wrong, ["张某某", ID_1, "", "红云街道", ""]]})

    result = import_file(actor=users["county"], kind="people", filename="p.xlsx", data=data)

    assert not result.ok
    assert len(result.errors) == 1
    error = result.errors[0]
    assert (error.sheet, error.row, error.column) == ("人员", 1, "")
    assert "缺少：身份证号码、登记单位" in error.message
    assert "多出：身份证号、单位" in error.message
    assert "模板表头为：" + "、".join(headers("people")) in error.message
    assert "文件表头为：" + "、".join(wrong) in error.message
    assert not Person.objects.exists()


def test_a_file_of_another_kind_is_recognised_by_its_headers(users, world):
    data = workbook(
        {"任职": [headers("posts"), [ID_1, "红云街道", "主任", "科级", "", "2019-01-01", ""]]}
    )
    result = import_file(actor=users["county"], kind="people", filename="p.xlsx", data=data)
    assert len(result.errors) == 1
    assert "表头与模板不一致" in result.errors[0].message


def test_column_order_and_width_variants_are_accepted(users, world):
    reordered = ["登记单位", "姓名", " 身份证号码 ", "备注", "政治面貌"]
    data = workbook({"Sheet1": [reordered, ["红云街道", "张某某", ID_1, "", "群众"]]})
    result = import_file(actor=users["county"], kind="people", filename="p.xlsx", data=data)
    assert result.ok, result.errors
    assert Person.objects.get().political_status == "non_party"


def test_something_that_is_not_a_workbook(users, world):
    result = import_file(
        actor=users["county"], kind="people", filename="p.xlsx", data=b"name,id\n1,2\n"
    )
    assert not result.ok
    assert ".xlsx" in result.errors[0].message
