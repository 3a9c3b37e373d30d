"""The card's writes: drafting from a template, editing a draft, issuing with a 文号 from
the register, bulk issue all or nothing, voiding, the leader's summary by the leader's
unit, spot checks whose findings are problems of the loop; illegal moves named."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from jiandu.cards import selectors, services
from jiandu.cards.choices import CardAction, CardStatus, LeaderCategory
from jiandu.cards.lifecycle import TRANSITIONS, CardTransitionError, next_status
from jiandu.cards.models import CardEvent, ListTemplate
from jiandu.cards.reference import NEGATIVE_KEY, RESPONSIBILITY_KEY
from jiandu.cards.tests.conftest import previous_quarter
from jiandu.core.models import AuditLog
from jiandu.documents.choices import DocumentStatus, DocumentType
from jiandu.documents.models import Document
from jiandu.oversight.models import Problem

pytestmark = pytest.mark.django_db


def template():
    return ListTemplate.objects.get(key=RESPONSIBILITY_KEY, archived_at__isnull=True)


def negative():
    return ListTemplate.objects.get(key=NEGATIVE_KEY, archived_at__isnull=True)


def draft(cw, post=None, **extra):
    year, quarter = previous_quarter()
    return services.card_create(
        actor=cw.stats,
        committee=cw.committee,
        post=post or cw.township_head,
        year=year,
        quarter=quarter,
        template=template(),
        **extra,
    )


def test_a_draft_takes_the_templates_items_and_the_leaders_post(cw):
    card = draft(cw)
    assert card.status == CardStatus.DRAFT
    assert list(card.items.values_list("text", flat=True)) == list(
        template().items.order_by("order").values_list("text", flat=True)
    )
    assert card.leader_org == cw.world.township
    assert card.leader_title == "党工委书记"
    assert card.category == LeaderCategory.SUBORDINATE_HEAD
    assert card.summary_due > selectors.quarter_bounds(card.year, card.quarter)[1]
    assert CardEvent.objects.filter(card=card, action=CardAction.CREATE).exists()
    assert AuditLog.objects.filter(
        object_type="cards.remindercard", object_id=str(card.pk)
    ).exists()


def test_categories_follow_seed_001(cw):
    assert draft(cw, cw.deputy_secretary).category == LeaderCategory.STANDING_MEMBER
    assert draft(cw, cw.vice_mayor).category == LeaderCategory.GOVERNMENT_DEPUTY


def test_items_are_editable_per_card_while_a_draft(cw):
    card = draft(cw)
    services.card_edit_items(actor=cw.stats, card=card, items=["甲事项", "乙事项"])
    assert list(card.items.values_list("text", flat=True)) == ["甲事项", "乙事项"]
    with pytest.raises(ValidationError):
        services.card_edit_items(actor=cw.stats, card=card, items=["", "  "])
    services.card_issue(actor=cw.stats, card=card)
    with pytest.raises(CardTransitionError, match=r"已印发.*修改事项"):
        services.card_edit_items(actor=cw.stats, card=card, items=["丙"])
    # The template is untouched by the card's edits.
    assert template().items.count() == 6


def test_issue_assigns_the_next_number_of_the_committees_sequence(cw):
    first = services.card_issue(actor=cw.stats, card=draft(cw))
    second = services.card_issue(actor=cw.stats, card=draft(cw, cw.vice_mayor))
    assert first.status == CardStatus.ISSUED
    year = first.issued_on.year
    assert first.number == f"中共五华区委提〔{year}〕1号"
    assert second.number == f"中共五华区委提〔{year}〕2号"
    document = Document.objects.get(pk=first.document_id)
    assert document.document_type == DocumentType.REMINDER_CARD
    assert document.organ == cw.committee
    assert document.recipient_org == cw.world.township
    with pytest.raises(CardTransitionError, match="不能“印发”"):
        services.card_issue(actor=cw.stats, card=first)


def test_a_leader_has_one_live_card_per_committee_and_quarter(cw):
    card = services.card_issue(actor=cw.stats, card=draft(cw))
    with pytest.raises(ValidationError, match="已有"):
        draft(cw)
    services.card_void(actor=cw.stats, card=card, reason="职务调整，重新印发")
    card.refresh_from_db()
    assert card.status == CardStatus.VOID
    assert Document.objects.get(pk=card.document_id).status == DocumentStatus.VOID
    again = services.card_issue(actor=cw.stats, card=draft(cw))
    assert again.number != card.number  # a void number is never reused
    with pytest.raises(ValidationError):
        services.card_void(actor=cw.stats, card=again, reason=" ")


def test_bulk_issue_is_all_or_nothing(cw):
    year, quarter = previous_quarter()
    services.card_issue(actor=cw.stats, card=draft(cw, cw.unit_head))
    posts = [cw.deputy_secretary, cw.vice_mayor, cw.unit_head]
    with pytest.raises(ValidationError, match="钱局长已有"):
        services.cards_issue_bulk(
            actor=cw.stats,
            committee=cw.committee,
            year=year,
            quarter=quarter,
            posts=posts,
            template=template(),
        )
    assert not Document.objects.filter(number__endswith="〕2号").exists()
    result = services.cards_issue_bulk(
        actor=cw.stats,
        committee=cw.committee,
        year=year,
        quarter=quarter,
        posts=posts[:2],
        template=template(),
        negative_list=negative(),
    )
    assert [c.status for c in result.cards] == [CardStatus.ISSUED] * 2
    assert result.items == 12


def test_an_office_outside_the_committees_jurisdiction_cannot_issue(cw):
    from jiandu.accounts import roles as r
    from jiandu.testing import make_user

    other = make_user("panlong", cw.world.other_county, r.ROLE_STATISTICS)
    year, quarter = previous_quarter()
    with pytest.raises(ValidationError, match="管辖范围"):
        services.card_create(
            actor=other,
            committee=cw.committee,
            post=cw.township_head,
            year=year,
            quarter=quarter,
            template=template(),
        )


def test_the_leaders_unit_returns_the_summary_item_by_item(cw):
    card = services.card_issue(actor=cw.stats, card=draft(cw))
    items = list(card.items.order_by("order"))
    with pytest.raises(CardTransitionError, match="所在单位"):
        services.card_summary_submit(
            actor=cw.outsider_staff, card=card, summaries={items[0].pk: "已落实"}
        )
    with pytest.raises(CardTransitionError):
        services.card_summary_submit(actor=cw.stats, card=card, summaries={items[0].pk: "x"})
    services.card_summary_submit(
        actor=cw.staff,
        card=card,
        summaries={items[0].pk: "召开专题会议2次", items[1].pk: ""},
        files=[services.Upload("小结.pdf", b"%PDF-1.4 summary", "application/pdf")],
    )
    items[0].refresh_from_db()
    items[1].refresh_from_db()
    assert items[0].summary == "召开专题会议2次" and items[0].summarised_by == cw.staff
    assert items[1].summarised_on is None
    assert card.attachments.count() == 1
    with pytest.raises(ValidationError, match="至少填写"):
        services.card_summary_submit(actor=cw.staff, card=card, summaries={})


def test_a_draft_takes_no_summary(cw):
    card = draft(cw)
    with pytest.raises(CardTransitionError, match=r"草稿.*报送履责小结"):
        services.card_summary_submit(
            actor=cw.staff, card=card, summaries={card.items.first().pk: "x"}
        )


def test_overdue_is_issued_past_due_with_an_item_unanswered(cw, monkeypatch):
    card = services.card_issue(actor=cw.stats, card=draft(cw))
    after_due = card.summary_due.toordinal() + 1
    import datetime as dt

    day = dt.date.fromordinal(after_due)
    assert selectors.card_is_overdue(card, today=day)
    assert not selectors.card_is_overdue(card, today=card.summary_due)
    services.card_summary_submit(
        actor=cw.staff, card=card, summaries={i.pk: "已落实" for i in card.items.all()}
    )
    assert not selectors.card_is_overdue(card, today=day)


def test_a_spot_check_records_its_findings_as_problems_of_the_loop(cw):
    card = services.card_issue(actor=cw.stats, card=draft(cw))
    check = services.spot_check_record(
        actor=cw.stats,
        card=card,
        note="对照负面清单抽查",
        checklist=negative(),
        findings=[services.Finding("未按规定到居住社区报到"), services.Finding(" ")],
    )
    problem = Problem.objects.get(origin_type="cards.spotcheck", origin_id=check.pk)
    assert problem.source.key == "card_check"
    assert problem.org == cw.world.township
    assert problem.responsible_leader == card.leader
    assert problem.supervising_org == cw.world.city  # the office checks for its commission
    assert problem.rectification.status == "pending"
    assert card.events.filter(action=CardAction.SPOT_CHECK).exists()
    with pytest.raises(CardTransitionError, match="监督提醒对象"):
        services.spot_check_record(actor=cw.staff, card=card, note="x")


def test_every_move_not_in_the_table_is_refused_by_name():
    for status in CardStatus.values:
        for action in CardAction.values:
            if (status, action) in TRANSITIONS:
                assert next_status(status, action) == TRANSITIONS[(status, action)]
            else:
                with pytest.raises(CardTransitionError) as exc:
                    next_status(status, action)
                assert str(CardAction(action).label) in str(exc.value)
