"""The statistics of seed 001 — cards (人次), items (事项), summaries, spot checks and the
提醒谈话, 诫勉 and 处分 that followed — per quarter and committee, each number equal to
the records it opens (page and API)."""

from __future__ import annotations

import datetime as dt

import pytest

from jiandu.cards import selectors, services
from jiandu.cards.models import ListTemplate
from jiandu.cards.reference import RESPONSIBILITY_KEY
from jiandu.cards.tests.conftest import previous_quarter
from jiandu.clues.choices import ClueSource, DisposalMethod, OutcomeKind
from jiandu.clues.services import clue_create, clue_dispose, outcome_record
from jiandu.oversight.choices import InterviewKind
from jiandu.oversight.services import interview_record

pytestmark = pytest.mark.django_db


@pytest.fixture
def issued(cw):
    year, quarter = previous_quarter()
    template = ListTemplate.objects.get(key=RESPONSIBILITY_KEY, archived_at__isnull=True)
    cards = services.cards_issue_bulk(
        actor=cw.stats,
        committee=cw.committee,
        year=year,
        quarter=quarter,
        posts=[cw.township_head, cw.vice_mayor, cw.unit_head],
        template=template,
    ).cards
    services.card_edit_items  # noqa: B018 - items stay as issued
    start, end = selectors.quarter_bounds(year, quarter)
    day = min(end + dt.timedelta(days=10), dt.date.today())
    city = cw.world.users["city"]
    for card, kind in (
        (cards[0], InterviewKind.REMINDER_TALK),
        (cards[1], InterviewKind.ADMONISHMENT),
    ):
        interview_record(
            actor=city, kind=kind, org=card.leader_org, person=card.leader, held_on=day,
            leader="纪委副书记", participants=card.leader.name, minutes="对照清单谈话",
        )  # fmt: skip
    # A talk long before the card's quarter does not follow it.
    interview_record(
        actor=city, kind=InterviewKind.REMINDER_TALK, org=cards[0].leader_org,
        person=cards[0].leader, held_on=start - dt.timedelta(days=200), leader="x",
        participants="x", minutes="x",
    )  # fmt: skip
    clue = clue_create(
        actor=city, source=ClueSource.SUPERVISION, title="落实主体责任不力",
        received_date=start, subject_people=[cards[2].leader],
    )  # fmt: skip
    clue_dispose(actor=city, clue=clue, method=DisposalMethod.CASE_FILED, on_date=start)
    outcome_record(
        actor=city, clue=clue, kind=OutcomeKind.PARTY_DISCIPLINE, subtype="party_warning",
        person=cards[2].leader, decision_date=day,
    )  # fmt: skip
    items = list(cards[0].items.all())
    services.card_summary_submit(
        actor=cw.staff, card=cards[0], summaries={i.pk: "已落实" for i in items}
    )
    services.spot_check_record(
        actor=cw.stats, card=cards[1], note="抽查", findings=[services.Finding("台账缺失")]
    )
    return cards


def test_the_figures_and_their_records(cw, issued):
    year, quarter = previous_quarter()
    rows = selectors.card_stats(user=cw.stats, year=year, quarter=quarter)
    assert len(rows) == 1 and rows[0].committee == "中共五华区委"
    values = rows[0].values
    assert values["cards"] == 3
    assert values["items"] == 18
    assert values["summarised"] == 1
    assert values["checks"] == 1 and values["findings"] == 1
    assert values["talks"] == 1 and values["admonitions"] == 1 and values["sanctions"] == 1
    for metric in selectors.METRICS:
        drill = selectors.stats_records(
            user=cw.stats, metric=metric, year=year, quarter=quarter, committee_id=cw.committee.pk
        )
        assert len(drill.records) == values[metric], metric


def test_a_later_card_takes_what_follows_it(cw, issued):
    year, quarter = previous_quarter()
    from jiandu.cards.selectors import next_quarter

    later_year, later_quarter = next_quarter(year, quarter)
    template = ListTemplate.objects.get(key=RESPONSIBILITY_KEY, archived_at__isnull=True)
    later = services.card_issue(
        actor=cw.stats,
        card=services.card_create(
            actor=cw.stats, committee=cw.committee, post=cw.township_head,
            year=later_year, quarter=later_quarter, template=template,
        ),
    )  # fmt: skip
    rows = selectors.card_stats(user=cw.stats)
    by_quarter = {(r.year, r.quarter): r.values for r in rows}
    # The talk after the first quarter now belongs to the leader's next card, once.
    assert (
        by_quarter[(year, quarter)]["talks"] + by_quarter[(later_year, later_quarter)]["talks"] == 1
    )
    assert later.pk


def test_the_stats_page_numbers_open_their_records(client, cw, issued):
    client.force_login(cw.stats)
    page = client.get("/cards/stats/").content.decode()
    assert "中共五华区委" in page and "提醒谈话" in page
    year, quarter = previous_quarter()
    for metric, expected in (("cards", 3), ("talks", 1), ("sanctions", 1), ("findings", 1)):
        records = client.get(
            "/cards/stats/records/",
            {"metric": metric, "year": year, "quarter": quarter, "committee": cw.committee.pk},
        )
        assert records.status_code == 200
        assert (
            f"：{expected}</" in records.content.decode()
            or f"：{expected}" in records.content.decode()
        )
        api = client.get(
            "/api/v1/cards/stats/records",
            {"metric": metric, "year": year, "quarter": quarter, "committee": cw.committee.pk},
        ).json()
        assert api["count"] == expected == len(api["records"])
    body = client.get("/api/v1/cards/stats", {"year": year, "quarter": quarter}).json()
    assert body["total"]["cards"] == 3 and body["total"]["items"] == 18


def test_a_committee_out_of_the_id_range_is_no_committee(client, cw, issued):
    """``committee`` comes from the address: an id no record can have counts every
    committee, as an absent one does, instead of failing (500)."""
    client.force_login(cw.stats)
    year, quarter = previous_quarter()
    query = {"metric": "cards", "year": year, "quarter": quarter}
    everyone = client.get("/cards/stats/records/", query).content.decode()
    for committee in ("99999999999999999999999", "-1"):
        response = client.get("/cards/stats/records/", {**query, "committee": committee})
        assert response.status_code == 200, committee
        assert "：3" in response.content.decode() and "：3" in everyone


def test_outside_the_jurisdiction_the_figures_are_empty(client, cw, issued):
    client.force_login(cw.world.users["outsider"])
    assert client.get("/api/v1/cards/stats").json()["rows"] == []
