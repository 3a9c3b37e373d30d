"""整改警示卡: issued when a rectification is overdue (one level further up the 督导 chain
for each further overdue period) or fails acceptance twice; numbered in the documents
register with its .docx; idempotent; outside a campaign the chain is the supervising
body and its parents."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.utils import timezone
from docx import Document as Docx

from jiandu.core.deadlines import deadline_rule, work_calendar
from jiandu.core.workdays import due_date
from jiandu.oversight.choices import RectificationAction as A
from jiandu.oversight.models import ProblemSource
from jiandu.oversight.services import problem_create, rectification_move
from jiandu.supervision import services
from jiandu.supervision.choices import CardReason
from jiandu.supervision.models import WarningCard

pytestmark = pytest.mark.django_db


@pytest.fixture
def finding(inspection, stats, category, rw):
    return services.inspection_finding_add(
        actor=stats, inspection=inspection, org=rw.world.unit_a, description="违规发放津补贴未清退",
        category=category,
    )  # fmt: skip


def next_period(day: dt.date) -> dt.date:
    """The end of the escalation period that starts on ``day``."""
    rule = deadline_rule(services.ESCALATION_STEP)
    return due_date(work_calendar(), day, rule.period_kind, rule.length).due


def docx_text(card: WarningCard) -> str:
    with card.document.file.open("rb") as handle:
        document = Docx(io.BytesIO(handle.read()))
    cells = [c.text for t in document.tables for row in t.rows for c in row.cells]
    return "\n".join([p.text for p in document.paragraphs] + cells)


def test_an_overdue_rectification_gets_a_card_from_the_first_level(finding, stats, rw):
    rect = finding.rectification
    day = rect.due_on + dt.timedelta(days=1)
    cards = services.warning_cards_for(actor=stats, rectification=rect, today=day)
    assert [(c.reason, c.ordinal, c.level_name, c.issuing_org_id) for c in cards] == [
        (CardReason.OVERDUE, 1, "牵头责任单位", rw.world.unit_b.pk)
    ]
    card = cards[0]
    assert card.document.number == f"市民政局警〔{day.year}〕1号"
    assert card.document.recipient_org_id == rw.world.unit_a.pk
    text = docx_text(card)
    assert "整改警示卡" in text and card.document.number in text
    assert "牵头责任单位（市民政局）" in text and finding.number in text
    # Idempotent: the same day again issues nothing.
    assert services.warning_cards_for(actor=stats, rectification=rect, today=day) == []
    assert WarningCard.objects.count() == 1


def test_each_further_overdue_period_goes_one_level_up_and_stops_at_the_top(finding, stats, rw):
    rect = finding.rectification
    first_end = next_period(rect.due_on)
    services.warning_cards_for(actor=stats, rectification=rect, today=first_end)
    assert WarningCard.objects.count() == 1  # the first period has not ended yet
    second = services.warning_cards_for(
        actor=stats, rectification=rect, today=first_end + dt.timedelta(days=1)
    )
    assert [(c.ordinal, c.level_name, c.issuing_org_id) for c in second] == [
        (2, "督导问责组", rw.world.group1.pk)
    ]
    later = rect.due_on + dt.timedelta(days=400)
    rest = services.warning_cards_for(actor=stats, rectification=rect, today=later)
    assert [c.level_name for c in rest] == ["领导小组办公室", "领导小组"]
    assert services.warning_cards_for(actor=stats, rectification=rect, today=later) == []
    assert list(
        WarningCard.objects.order_by("ordinal").values_list("level_position", flat=True)
    ) == [1, 2, 3, 4]


def test_a_closed_or_not_yet_due_rectification_gets_none(finding, stats, rectify):
    rect = finding.rectification
    assert services.warning_cards_for(actor=stats, rectification=rect, today=rect.due_on) == []
    rectification_move(actor=rectify, rectification=rect, action=A.PLAN, text="清退")
    rectification_move(actor=rectify, rectification=rect, action=A.SUBMIT, text="已清退")
    rectification_move(actor=stats, rectification=rect, action=A.ACCEPT)
    later = rect.due_on + dt.timedelta(days=100)
    assert services.warning_cards_for(actor=stats, rectification=rect, today=later) == []


def test_failing_acceptance_twice_issues_a_card_at_the_next_check(finding, stats, rectify):
    rect = finding.rectification
    rectification_move(actor=rectify, rectification=rect, action=A.PLAN, text="清退")
    for _ in range(2):
        rectification_move(actor=rectify, rectification=rect, action=A.SUBMIT, text="已清退")
        assert not WarningCard.objects.exists()
        today = rect.due_on - dt.timedelta(days=1)  # not overdue: the rejection alone
        rectification_move(
            actor=stats, rectification=rect, action=A.REJECT, reason="未见清退凭证", on_date=today
        )
    # The daily check (task, command or page) issues it, not yet due or not.
    services.warning_cards_check(actor=stats, today=today)
    card = WarningCard.objects.get()
    assert (card.reason, card.ordinal, card.level_name) == (CardReason.REJECTED, 1, "牵头责任单位")
    assert "整改验收2次未通过" in docx_text(card)


def test_outside_a_campaign_the_chain_is_the_supervising_body_and_its_parents(rw, category):
    w = rw.world
    group = w.users["group"]
    problem = problem_create(
        actor=group,
        org=w.unit_a,
        description="公车私用",
        category=category,
        source=ProblemSource.objects.get(key="report"),
        found_on=timezone.localdate() - dt.timedelta(days=50),
        supervising_org=w.group1,
    )
    rect = problem.rectification
    assert [(lv.name, lv.org.pk) for lv in services.chain_for(problem)] == [
        ("派驻第一纪检监察组", w.group1.pk),
        ("昆明市纪委监委", w.city.pk),
    ]
    cards = services.warning_cards_for(
        actor=group, rectification=rect, today=rect.due_on + dt.timedelta(days=400)
    )
    assert [(c.level_position, c.issuing_org_id, c.campaign_id) for c in cards] == [
        (1, w.group1.pk, None),
        (2, w.city.pk, None),
    ]


def test_the_daily_check_is_idempotent_and_scoped(finding, stats, rw):
    day = finding.rectification.due_on + dt.timedelta(days=1)
    outsider = rw.world.users["outsider"]
    assert services.warning_cards_check(actor=outsider, today=day).checked == 0
    first = services.warning_cards_check(actor=stats, today=day)
    assert (first.checked, len(first.issued)) == (1, 1)
    again = services.warning_cards_check(actor=stats, today=day)
    assert (again.checked, again.issued) == (1, [])
    assert WarningCard.objects.count() == 1


def test_a_report_awaiting_acceptance_is_not_overdue(finding, stats, rectify):
    rect = finding.rectification
    rectification_move(actor=rectify, rectification=rect, action=A.PLAN, text="清退")
    rectification_move(actor=rectify, rectification=rect, action=A.SUBMIT, text="已清退")
    later = rect.due_on + dt.timedelta(days=100)
    assert services.warning_cards_for(actor=stats, rectification=rect, today=later) == []
    assert services.warning_cards_check(actor=stats, today=later).checked == 0


def test_the_command_runs_the_check_as_a_named_user(finding, stats):
    import json

    from django.core.management import CommandError, call_command

    day = (finding.rectification.due_on + dt.timedelta(days=1)).isoformat()
    out = io.StringIO()
    call_command("supervision", "cards", "--user", "stats", "--date", day, "--json", stdout=out)
    data = json.loads(out.getvalue())
    assert (data["checked"], len(data["issued"])) == (1, 1)
    assert data["issued"][0]["level"] == "牵头责任单位"
    with pytest.raises(CommandError, match="没有整改警示卡检查权限"):
        call_command("supervision", "cards", "--user", "rectify")
