from jiandu.core.models import AuditLog
from jiandu.imports.services import import_file
from jiandu.imports.tests.helpers import ID_1, ID_2, register, sheet_file
from jiandu.people.models import Person, Post


def _wrong_check_digit(number):
    return number[:17] + ("0" if number[17] != "0" else "1")


def test_one_bad_row_reports_each_cell_and_writes_nothing(users, world):
    register(world, ID_1, "张某某")
    audit_before = AuditLog.objects.count()
    data = sheet_file(
        "posts",
        [ID_1, "红云街道", "党工委书记", "县管干部", "是", "2018-01-15", ""],
        [_wrong_check_digit(ID_1), "红云镇", "副主任", "县管干布", "否", "2018-02-30", ""],
        [ID_1, "五华区纪委监委", "科员", "一般干部", "", "2012-07-01", "2017-12-31"],
    )

    result = import_file(actor=users["county"], kind="posts", filename="任职.xlsx", data=data)

    assert not result.ok
    assert result.rows == 3
    assert [(e.row, e.column) for e in result.errors] == [
        (3, "身份证号码"),
        (3, "单位"),
        (3, "干部管理层级"),
        (3, "任职日期"),
    ]
    messages = [e.message for e in result.errors]
    assert "校验位错误" in messages[0]
    assert messages[1] == "单位“红云镇”不存在或不在您的管辖范围内"
    assert "“县管干布”不是可选值" in messages[2] and "县管干部" in messages[2]
    assert "不是有效日期" in messages[3]
    assert result.created == {}
    assert not Post.objects.exists()
    assert AuditLog.objects.count() == audit_before


def test_a_row_refused_by_a_service_rolls_back_the_rows_before_it(users, world):
    register(world, ID_2, "李某")  # already registered: person_create refuses it again
    audit_before = AuditLog.objects.count()
    data = sheet_file(
        "people",
        ["张某某", ID_1, "", "红云街道", ""],
        ["李某", ID_2, "", "红云街道", ""],
    )

    result = import_file(actor=users["county"], kind="people", filename="人员.xlsx", data=data)

    assert not result.ok
    assert [(e.row, e.column) for e in result.errors] == [(3, "身份证号码")]
    assert "已登记" in result.errors[0].message
    assert not Person.objects.filter(name="张某某").exists()
    assert AuditLog.objects.count() == audit_before


def test_required_cells_and_empty_rows(users, world):
    data = sheet_file(
        "people",
        ["", ID_1, "", "红云街道", ""],
        [None, None, None, None, None],
        ["张某", "", "", "", ""],
    )
    result = import_file(actor=users["county"], kind="people", filename="p.xlsx", data=data)
    assert [(e.row, e.column, e.message) for e in result.errors] == [
        (2, "姓名", "必填，不能为空"),
        (4, "身份证号码", "必填，不能为空"),
        (4, "登记单位", "必填，不能为空"),
    ]
    assert result.rows == 2  # the blank row 3 is skipped, numbering is Excel's


def test_a_file_without_data_rows_is_refused(users, world):
    result = import_file(
        actor=users["county"], kind="people", filename="p.xlsx", data=sheet_file("people")
    )
    assert not result.ok
    assert "没有数据行" in result.errors[0].message
