"""Setting a campaign up, its 督导检查 and findings, the units' lists (page rows and the
.xlsx template, all or nothing), and who may fill which list."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from jiandu.oversight.models import Problem
from jiandu.supervision import selectors, services
from jiandu.supervision.choices import UnitRole
from jiandu.supervision.models import CampaignProblem, ListEntry, ListKind
from jiandu.supervision.tests.conftest import xlsx

pytestmark = pytest.mark.django_db


def test_a_campaign_has_its_units_lead_and_chain(campaign, rw):
    w = rw.world
    roles = {u.org_id: u.role for u in campaign.units.all()}
    assert roles == {
        w.unit_b.pk: UnitRole.LEAD,
        w.unit_a.pk: UnitRole.RESPONSIBLE,
        w.township.pk: UnitRole.RESPONSIBLE,
    }
    assert [(c.position, c.name, c.org_id) for c in campaign.chain.all()] == [
        (1, "牵头责任单位", w.unit_b.pk),
        (2, "督导问责组", w.group1.pk),
        (3, "领导小组办公室", rw.conduct_room.pk),
        (4, "领导小组", w.city.pk),
    ]
    # 党风政风监督室 acts for the commission: the campaign is the commission's.
    assert campaign.owner_org_id == w.city.pk


def test_a_campaign_refuses_a_bad_period_and_units_outside_the_jurisdiction(rw):
    w = rw.world
    today = timezone.localdate()
    outsider = w.users["outsider"]
    chain = [services.ChainLevelSpec("牵头责任单位", w.other_county)]
    with pytest.raises(ValidationError) as exc:
        services.campaign_create(
            actor=outsider, name="督导", kind="supervision", starts_on=today,
            ends_on=today - dt.timedelta(days=1), lead_org=w.other_county, units=[w.unit_a],
            chain=chain,
        )  # fmt: skip
    assert "结束日期不能早于开始日期" in str(exc.value)
    with pytest.raises(ValidationError) as exc:
        services.campaign_create(
            actor=outsider, name="督导", kind="supervision", starts_on=today, ends_on=today,
            lead_org=w.other_county, units=[w.unit_a], chain=chain,
        )  # fmt: skip
    assert "市财政局不在您的管辖范围内" in str(exc.value)


def test_inspection_findings_are_problems_of_the_loop_linked_to_the_campaign(
    campaign, inspection, stats, category, rw
):
    w = rw.world
    problem = services.inspection_finding_add(
        actor=stats, inspection=inspection, org=w.unit_a, description="台账不全", category=category
    )
    assert problem.source.name == "督导检查"
    assert problem.supervising_org_id == w.city.pk
    assert problem.origin_type == "supervision.inspection"
    link = CampaignProblem.objects.get(problem=problem)
    assert (link.campaign_id, link.inspection_id) == (campaign.pk, inspection.pk)
    # Not a copy: the 问题清单 is the problem itself.
    assert list(selectors.campaign_problems(user=stats, campaign=campaign)) == [problem]
    with pytest.raises(ValidationError, match="不在本次检查的被检查单位中"):
        services.inspection_finding_add(
            actor=stats, inspection=inspection, org=w.unit_b, description="x", category=category
        )


def test_a_finding_gets_its_deadline_notice_with_a_number(inspection, stats, category, rw):
    problem = services.inspection_finding_add(
        actor=stats, inspection=inspection, org=rw.world.unit_a, description="未按期清理",
        category=category,
    )  # fmt: skip
    notice = services.deadline_notice_issue(actor=stats, problem=problem)
    assert "改〔" in notice.number
    assert services.deadline_notice_issue(actor=stats, problem=problem).pk == notice.pk


def test_an_inspection_checks_participating_units_only(campaign, team, stats, rw):
    with pytest.raises(ValidationError, match="不是本次督导的参与单位"):
        services.inspection_record(
            actor=stats, campaign=campaign, held_on=timezone.localdate(), team=team,
            units=[rw.world.other_county],
        )  # fmt: skip


# --- lists ----------------------------------------------------------------------------


def tasks_kind() -> ListKind:
    return ListKind.objects.get(key="tasks")


def test_the_seven_lists_are_data(db):
    names = list(ListKind.objects.values_list("name", flat=True))
    assert names == [
        "任务清单", "工作清单", "责任清单", "问题清单", "整改清单", "督导检查清单", "问责清单"
    ]  # fmt: skip


def test_the_unit_fills_its_list_on_the_page_and_a_new_version_archives_the_old(
    campaign, rectify, rw
):
    org = rw.world.unit_a
    services.list_replace(
        actor=rectify, campaign=campaign, org=org, kind=tasks_kind(),
        rows=[services.EntryRow(item="清理违规发放津补贴"), services.EntryRow(item="清理公车")],
    )  # fmt: skip
    services.list_replace(
        actor=rectify, campaign=campaign, org=org, kind=tasks_kind(),
        rows=[services.EntryRow(item="清理违规发放津补贴", responsible="张副局长")],
    )  # fmt: skip
    current = selectors.list_entries(user=rectify, campaign=campaign, org=org, kind=tasks_kind())
    assert [(e.position, e.item, e.responsible) for e in current] == [
        (1, "清理违规发放津补贴", "张副局长")
    ]
    assert ListEntry.objects.filter(archived_at__isnull=False).count() == 2


def test_a_good_file_replaces_the_list(campaign, rectify, rw):
    org = rw.world.unit_a
    data = xlsx(
        [
            [
                1,
                "清理违规发放津补贴",
                "逐项核对2023年以来发放记录",
                "张副局长",
                dt.date(2026, 6, 30),
                "",
            ],
            [None, "清理“吃空饷”", None, "李科长", "2026-07-15", "与人社局对账"],
            [None, None, None, None, None, None],  # a blank row is skipped
        ]
    )
    entries = services.list_import(
        actor=rectify, campaign=campaign, org=org, kind=tasks_kind(), name="任务清单.xlsx",
        data=data,
    )  # fmt: skip
    assert [(e.position, e.item, e.due_on) for e in entries] == [
        (1, "清理违规发放津补贴", dt.date(2026, 6, 30)),
        (2, "清理“吃空饷”", dt.date(2026, 7, 15)),
    ]


def test_the_template_holds_the_current_rows_and_imports_back_unchanged(campaign, rectify, rw):
    org = rw.world.unit_a
    services.list_replace(
        actor=rectify, campaign=campaign, org=org, kind=tasks_kind(),
        rows=[services.EntryRow(item="=HYPERLINK(\"x\")", due_on=dt.date(2026, 5, 1), note="n")],
    )  # fmt: skip
    entries = list(
        selectors.list_entries(user=rectify, campaign=campaign, org=org, kind=tasks_kind())
    )
    data = selectors.list_template_xlsx(
        campaign=campaign, org=org, kind=tasks_kind(), entries=entries
    )
    again = services.list_import(
        actor=rectify, campaign=campaign, org=org, kind=tasks_kind(), name="t.xlsx", data=data
    )
    assert [(e.item, e.due_on, e.note) for e in again] == [
        ('=HYPERLINK("x")', dt.date(2026, 5, 1), "n")
    ]


def test_bad_rows_name_row_and_column_and_nothing_is_stored(campaign, rectify, rw):
    org = rw.world.unit_a
    services.list_replace(
        actor=rectify, campaign=campaign, org=org, kind=tasks_kind(),
        rows=[services.EntryRow(item="原有事项")],
    )  # fmt: skip
    data = xlsx(
        [
            [1, "好的一行", "", "", "2026-06-30", ""],
            [2, "", "只有内容没有事项", "", "", ""],
            [3, "日期错了", "", "", "六月底", ""],
        ]
    )
    with pytest.raises(ValidationError) as exc:
        services.list_import(
            actor=rectify, campaign=campaign, org=org, kind=tasks_kind(), name="t.xlsx", data=data
        )
    assert exc.value.messages == [
        "第3行“事项”：不能为空",
        "第4行“完成时限”：“六月底”不是日期（应为 2026-06-30 这样的格式）",
    ]
    current = selectors.list_entries(user=rectify, campaign=campaign, org=org, kind=tasks_kind())
    assert [e.item for e in current] == ["原有事项"]
    assert ListEntry.objects.count() == 1


def test_a_wrong_header_or_file_type_is_refused(campaign, rectify, rw):
    org = rw.world.unit_a
    with pytest.raises(ValidationError, match="第1行：表头应为"):
        services.list_import(
            actor=rectify, campaign=campaign, org=org, kind=tasks_kind(), name="t.xlsx",
            data=xlsx([[1, "x"]], header=["编号", "名称"]),
        )  # fmt: skip
    with pytest.raises(ValidationError, match=r"文件类型应为 \.xlsx"):
        services.list_import(
            actor=rectify, campaign=campaign, org=org, kind=tasks_kind(), name="t.csv", data=b"a,b"
        )
    with pytest.raises(ValidationError, match="无法读取 Excel 文件"):
        services.list_import(
            actor=rectify, campaign=campaign, org=org, kind=tasks_kind(), name="t.xlsx", data=b"xx"
        )


def test_who_fills_which_list(campaign, rectify, stats, rw):
    w = rw.world
    row = [services.EntryRow(item="事项")]
    # A unit fills its own five lists, not another unit's.
    with pytest.raises(ValidationError, match="应由本单位填报"):
        services.list_replace(
            actor=rectify, campaign=campaign, org=w.township, kind=tasks_kind(), rows=row
        )
    # The 督导检查清单 is the lead unit's and the commission's, not the unit's.
    inspection_list = ListKind.objects.get(key="inspection")
    with pytest.raises(ValidationError, match="应由牵头单位或组织单位填报"):
        services.list_replace(
            actor=rectify, campaign=campaign, org=w.unit_a, kind=inspection_list, rows=row
        )
    services.list_replace(
        actor=stats, campaign=campaign, org=w.unit_a, kind=inspection_list, rows=row
    )
    # The 问题清单 is the problems themselves: nothing to fill.
    with pytest.raises(ValidationError, match="即本次督导的问题和整改"):
        services.list_replace(
            actor=stats, campaign=campaign, org=w.unit_a, kind=ListKind.objects.get(key="problems"),
            rows=row,
        )  # fmt: skip
    assert Problem.objects.count() == 0
