"""A unit's 多色榜 result gives a red dot when its overall rank in a closed month is within
the board's top band (the frozen ``top_n`` its colour rules make red): a row of the
versioned colour table, evidence linking to the board snapshot, the snapshot version in
force on the as-of date."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from jiandu.boards.models import Board, BoardSnapshot
from jiandu.dossiers import selectors
from jiandu.dossiers.models import ColourRule, ColourTable
from jiandu.dossiers.reference import DEFAULT_VERSION

D = dt.date
pytestmark = pytest.mark.django_db


def at(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime(day.year, day.month, day.day, 10))


def snapshot(board, month, version, closed_on, overall, top_n=3):
    return BoardSnapshot.objects.create(
        board=board, month=month, version=version, created_at=at(closed_on),
        data={"result": {"settings": {"colours": {"top_n": top_n}}}},
        figures={"overall": overall},
    )  # fmt: skip


@pytest.fixture
def board(dw):
    return Board.objects.create(key="red-board", title="作风建设多色榜", top_n=3,
                                owner_org=dw.rw.world.city, created_by=dw.stats)  # fmt: skip


def ranks(unit, others, rank):
    found = {str(unit.pk): [30, rank]}
    found.update({str(o.pk): [10, 4] for o in others})
    return found


def test_the_shipped_colour_table_makes_a_top_rank_red(db):
    table = ColourTable.objects.get(version=DEFAULT_VERSION)
    assert ColourRule.objects.get(table=table, item_kind="board_top").colour == "red"


def test_a_top_rank_in_a_closed_month_is_a_red_dot_with_its_snapshot(dw, board):
    unit, other = dw.rw.world.unit_a, dw.rw.world.unit_b
    v1 = snapshot(board, "2025-03", 1, D(2025, 4, 3), ranks(unit, [other], 2))
    d = selectors.org_dossier(unit, as_of=D(2025, 4, 5))
    assert [(x.item.kind, x.colour, x.on) for x in d.dots] == [("board_top", "red", D(2025, 3, 31))]
    ref = d.dots[0].item.ref
    assert (ref.snapshot_id, ref.rank, ref.top_n, ref.participants) == (v1.pk, 2, 3, 2)
    assert "综合排名第2名" in d.dots[0].item.label and "前3名为红色" in d.dots[0].item.label
    # as of a day before the month was closed, the result did not exist yet
    assert selectors.org_dossier(unit, as_of=D(2025, 4, 2)).dots == []
    # the other unit ranked 4th of a top-3 band: no dot
    assert selectors.org_dossier(other, as_of=D(2025, 4, 5)).dots == []


def test_a_reclose_changes_only_later_answers(dw, board):
    unit, other = dw.rw.world.unit_a, dw.rw.world.unit_b
    snapshot(board, "2025-03", 1, D(2025, 4, 3), ranks(unit, [other], 1))
    snapshot(board, "2025-03", 2, D(2025, 5, 10), ranks(unit, [other], 4))
    assert [x.colour for x in selectors.org_dossier(unit, as_of=D(2025, 5, 1)).dots] == ["red"]
    assert selectors.org_dossier(unit, as_of=D(2025, 5, 11)).dots == []


def test_the_band_is_the_one_frozen_in_the_snapshot(dw, board):
    unit = dw.rw.world.unit_a
    snapshot(board, "2025-06", 1, D(2025, 7, 2), ranks(unit, [], 2), top_n=1)
    assert selectors.org_dossier(unit, as_of=D(2025, 7, 5)).dots == []


def test_the_colour_comes_from_the_table_in_force(dw, board):
    unit = dw.rw.world.unit_a
    snapshot(board, "2025-03", 1, D(2025, 4, 3), ranks(unit, [], 1))
    table = ColourTable.objects.create(version="2025-06", valid_from=D(2025, 6, 1))
    ColourRule.objects.create(table=table, item_kind="board_top", colour="blue")
    assert [x.colour for x in selectors.org_dossier(unit, as_of=D(2025, 7, 1)).dots] == ["blue"]
    assert [x.colour for x in selectors.org_dossier(unit, as_of=D(2025, 5, 1)).dots] == ["red"]


def test_the_unit_page_links_the_dot_to_the_board_snapshot(dw, board, client):
    unit = dw.rw.world.unit_a
    v1 = snapshot(board, "2025-03", 1, D(2025, 4, 3), ranks(unit, [], 1))
    client.force_login(dw.stats)
    query = {"reason": "年度考核", "as_of": "2025-04-05", "purpose": "年度考核"}
    page = client.get(reverse("dossiers:org", args=[unit.pk]), query)
    html = page.content.decode()
    assert page.status_code == 200
    url = reverse("boards:board_detail", args=[board.pk])
    assert f'href="{url}?month=2025-03&amp;version={v1.version}"' in html
    assert "badge-red" in html
