"""The demo lives in the present: last year calibrated, this year up to yesterday, every
business event on its business date (a small demo, "today" fixed for the test)."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.db.models import Max, Min
from django.utils import timezone
from docx import Document

from jiandu.accounts.models import User
from jiandu.boards.demo import build_board_demo, demo_months
from jiandu.boards.documents import chinese_date
from jiandu.boards.exports import bulletin_docx
from jiandu.boards.models import BoardSnapshot
from jiandu.clues.choices import PetitionAction, PetitionStatus
from jiandu.clues.models import Clue, ClueEvent, ExposureBatch, Outcome, Petition, PetitionEvent
from jiandu.clues.selectors import clue_received_by_month
from jiandu.demo.build import DemoError, demo_dates
from jiandu.demo.orgs import org_specs
from jiandu.demo.people import cadre_specs
from jiandu.demo.plan import build_plan
from jiandu.testing import SMALL_DEMO_SCALE, SMALL_DEMO_TODAY

pytestmark = pytest.mark.django_db
TODAY = SMALL_DEMO_TODAY
YESTERDAY = TODAY - dt.timedelta(days=1)


@pytest.fixture(scope="module")
def present(small_demo):
    assert small_demo.scale == SMALL_DEMO_SCALE
    return small_demo


def test_last_year_is_calibrated_and_this_year_runs_to_yesterday(present):
    assert (present.year, present.last_day) == (2025, YESTERDAY)
    assert set(present.statistics) == {"2025-01-01/2025-09-30", "2025-09-01/2025-09-30"}
    received = Clue.objects.aggregate(first=Min("received_date"), last=Max("received_date"))
    assert received["first"].year == 2025
    assert dt.date(2026, 11, 15) <= received["last"] <= YESTERDAY
    # Every month of this year up to last month has clues, as in a system in daily use.
    months = {d.month for d in Clue.objects.filter(received_date__year=2026).dates(
        "received_date", "month")}  # fmt: skip
    assert set(range(1, 12)) <= months


def test_nothing_is_dated_after_yesterday(present):
    end = timezone.make_aware(dt.datetime(TODAY.year, TODAY.month, TODAY.day))
    assert not Clue.objects.filter(closed_at__gt=YESTERDAY).exists()
    assert not Clue.objects.filter(disposed_at__gt=YESTERDAY).exists()
    assert not ClueEvent.objects.filter(on_date__gt=YESTERDAY).exists()
    assert not ClueEvent.objects.filter(at__gte=end).exists()
    assert not Outcome.objects.filter(decision_date__gt=YESTERDAY).exists()
    assert not ExposureBatch.objects.filter(published_on__gt=YESTERDAY).exists()
    assert not Petition.objects.filter(closed_at__gte=end).exists()
    assert not Petition.objects.filter(created_at__gte=end).exists()
    assert not PetitionEvent.objects.filter(at__gte=end).exists()


def test_petitions_close_on_their_business_date(present):
    """A petition received in January 2025 was filed, transferred or converted then,
    not on the day the demo was built."""
    closed = Petition.objects.exclude(status=PetitionStatus.PENDING)
    assert closed.filter(received_date__year=2025).exists()
    january = closed.filter(received_date__range=(dt.date(2025, 1, 1), dt.date(2025, 1, 31)))
    for petition in january:
        last = petition.events.order_by("at", "pk").last()
        assert last.action != PetitionAction.REGISTER
        closed_day = timezone.localdate(petition.closed_at)
        assert closed_day == timezone.localdate(last.at)
        # Within days, or (a petition left waiting last year) resolved as 积案 this year.
        assert (
            petition.received_date <= closed_day <= petition.received_date + dt.timedelta(20)
            or dt.date(2026, 1, 1) <= closed_day <= YESTERDAY
        )
        assert timezone.localdate(petition.updated_at) == closed_day
    converted = Petition.objects.filter(status=PetitionStatus.CONVERTED).first()
    clue = converted.clues.get()
    assert timezone.localdate(converted.closed_at) == clue.received_date


def test_the_last_days_petitions_wait_for_triage(present):
    recent = Petition.objects.filter(received_date__gte=YESTERDAY - dt.timedelta(days=3))
    pending = Petition.objects.filter(status=PetitionStatus.PENDING)
    # Besides the last days', only 积案 received before this year still wait.
    this_year = dt.date(2026, 1, 1)
    backlog = pending.filter(received_date__lt=this_year)
    assert set(pending.exclude(pk__in=backlog)) == set(recent.filter(clues__isnull=True))
    assert not pending.filter(closed_at__isnull=False).exists()
    # At full scale a handful wait (planned only: nothing written).
    org_plan = org_specs(2020)
    plan = build_plan(
        seed=2020, scale=1.0, orgs=org_plan, cadres=cadre_specs(2020, org_plan),
        year=2025, last_day=YESTERDAY,
    )  # fmt: skip
    waiting = [p for p in plan.petitions if p.clue is None and p.handled is None]
    last_days = [p for p in waiting if p.received >= this_year]
    assert 3 <= len(last_days) <= 40
    assert all(p.received >= YESTERDAY - dt.timedelta(days=3) for p in last_days)
    # The 积案 not resolved by now (docs/user-guide/statistics.md, 三降三升).
    assert 10 <= len(waiting) - len(last_days) <= 80


def test_clue_events_carry_their_business_dates(present):
    for clue in Clue.objects.filter(closed_at__isnull=False)[:50]:
        events = list(clue.events.order_by("at", "pk"))
        assert [timezone.localdate(e.at) for e in events] == [e.on_date for e in events]
        assert events[-1].on_date == clue.closed_at
        assert timezone.localdate(clue.updated_at) == clue.closed_at


def test_overdue_clues_are_a_handful(present):
    open_clues = Clue.objects.open()
    overdue = open_clues.filter(due_date__lt=TODAY).count()
    assert 1 <= overdue <= max(3, Clue.objects.count() // 100)
    assert open_clues.count() > overdue


def test_the_leaders_chart_has_every_one_of_the_last_twelve_months(present):
    leader = User.objects.get(username="leader")
    months = clue_received_by_month(user=leader, months=12, today=YESTERDAY)
    assert [m for m, _ in months][-1] == dt.date(2026, 12, 1)
    assert all(count > 0 for _, count in months[:-1])


def test_boards_are_closed_through_last_month_on_their_close_dates(present):
    assert demo_months(year=2025, last_day=YESTERDAY)[-1] == "2026-11"
    summary = build_board_demo(
        actor=User.objects.get(username="city"), year=2025, last_day=YESTERDAY
    )
    assert summary["months"][0] == "2025-01"
    assert summary["months"][-1] == "2026-11"
    september = BoardSnapshot.objects.filter(month="2025-09").first()
    assert timezone.localdate(september.created_at) == dt.date(2025, 10, 5)
    november = BoardSnapshot.objects.filter(month="2026-11").first()
    assert timezone.localdate(november.created_at) == YESTERDAY  # the 5th is still to come
    # The month's 通报 is dated on its close, not on the day it is downloaded.
    city = User.objects.get(username="city")
    data, _name = bulletin_docx(actor=city, board=september.board, month="2025-09")
    text = "\n".join(p.text for p in Document(io.BytesIO(data)).paragraphs)
    assert "2025年10月5日" in text
    assert chinese_date(timezone.localdate()) not in text


def test_pinned_year_is_reproducible_and_must_be_past():
    assert demo_dates(year=2020, today=TODAY) == (2020, dt.date(2021, 4, 30))
    assert demo_dates(today=TODAY) == (2025, YESTERDAY)
    assert demo_dates(year=2025, today=TODAY) == (2025, YESTERDAY)
    with pytest.raises(DemoError, match="已经过去"):
        demo_dates(year=2026, today=TODAY)


def test_records_added_after_the_demo_get_fresh_ids(present):
    """The demo gives ids itself; the sequences must have moved past them (PostgreSQL)."""
    from jiandu.clues import services
    from jiandu.clues.choices import Channel, ClueSource

    city = User.objects.get(username="city")
    last_clue = Clue.objects.aggregate(m=Max("pk"))["m"]
    last_petition = Petition.objects.aggregate(m=Max("pk"))["m"]
    clue = services.clue_create(
        actor=city,
        source=ClueSource.SUPERVISION,
        title="演示数据之后登记的线索",
        received_date=YESTERDAY,
        handling_org=city.org,
    )
    petition = services.petition_register(
        actor=city,
        received_date=YESTERDAY,
        channel=Channel.LETTER,
        title="演示数据之后登记的信访件",
        content="反映有关问题",
    )
    assert clue.pk > last_clue
    assert petition.pk > last_petition


def test_demo_petitions_and_clues_are_found_by_keyword(present):
    """The bulk-written records carry their text-search bigrams, as save() writes them,
    so a keyword search (through the index) finds them."""
    from jiandu.clues.search import _indexed, query_grams, text_filter, text_grams

    assert not Clue.objects.filter(search_grams="").exists()
    assert not Petition.objects.filter(search_grams="").exists()
    fields = ("title", "content")
    for model in (Clue, Petition):
        record = model.objects.filter(received_date__year=2026).order_by("pk").last()
        assert record.search_grams == text_grams(record.title, record.content)
        keyword = record.title.removeprefix("反映")[:12]
        assert record in _indexed(model.objects.all(), query_grams(keyword))
        assert record in text_filter(model.objects.all(), keyword, fields=fields)
