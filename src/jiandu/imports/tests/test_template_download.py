import io

from django.urls import reverse
from openpyxl import load_workbook

from jiandu.core.contenttypes import XLSX_CONTENT_TYPE
from jiandu.imports.importers import INSTRUCTIONS_SHEET, OPTIONS_SHEET
from jiandu.imports.kinds import KINDS
from jiandu.imports.tests.helpers import headers


def _download(client, user, kind):
    client.force_login(user)
    response = client.get(reverse("imports:template", args=[kind]))
    assert response.status_code == 200
    assert response["Content-Type"] == XLSX_CONTENT_TYPE
    assert "attachment" in response["Content-Disposition"]
    return load_workbook(io.BytesIO(response.content))


def _list_validation(sheet, column_letter):
    for validation in sheet.data_validations.dataValidation:
        if validation.type == "list" and any(
            str(cell_range).startswith(f"{column_letter}2:")
            for cell_range in validation.sqref.ranges
        ):
            return validation
    return None


def _options(book, formula):
    sheet_part, cells = formula.split("!")
    column = cells.split(":")[0].strip("$").rstrip("0123456789").strip("$")
    sheet = book[sheet_part.strip("'")]
    return [c.value for c in sheet[column][1:] if c.value is not None]


def test_orgs_template_has_headers_dropdowns_and_instructions(client, data_officer):
    book = _download(client, data_officer, "orgs")
    sheet = book["组织机构"]
    assert [c.value for c in sheet[1]] == headers("orgs")
    assert book.sheetnames[0] == "组织机构"
    assert book[OPTIONS_SHEET].sheet_state == "hidden"

    kind_dropdown = _list_validation(sheet, "C")  # 类型
    assert kind_dropdown is not None and kind_dropdown.showErrorMessage
    assert _options(book, kind_dropdown.formula1)[:3] == [
        "纪委监委",
        "监督检查室",
        "派驻纪检监察组",
    ]

    instructions = [c.value for row in book[INSTRUCTIONS_SHEET].iter_rows() for c in row if c.value]
    assert "上级单位" in instructions
    assert any("整个文件都不导入" in str(v) for v in instructions)


def test_org_dropdown_offers_only_the_users_jurisdiction(client, users):
    book = _download(client, users["county"], "people")
    sheet = book["人员"]
    org_column = "D"  # 登记单位
    assert sheet["D1"].value == "登记单位"
    suggestions = _list_validation(sheet, org_column)
    assert suggestions is not None and not suggestions.showErrorMessage  # a hint, not a rule
    offered = _options(book, suggestions.formula1)
    assert "五华区纪委监委" in offered and "红云街道" in offered
    assert "盘龙区纪委监委" not in offered and "昆明市纪委监委" not in offered


def test_clues_template_has_two_sheets_and_text_id_columns(client, users):
    book = _download(client, users["city"], "clues")
    assert book.sheetnames[:2] == ["线索", "处理结果"]
    assert [c.value for c in book["线索"][1]] == headers("clues", 0)
    assert [c.value for c in book["处理结果"][1]] == headers("clues", 1)
    disposal = _list_validation(book["线索"], "H")  # 处置方式
    assert _options(book, disposal.formula1) == [
        "谈话函询",
        "初步核实",
        "暂存待查",
        "予以了结",
        "立案审查",
    ]
    assert book["线索"].column_dimensions["G"].number_format == "@"  # 被反映人身份证号码


def test_every_kind_has_a_template(client, users, data_officer, world):
    from jiandu.accounts import roles
    from jiandu.testing import make_user

    for key in KINDS:
        user = data_officer if key == "orgs" else users["city"]
        if not user.has_perm(KINDS[key].permission):
            # A kind of another app's job (e.g. 政治生态档案): an officer with that role.
            role = next(
                r for r, perms in roles.ROLE_PERMISSIONS.items() if KINDS[key].permission in perms
            )
            user = make_user(f"import-{key}", world.city, role)
        book = _download(client, user, key)
        for index, spec in enumerate(KINDS[key].sheets):
            assert [c.value for c in book[spec.title][1]] == headers(key, index)
