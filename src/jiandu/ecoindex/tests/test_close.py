"""The monthly close on the database: every unit scored with the shipped tree, the
snapshot frozen, re-close only with a reason, versions, units missing reported values,
warnings opening a problem in the rectification loop, and 复绿 closing them."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from jiandu.ecoindex import reference
from jiandu.ecoindex.close import index_close
from jiandu.ecoindex.models import EcoWarning, IndexNode, IndexScore, IndexSnapshot, IndexTree
from jiandu.ecoindex.sources import SOURCES
from jiandu.ecoindex.tests.conftest import report_all
from jiandu.oversight.models import Problem, ProblemCategory, ProblemSource
from jiandu.oversight.services import problem_create

pytestmark = pytest.mark.django_db

# 市民政局 loses the whole 选人用人公信度 (weight 15) and two thirds of 公职人员清廉度
# (weight 20): 100 − 15 − 20·2/3 = 71.67, 黄.
YELLOW = {
    "appointment_issues": 10, "appointment_satisfaction": 0, "sick_promotion": 4,
    "personal_report_mismatch": 10, "dossier_issues": 20,
    "eight_rules_issues": 7, "expenses_issues": 10, "risk_measure_rate": 0,
    "funds_issue_amount": 100,
}  # fmt: skip


def units(world):
    return [world.unit_a, world.unit_b, world.township]


def yellow(world):
    return {(world.unit_b.pk, k): v for k, v in YELLOW.items()}


def scores(snapshot):
    return {
        s.org.name: s for s in IndexScore.objects.filter(snapshot=snapshot).select_related("org")
    }


def test_shipped_tree_has_7_18_46():
    tree = IndexTree.objects.get(version=1)
    counts = {level: IndexNode.objects.filter(tree=tree, level=level).count() for level in range(4)}
    assert counts == {0: 1, 1: 7, 2: 18, 3: 46}
    rules = tree.rules()
    assert [d.name for d in rules.tree.children] == [
        "政治生活规范度", "党员干部忠诚度", "选人用人公信度", "党内监督严实度",
        "公职人员清廉度", "人民群众满意度", "自我净化修复度",
    ]  # fmt: skip
    computed = IndexNode.objects.filter(tree=tree, source="computed")
    assert computed.count() == 16
    assert all(n.statistic in SOURCES for n in computed)
    assert len(reference.leaf_rows()) == 46


def test_close_scores_freezes_and_warns(world):
    city = world.users["city"]
    report_all(actor=city, month="2026-09", orgs=units(world), overrides=yellow(world))
    outcome = index_close(actor=city, month="2026-09")
    snap = outcome.snapshot
    assert snap.version == 1 and snap.tree.version == 1
    got = scores(snap)
    assert got["市财政局"].index == Decimal("100.00") and got["市财政局"].colour == "green"
    assert got["市民政局"].index == Decimal("71.67") and got["市民政局"].colour == "yellow"
    assert got["市民政局"].rank == 3 and got["市财政局"].rank == 1 and got["红云街道"].rank == 1
    assert got["市民政局"].nodes["selection"] == 0
    assert got["市民政局"].values["sick_promotion"] == "4.00"
    assert got["市民政局"].nodes["rectification_rate"] is None  # nothing due: missing
    assert snap.data["colours"] == {"green": 2, "yellow": 1, "orange": 0, "red": 0}
    assert snap.data["missing_reported"] == []

    [warning] = outcome.warnings
    assert warning.org == world.unit_b and warning.colour == "yellow"
    assert warning.number == "生态预〔2026〕09001号"
    assert warning.pulled_down[0]["name"] == "选人用人公信度"
    assert warning.supervising_org == world.city
    problem = warning.problem
    assert problem.org == world.unit_b and problem.supervising_org == world.city
    assert problem.source.key == "index_warning"
    assert "纳入黄色管理" in problem.description and "请分析原因，抓好整改" in problem.description

    with pytest.raises(PermissionError):
        snap.save()
    with pytest.raises(PermissionError):
        IndexScore.objects.filter(snapshot=snap).update(rank=1)
    with pytest.raises(PermissionError):
        IndexSnapshot.objects.filter(pk=snap.pk).delete()


def test_reclose_needs_a_reason_and_keeps_the_month_version(world):
    city = world.users["city"]
    report_all(actor=city, month="2026-09", orgs=units(world))
    index_close(actor=city, month="2026-09")
    with pytest.raises(ValidationError, match="重新结账须写明原因"):
        index_close(actor=city, month="2026-09")
    # A new tree version from October: 选人用人公信度 weighs nothing … almost.
    definition = reference.tree_definition()
    definition["children"][2]["weight"] = Decimal("0.0001")
    v2 = reference.create_tree(IndexTree, IndexNode, version=2, effective_from="2026-10",
                               definition=definition, reason="调整权重")  # fmt: skip
    report_all(actor=city, month="2026-09", orgs=units(world), overrides=yellow(world))
    again = index_close(actor=city, month="2026-09", reason="民政局补报数据")
    assert again.snapshot.version == 2 and again.snapshot.tree.version == 1
    assert scores(again.snapshot)["市民政局"].index == Decimal("71.67")
    # the first version stays readable and unchanged
    first = IndexSnapshot.objects.get(month="2026-09", version=1)
    assert scores(first)["市民政局"].index == Decimal("100.00")
    report_all(actor=city, month="2026-10", orgs=units(world), overrides=yellow(world))
    october = index_close(actor=city, month="2026-10")
    assert october.snapshot.tree == v2
    # September's warning opened a problem due on 30 October, not closed: the
    # rectification leaves score 0 (按期完成率 0 %) and 90 (1 overdue), so 自我净化修复度
    # is (72.5 + 100)/2; (15 + 15 + 15 + 20/3 + 10 + 8.625)/85 = 82.70.
    assert scores(october.snapshot)["市民政局"].index == Decimal("82.70")
    assert scores(october.snapshot)["市民政局"].values["rectification_rate"] == "0.00"
    told = index_close(actor=city, month="2026-09", reason="按新体系重算", tree=v2)
    assert told.snapshot.tree == v2 and told.snapshot.version == 3


def test_units_missing_reported_values_are_reported(world):
    city = world.users["city"]
    skip = {(world.township.pk, "study_rate"), (world.township.pk, "audit_issues")}
    report_all(actor=city, month="2026-09", orgs=units(world), skip=skip)
    outcome = index_close(actor=city, month="2026-09")
    assert outcome.missing_reported == [
        {"department": "县府办", "units": ["红云街道"]},
        {"department": "宣传部", "units": ["红云街道"]},
    ]
    assert scores(outcome.snapshot)["红云街道"].nodes["study_rate"] is None


def test_regreen_closes_the_warning_with_the_proving_months(world):
    city = world.users["city"]
    for month, over in [("2026-07", yellow(world)), ("2026-08", {}), ("2026-09", {})]:
        report_all(actor=city, month=month, orgs=units(world), overrides=over)
    index_close(actor=city, month="2026-07")
    warning = EcoWarning.objects.get(org=world.unit_b)
    assert warning.status == "open"
    august = index_close(actor=city, month="2026-08")
    assert not august.regreened and scores(august.snapshot)["市民政局"].colour == "green"
    september = index_close(actor=city, month="2026-09")
    assert [w.pk for w in september.regreened] == [warning.pk]
    warning.refresh_from_db()
    assert warning.status == "regreened" and warning.regreened_month == "2026-09"
    assert warning.proving_months == ["2026-08", "2026-09"]
    assert scores(september.snapshot)["市民政局"].regreened is True
    assert EcoWarning.objects.count() == 1  # no new warning for a green unit


def test_computed_leaf_counts_records_and_drills_down_to_them(world):
    city = world.users["city"]
    problem_create(
        actor=city, org=world.unit_a, description="公务用车管理不规范",
        category=ProblemCategory.objects.get(name="其他"),
        source=ProblemSource.objects.get(key="supervision"),
        found_on=dt.date(2026, 9, 15), supervising_org=world.city,
    )  # fmt: skip
    report_all(actor=city, month="2026-09", orgs=units(world))
    snap = index_close(actor=city, month="2026-09").snapshot
    got = scores(snap)["市财政局"]
    assert got.values["problems_found"] == "1"
    assert got.nodes["problems_found"] == 98.0
    rows = SOURCES["problems_found"].rows(start=dt.date(2026, 9, 1), end=dt.date(2026, 9, 30),
                                           month="2026-09", org_id=world.unit_a.pk)  # fmt: skip
    assert len(rows) == 1 and "公务用车管理不规范" in rows[0]["text"]
    assert rows[0]["url"].endswith(f"/problems/{Problem.objects.get().pk}/")


def test_many_units_grouped_without_their_ids_give_the_same_values(world, monkeypatch):
    from jiandu.ecoindex import sources

    city = world.users["city"]
    for org in (world.unit_a, world.unit_a, world.unit_b):
        problem_create(
            actor=city, org=org, description="台账不全",
            category=ProblemCategory.objects.get(name="其他"),
            source=ProblemSource.objects.get(key="supervision"),
            found_on=dt.date(2026, 9, 15), supervising_org=world.city,
        )  # fmt: skip
    span = {"start": dt.date(2026, 9, 1), "end": dt.date(2026, 9, 30), "month": "2026-09"}
    ids = [world.unit_a.pk]  # unit_b has records but is not asked for
    few = {k: s.values(**span, org_ids=ids) for k, s in SOURCES.items()}
    monkeypatch.setattr(sources, "MANY_UNITS", 0)
    many = {k: s.values(**span, org_ids=ids) for k, s in SOURCES.items()}
    assert many == few and few["problems_found"] == {world.unit_a.pk: 2}
