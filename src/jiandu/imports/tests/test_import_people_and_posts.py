import datetime as dt

from jiandu.core.choices import AuditAction
from jiandu.core.models import AuditLog
from jiandu.imports.services import import_file
from jiandu.imports.tests.helpers import ID_1, ID_2, register, sheet_file
from jiandu.people.choices import ManagementLevel, PoliticalStatus
from jiandu.people.models import Person, Post


def test_people_are_registered_with_facts_from_the_id_number(users, world):
    data = sheet_file(
        "people",
        ["张某某", ID_1, "中共党员", "红云街道", "村（社区）书记"],
        ["李某", ID_2.lower() if ID_2.endswith("X") else ID_2, "", "五华区纪委监委", ""],
    )
    result = import_file(actor=users["county"], kind="people", filename="人员.xlsx", data=data)
    assert result.ok, result.errors
    assert result.created == {"people": 2}
    zhang = Person.objects.get(name="张某某")
    assert zhang.registered_org == world.township
    assert zhang.birth_date == dt.date(1975, 6, 1) and zhang.gender == "男"
    assert zhang.id_number == ID_1 and zhang.note == "村（社区）书记"
    assert Person.objects.get(name="李某").political_status == PoliticalStatus.PARTY_MEMBER
    assert (
        AuditLog.objects.filter(action=AuditAction.CREATE, object_type="people.person").count() == 2
    )
    assert (
        AuditLog.objects.filter(action=AuditAction.IMPORT, object_type="imports.people").count()
        == 1
    )


def test_a_number_repeated_in_the_file_is_reported_on_the_second_row(users, world):
    data = sheet_file(
        "people",
        ["张某某", ID_1, "", "红云街道", ""],
        ["张某", ID_1, "", "红云街道", ""],
    )
    result = import_file(actor=users["county"], kind="people", filename="p.xlsx", data=data)
    assert not result.ok
    assert [(e.row, e.column, e.message) for e in result.errors] == [
        (3, "身份证号码", "与第2行的身份证号码重复")
    ]
    assert not Person.objects.exists()


def test_posts_are_added_to_registered_people(users, world):
    zhang = register(world, ID_1, "张某某")
    data = sheet_file(
        "posts",
        [ID_1, "红云街道", "党工委书记", "县管干部", "是", "2018-01-15", ""],
        [ID_1, "五华区纪委监委", "科员", "一般干部", "否", dt.datetime(2012, 7, 1), "2017-12-31"],
    )
    result = import_file(actor=users["county"], kind="posts", filename="任职.xlsx", data=data)
    assert result.ok, result.errors
    assert result.created == {"posts": 2}
    current = Post.objects.get(person=zhang, end_date__isnull=True)
    assert current.org == world.township and current.is_leader
    assert current.management_level == ManagementLevel.COUNTY_MANAGED
    assert current.start_date == dt.date(2018, 1, 15)
    former = Post.objects.get(person=zhang, end_date__isnull=False)
    assert (former.start_date, former.end_date) == (dt.date(2012, 7, 1), dt.date(2017, 12, 31))
    assert former.created_by == users["county"]


def test_a_post_of_an_unregistered_person_is_an_error(users, world):
    data = sheet_file("posts", [ID_2, "红云街道", "主任", "科级", "", "2019-03-01", ""])
    result = import_file(actor=users["county"], kind="posts", filename="p.xlsx", data=data)
    assert not result.ok
    assert result.errors[0].column == "身份证号码"
    assert "未登记或不在您的管辖范围内" in result.errors[0].message
    assert ID_2 not in result.errors[0].message  # the number is masked in messages
