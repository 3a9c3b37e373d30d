import datetime as dt

from jiandu.clues.choices import ClueSource
from jiandu.clues.models import Clue
from jiandu.clues.services import clue_create
from jiandu.imports.services import import_file
from jiandu.imports.tests.helpers import ID_3, headers, register, sheet_file, workbook
from jiandu.orgs.models import Org


def test_an_org_outside_the_actors_jurisdiction_is_an_error(county_data_officer, world):
    data = sheet_file(
        "orgs",
        ["龙翔街道", "", "乡镇街道", "五华区纪委监委", "", "", ""],
        ["东华街道", "", "乡镇街道", "盘龙区纪委监委", "", "", ""],
        ["拓东街道", "", "乡镇街道", "530103", "", "", ""],
    )
    result = import_file(actor=county_data_officer, kind="orgs", filename="o.xlsx", data=data)
    assert not result.ok
    assert [(e.row, e.column, e.message) for e in result.errors] == [
        (3, "上级单位", "单位“盘龙区纪委监委”不存在或不在您的管辖范围内"),
        (4, "上级单位", "单位“530103”不存在或不在您的管辖范围内"),
    ]
    assert not Org.objects.filter(name="龙翔街道").exists()


def test_people_and_clues_outside_the_jurisdiction_are_not_found(users, world):
    register(world, ID_3, "王某", org=world.other_county)
    other_clue = clue_create(
        actor=users["outsider"],
        source=ClueSource.PETITION,
        title="盘龙区的线索",
        received_date=dt.date(2020, 3, 2),
        handling_org=world.other_county,
    )
    posts = sheet_file("posts", [ID_3, "红云街道", "主任", "科级", "", "2019-01-01", ""])
    result = import_file(actor=users["county"], kind="posts", filename="p.xlsx", data=posts)
    assert [(e.row, e.column) for e in result.errors] == [(2, "身份证号码")]

    outcomes = workbook(
        {
            "处理结果": [
                headers("outcomes"),
                [other_clue.number, "", "王某", "诬告陷害查处", "", "", "2020-05-01", ""],
            ]
        }
    )
    result = import_file(actor=users["county"], kind="outcomes", filename="o.xlsx", data=outcomes)
    assert [(e.row, e.column) for e in result.errors] == [(2, "线索编号")]
    assert "不在您的管辖范围内" in result.errors[0].message
    assert Clue.objects.count() == 1
