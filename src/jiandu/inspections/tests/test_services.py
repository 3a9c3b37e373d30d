"""Rounds, stages, stored draws from the registry, findings into the loop, 巡察移交 clues."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from jiandu.clues.choices import ClueSource
from jiandu.core.models import AuditLog
from jiandu.inspections import services
from jiandu.inspections.choices import STAGE_ORDER, ConflictReason, RoundStage
from jiandu.inspections.draw import check_teams
from jiandu.inspections.models import FocusItem, RoundEvent, TeamAssignment
from jiandu.inspections.tests.helpers import make_round
from jiandu.oversight.models import ProblemCategory
from jiandu.people.choices import ManagementLevel
from jiandu.people.models import Person, Post

pytestmark = pytest.mark.django_db


def test_every_stage_move_legal_and_illegal(rw, actor, pool):
    item = make_round(rw, actor)
    assert item.stage == RoundStage.PREPARING
    # Illegal: skipping, moving back, unknown, 进驻 without teams.
    with pytest.raises(ValidationError, match="逐个阶段"):
        services.round_advance(actor=actor, round=item, to_stage=RoundStage.REPORTING)
    with pytest.raises(ValidationError, match="没有这个阶段"):
        services.round_advance(actor=actor, round=item, to_stage="nowhere")
    with pytest.raises(ValidationError, match="尚未抽取"):
        services.round_advance(actor=actor, round=item, to_stage=RoundStage.STATIONED)
    draw = services.round_draw(actor=actor, round=item, seed=11)
    assert draw.feasible and draw.adopted
    for before, after in itertools.pairwise(STAGE_ORDER):
        assert item.stage == before
        with pytest.raises(ValidationError):
            services.round_advance(actor=actor, round=item, to_stage=before)  # not forward
        services.round_advance(actor=actor, round=item, to_stage=after, note="按计划")
        item.refresh_from_db()
        assert item.stage == after
    with pytest.raises(ValidationError):
        services.round_advance(actor=actor, round=item, to_stage=RoundStage.PREPARING)
    moves = list(RoundEvent.objects.filter(round=item).values_list("from_stage", "to_stage"))
    assert moves == [("", "preparing"), *itertools.pairwise(STAGE_ORDER)]
    transitions = AuditLog.objects.filter(object_id=str(item.pk), action="transition")
    assert transitions.count() == len(STAGE_ORDER) - 1


def test_draw_from_registry_keeps_avoidance_and_is_stored(rw, actor, pool):
    w = rw.world
    # 干部1 declared a relative in 红云街道, a subordinate unit of 五华区.
    services.conflict_declare(
        actor=actor, person=pool[1], org=w.township, reason=ConflictReason.RELATIVE
    )
    item = make_round(rw, actor)
    draw = services.round_draw(actor=actor, round=item, seed=5, as_of=dt.date(2026, 10, 1))
    assert draw.feasible, draw.result
    request = services.draw_request_for(item, seed=5, as_of=dt.date(2026, 10, 1))
    from jiandu.inspections.draw import LEADER, MEMBER, Team, TeamMember

    teams = [
        Team(t["target"], tuple(TeamMember(m["person_id"], m["role"]) for m in t["members"]))
        for t in draw.result["teams"]
    ]
    assert {m.role for t in teams for m in t.members} <= {LEADER, MEMBER}
    assert check_teams(request, teams) == []
    county_team = {
        a.person_id for a in TeamAssignment.objects.filter(draw=draw, target__org=w.county)
    }
    # Homes in 五华区 / 红云街道 and the declared conflict keep 干部1,2,3,7,9 out.
    assert not county_team & {pool[1].pk, pool[2].pk, pool[3].pk, pool[8].pk, pool[9].pk}
    assert draw.inputs["targets"][0]["covers"]
    assert draw.inputs["avoid"] == [
        {"person_id": str(pool[1].pk), "org_id": str(w.township.pk), "source": "申报",
         "note": "亲属在该单位任职"}
    ]  # fmt: skip
    # Stored inputs and seed reproduce the result.
    again = services.round_draw(actor=actor, round=item, seed=5, as_of=dt.date(2026, 10, 1))
    assert again.result == draw.result
    draw.refresh_from_db()
    assert not draw.adopted and again.adopted


def test_cooldown_from_earlier_rounds(rw, actor, pool):
    w = rw.world
    first = make_round(rw, actor, targets=[w.county], required_skills=[])
    services.round_draw(actor=actor, round=first, seed=1)
    earlier = set(
        TeamAssignment.objects.filter(draw__round=first).values_list("person_id", flat=True)
    )
    second = make_round(rw, actor, name="第二轮", targets=[w.county], required_skills=[])
    request = services.draw_request_for(second, seed=1, as_of=timezone.localdate())
    assert {int(h.person_id) for h in request.history} == earlier
    draw = services.round_draw(actor=actor, round=second, seed=1)
    if draw.feasible:
        now = set(TeamAssignment.objects.filter(draw=draw).values_list("person_id", flat=True))
        assert not now & earlier
    else:
        assert draw.result["infeasible"][0]["target"] == str(w.county.pk)


def test_infeasible_draw_is_stored_and_not_adopted(rw, actor, pool):
    item = make_round(rw, actor, team_size=8)
    draw = services.round_draw(actor=actor, round=item, seed=2)
    assert not draw.feasible and not draw.adopted
    assert {r["target"] for r in draw.result["infeasible"]}
    assert not TeamAssignment.objects.filter(draw=draw).exists()
    with pytest.raises(ValidationError, match="尚未抽取"):
        services.round_advance(actor=actor, round=item, to_stage=RoundStage.STATIONED)


def test_findings_go_to_the_loop_and_clues_to_the_registry(rw, actor, pool):
    w = rw.world
    item = make_round(rw, actor)
    with pytest.raises(ValidationError, match="进驻、报告、反馈"):
        services.finding_add(actor=actor, round=item, org=w.county, description="x",
                             category=ProblemCategory.objects.first())  # fmt: skip
    services.round_draw(actor=actor, round=item, seed=3)
    services.round_advance(actor=actor, round=item, to_stage=RoundStage.STATIONED)
    poverty = FocusItem.objects.get(key="poverty")
    problem = services.finding_add(
        actor=actor,
        round=item,
        org=w.county,
        description="扶贫项目资金拨付滞后",
        category=ProblemCategory.objects.first(),
        focus_item=poverty,
    )
    assert problem.source.name == "巡察"
    assert problem.inspection_link.round == item
    assert problem.inspection_link.focus_item == poverty
    assert problem.rectification.due_on is not None
    with pytest.raises(ValidationError, match="重点事项"):
        services.finding_add(actor=actor, round=item, org=w.county, description="y",
                             category=ProblemCategory.objects.first(),
                             focus_item=FocusItem.objects.get(key="projects"))  # fmt: skip
    with pytest.raises(ValidationError, match="不是本轮巡察"):
        services.finding_add(actor=actor, round=item, org=w.unit_b, description="z",
                             category=ProblemCategory.objects.first())  # fmt: skip
    clue = services.clue_transfer(
        actor=actor, round=item, org=w.county, title="某村干部侵占扶贫资金", handling_org=w.county
    )
    assert clue.source == ClueSource.INSPECTION
    assert clue.get_source_display() == "巡察移交"
    assert clue.inspection_link.round == item
    assert clue.evidence["inspection_round"] == item.pk


def _stationed_round(rw, actor):
    item = make_round(rw, actor, targets=[rw.world.county, rw.world.township])
    services.round_draw(actor=actor, round=item, seed=3)
    services.round_advance(actor=actor, round=item, to_stage=RoundStage.STATIONED)
    return item


def test_transferred_clue_is_handled_first(rw, actor, pool):
    from jiandu.core.deadlines import deadline_compute

    item = _stationed_round(rw, actor)
    received = timezone.localdate() - dt.timedelta(days=2)
    clue = services.clue_transfer(actor=actor, round=item, org=rw.world.township,
                                  title="街道报账不规范", handling_org=rw.world.county,
                                  received_date=received)  # fmt: skip
    assert clue.due_date == deadline_compute("inspections.clue_priority", received).due
    assert clue.due_date < deadline_compute("clues.received", received).due
    # Handled at the county already: no 提级 suggestion.
    assert not clue.escalation_suggestions.exists()


def test_escalation_suggested_for_poverty_and_village_committee(rw, actor, pool):
    from jiandu.orgs.choices import OrgKind
    from jiandu.orgs.services import org_create

    w = rw.world
    item = _stationed_round(rw, actor)
    village = org_create(actor=actor, name="红云社区", kind=OrgKind.VILLAGE, parent=w.township)
    member = Person.objects.create(name="村委委员甲", registered_org=village)
    Post.objects.create(person=member, org=village, title="村委会委员",
                        management_level=ManagementLevel.VILLAGE,
                        start_date=dt.date(2021, 1, 1))  # fmt: skip
    clue = services.clue_transfer(actor=actor, round=item, org=w.township,
                                  title="村委委员优亲厚友", handling_org=w.township,
                                  subject_people=[member], domains=[w.poverty])  # fmt: skip
    suggestions = list(clue.escalation_suggestions.order_by("rule__sort_order"))
    assert [s.rule.key for s in suggestions] == ["village_committee", "poverty"]
    assert {s.to_org for s in suggestions} == {w.county}
    with pytest.raises(ValidationError, match="理由"):
        services.escalation_decide(actor=actor, suggestion=suggestions[0], confirm=True,
                                   reason=" ")  # fmt: skip
    services.escalation_decide(actor=actor, suggestion=suggestions[1], confirm=False,
                               reason="街道纪工委已掌握，继续办理")  # fmt: skip
    clue.refresh_from_db()
    assert clue.handling_org == w.township
    services.escalation_decide(actor=actor, suggestion=suggestions[0], confirm=True,
                               reason="涉及村两委，提级县纪委监委")  # fmt: skip
    clue.refresh_from_db()
    assert clue.handling_org == w.county and clue.is_escalated
    with pytest.raises(ValidationError, match="已经处理过"):
        services.escalation_decide(actor=actor, suggestion=suggestions[0], confirm=False,
                                   reason="再次")  # fmt: skip
    other = services.clue_transfer(actor=actor, round=item, org=w.township,
                                   title="街道会议费超标", handling_org=w.township)  # fmt: skip
    assert not other.escalation_suggestions.exists()


def test_two_reports_and_a_review_that_catches_a_missed_clue(rw, actor, pool):
    from jiandu.inspections.choices import CommentOutcome, ReportKind

    w = rw.world
    item = make_round(rw, actor)
    with pytest.raises(ValidationError, match="报告阶段"):
        services.report_file(actor=actor, round=item, org=w.county,
                             kind=ReportKind.INSPECTION, text="x")  # fmt: skip
    services.round_draw(actor=actor, round=item, seed=3)
    services.round_advance(actor=actor, round=item, to_stage=RoundStage.STATIONED)
    services.round_advance(actor=actor, round=item, to_stage=RoundStage.REPORTING)
    report = services.report_file(
        actor=actor, round=item, org=w.county, kind=ReportKind.INSPECTION, text="主体责任不到位"
    )
    services.report_file(actor=actor, round=item, org=w.county, kind=ReportKind.CLUES,
                         text="移交问题线索2件")  # fmt: skip
    assert item.reports.count() == 2
    note = services.report_comment(actor=actor, report=report, text="请补充整改建议")
    assert note.problem is None and note.clue is None
    caught = services.report_comment(
        actor=actor,
        report=report,
        text="报告第三部分提到的村集体资金问题未作为线索移交",
        outcome=CommentOutcome.CLUE,
        clue_title="红云街道村集体资金问题（审核发现）",
        handling_org=w.county,
    )
    assert caught.clue.get_source_display() == "巡察移交"
    assert caught.clue.inspection_link.round == item
    opened = services.report_comment(actor=actor, report=report, text="三重一大制度未执行",
                                     outcome=CommentOutcome.PROBLEM,
                                     category=ProblemCategory.objects.first())  # fmt: skip
    assert opened.problem.inspection_link.target.org == w.county
    with pytest.raises(ValidationError, match="问题类别"):
        services.report_comment(actor=actor, report=report, text="x",
                                outcome=CommentOutcome.PROBLEM)  # fmt: skip
