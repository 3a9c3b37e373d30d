from django.urls import reverse

from jiandu.core.audit import audit_verify
from jiandu.core.choices import AuditAction
from jiandu.core.models import AuditLog
from jiandu.imports.services import import_file
from jiandu.imports.tests.helpers import fill_template
from jiandu.orgs.choices import OrgKind
from jiandu.orgs.models import Org, OrgLabel


def test_a_filled_template_imports_every_row_with_audit(client, world, data_officer):
    client.force_login(data_officer)
    template = client.get(reverse("imports:template", args=["orgs"])).content
    rows = [
        # The stationed group names its supervised unit before that unit's row.
        ["派驻第二纪检监察组", "派驻二组", "派驻纪检监察组", "昆明市纪委监委", "", "", "市教育局"],
        ["市教育局", "", "市直单位", "昆明市纪委监委", "", "教育系统, 牵头单位", ""],
        ["龙翔街道", "", "乡镇街道", "530102", "530102002", "脱贫摘帽县", ""],
        ["龙翔社区", "", "村社区", "五华区纪委监委/龙翔街道", "530102002001", "", ""],
    ]
    data = fill_template(template, {"组织机构": rows})
    audit_before = AuditLog.objects.count()

    result = import_file(actor=data_officer, kind="orgs", filename="单位.xlsx", data=data)

    assert result.ok, result.errors
    assert result.rows == 4
    assert result.created == {"orgs": 4, "org_labels": 3, "supervision": 1}
    group = Org.objects.get(name="派驻第二纪检监察组")
    education = Org.objects.get(name="市教育局")
    street = Org.objects.get(name="龙翔街道")
    community = Org.objects.get(name="龙翔社区")
    assert group.kind == OrgKind.STATIONED_GROUP and group.short_name == "派驻二组"
    assert list(group.supervises.all()) == [education]
    assert street.parent == world.county and street.region_code == "530102002"
    assert community.parent == street and community.path.startswith(street.path)
    assert sorted(education.labels.values_list("name", flat=True)) == ["教育系统", "牵头单位"]
    assert OrgLabel.objects.filter(name="脱贫摘帽县").exists()

    new_rows = AuditLog.objects.order_by("sequence")[audit_before:]
    creates = [
        r for r in new_rows if r.action == AuditAction.CREATE and r.object_type == "orgs.org"
    ]
    assert len(creates) == 4
    imported = AuditLog.objects.get(action=AuditAction.IMPORT)
    assert imported.actor == data_officer
    assert imported.object_type == "imports.orgs"
    assert imported.changes["filename"] == "单位.xlsx"
    assert imported.changes["rows"] == 4
    assert imported.changes["created"]["orgs"] == 4
    assert "单位.xlsx" in imported.summary
    assert audit_verify().ok


def test_a_parent_below_its_child_is_reported(data_officer, world):
    from jiandu.imports.tests.helpers import sheet_file

    data = sheet_file(
        "orgs",
        ["龙翔社区", "", "村社区", "龙翔街道", "", "", ""],
        ["龙翔街道", "", "乡镇街道", "五华区纪委监委", "", "", ""],
    )
    result = import_file(actor=data_officer, kind="orgs", filename="o.xlsx", data=data)
    assert not result.ok
    assert [(e.row, e.column) for e in result.errors] == [(2, "上级单位")]
    assert "龙翔街道" in result.errors[0].message
    assert not Org.objects.filter(name__in=["龙翔社区", "龙翔街道"]).exists()


def test_a_name_already_under_the_parent_is_refused(data_officer, world):
    from jiandu.imports.tests.helpers import sheet_file

    data = sheet_file("orgs", ["红云街道", "", "乡镇街道", "五华区纪委监委", "", "", ""])
    result = import_file(actor=data_officer, kind="orgs", filename="o.xlsx", data=data)
    assert not result.ok
    assert result.errors[0].column == "名称"
    assert "已有名为“红云街道”的单位" in result.errors[0].message


def test_a_shared_name_must_be_qualified(data_officer, world):
    from jiandu.imports.tests.helpers import sheet_file
    from jiandu.orgs.services import org_create

    org_create(actor=data_officer, name="信访室", kind=OrgKind.PETITION_ROOM, parent=world.county)
    data = sheet_file("orgs", ["来访接待组", "", "其他", "信访室", "", "", ""])
    result = import_file(actor=data_officer, kind="orgs", filename="o.xlsx", data=data)
    assert not result.ok
    assert "对应2个单位" in result.errors[0].message
    assert "上级单位/单位名称" in result.errors[0].message

    data = sheet_file("orgs", ["来访接待组", "", "其他", "五华区纪委监委/信访室", "", "", ""])
    result = import_file(actor=data_officer, kind="orgs", filename="o.xlsx", data=data)
    assert result.ok, result.errors
    assert Org.objects.get(name="来访接待组").parent.parent == world.county


def test_the_same_org_twice_in_the_file(data_officer, world):
    from jiandu.imports.tests.helpers import sheet_file

    row = ["龙翔街道", "", "乡镇街道", "五华区纪委监委", "", "", ""]
    result = import_file(
        actor=data_officer, kind="orgs", filename="o.xlsx", data=sheet_file("orgs", row, row)
    )
    assert [(e.row, e.column, e.message) for e in result.errors] == [
        (3, "名称", "与第2行重复：“五华区纪委监委”下已有“龙翔街道”")
    ]
