"""Every figure opens down to the records that produced it: for every cell of a closed
demo-like board (month, cumulative and quarter views) the records listed add up to the
number shown."""

from django.urls import reverse

from jiandu.boards import selectors
from jiandu.boards.services import board_close

from .conftest import populate


def _slot_values(cell, column):
    value = cell["value"]
    if column.is_compound:
        return [value[slot["key"]] for slot in column.slots]
    return [value]


def test_every_cell_count_equals_its_records(bw):
    populate(bw)
    city = bw.users["city"]
    checked = 0
    nonzero = 0
    for board in (bw.counties_board, bw.stationed_board):
        for month in ("2020-01", "2020-02", "2020-03"):
            snapshot = board_close(actor=city, board=board, month=month).snapshot
        access = selectors.board_get(user=city, pk=board.pk)
        columns = selectors.snapshot_columns(snapshot)
        for period in ("month", "cumulative", "quarter"):
            data = selectors.snapshot_period(snapshot, period)
            for line in data["units"]:
                for column in columns:
                    drill = selectors.cell_records(
                        user=city,
                        access=access,
                        snapshot=snapshot,
                        period=period,
                        unit_key=line["unit"],
                        indicator_key=column.key,
                    )
                    expected = _slot_values(line["cells"][column.key], column)
                    assert [s.count for s in drill.slots] == expected, (
                        board.key,
                        period,
                        line["unit"],
                        column.key,
                    )
                    # the city sees every record: all of them are listed
                    assert [s.listed for s in drill.slots] == expected
                    checked += 1
                    nonzero += sum(1 for v in expected if v)
    assert checked == 3 * (3 * 10 + 3 * 4)
    assert nonzero > 40


def test_the_cell_panel_lists_the_records(bw, client):
    county = bw.world.county
    clues = bw.receive(county, 2, 3)
    bw.receive(county, 2, 2, domain=False)
    snapshot = board_close(
        actor=bw.users["city"], board=bw.counties_board, month="2020-02"
    ).snapshot
    client.force_login(bw.users["city"])
    url = reverse("boards:cell_detail", args=[bw.counties_board.pk, snapshot.pk])
    response = client.get(
        url,
        {"period": "month", "unit": county.pk, "indicator": "clues_received"},
        headers={"HX-Request": "true", "HX-Target": "cell-panel"},
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert '<span class="cell-count">3</span>' in html
    assert html.count('class="cell-record"') == 3
    for clue in clues:
        assert clue.number in html
        assert reverse("clues:clue_detail", args=[clue.pk]) in html


def test_records_outside_the_users_jurisdiction_are_counted_not_listed(bw):
    county = bw.world.county
    bw.receive(county, 2, 2)
    snapshot = board_close(
        actor=bw.users["city"], board=bw.counties_board, month="2020-02"
    ).snapshot
    viewer = bw.grant_view("room")  # 第一监督检查室: sees 五华区 (it supervises it)
    access = selectors.board_get(user=bw.users["city"], pk=bw.counties_board.pk)
    drill = selectors.cell_records(
        user=viewer,
        access=access,
        snapshot=snapshot,
        period="month",
        unit_key=str(county.pk),
        indicator_key="clues_received",
    )
    assert (drill.slots[0].count, drill.slots[0].listed, drill.slots[0].hidden) == (2, 2, 0)
    outsider = bw.users["outsider"]
    drill = selectors.cell_records(
        user=outsider,
        access=access,
        snapshot=snapshot,
        period="month",
        unit_key=str(county.pk),
        indicator_key="clues_received",
    )
    assert (drill.slots[0].count, drill.slots[0].listed, drill.slots[0].hidden) == (2, 0, 2)
