"""Every figure opens down to the records that produced it: for every cell of a closed
demo-like board (month, cumulative and quarter views) the records listed add up to the
number shown."""

from django.urls import reverse

from jiandu.boards import compute, selectors
from jiandu.boards.services import board_close
from jiandu.clues.choices import OutcomeKind, ResponsibilityType
from jiandu.clues.statistics import STATISTICS

from .conftest import day, populate


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


def _counted_later(bw):
    """Records counted in a later month than their clue's receipt: clues received in
    January, disposed and closed in February; decisions and a 直查直办 in March;
    通报曝光 in February."""
    county, township = bw.world.county, bw.world.township
    for i, clue in enumerate(bw.receive(county, 1, 3)):
        bw.dispose(clue, day(2, 10 + i))
        bw.close(clue, day(2, 20 + i))
    decided = bw.receive(county, 1, 2)
    bw.outcome(decided[0], OutcomeKind.CRITICISM, day(3, 3))
    bw.outcome(decided[0], OutcomeKind.ACCOUNTABILITY, day(3, 4), ResponsibilityType.PRINCIPAL)
    bw.outcome(decided[1], OutcomeKind.PARTY_DISCIPLINE, day(3, 5))
    bw.outcome(decided[1], OutcomeKind.GOVERNMENT_SANCTION, day(3, 6))
    bw.outcome(decided[1], OutcomeKind.ACCOUNTABILITY, day(3, 7), ResponsibilityType.SUPERVISORY)
    bw.direct(bw.clue(township, day(1, 9)), county, day(3, 8))
    bw.exposure(county, day(2, 15), persons=2)
    # 派驻第一纪检监察组, on the other board (处置办结, 问责追责 …)
    group = bw.world.group1
    for i, clue in enumerate(bw.receive(group, 1, 2)):
        bw.dispose(clue, day(2, 3 + i))
        bw.close(clue, day(3, 12 + i))
        bw.outcome(clue, OutcomeKind.CRITICISM, day(2, 25))


def _listed_dates(bw, board, org):
    """statistic → the dates listed in the drill-downs of ``org``'s cells in March, the
    first quarter and 1—3月, after checking each date lies in its month and each list
    is as long as the number."""
    city = bw.users["city"]
    for month in ("2020-01", "2020-02", "2020-03"):
        snapshot = board_close(actor=city, board=board, month=month).snapshot
    access = selectors.board_get(user=city, pk=board.pk)
    unit = str(org.pk)
    seen: dict[str, set[str]] = {}
    for period in ("month", "quarter", "cumulative"):
        data = selectors.snapshot_period(snapshot, period)
        line = next(u for u in data["units"] if u["unit"] == unit)
        for column in selectors.snapshot_columns(snapshot):
            drill = selectors.cell_records(
                user=city,
                access=access,
                snapshot=snapshot,
                period=period,
                unit_key=unit,
                indicator_key=column.key,
            )
            expected = _slot_values(line["cells"][column.key], column)
            assert [s.listed for s in drill.slots] == expected, (period, column.key)
            for slot in drill.slots:
                assert slot.date_label == selectors.COUNTED_DATES[slot.statistic][1]
                for month_records in slot.months:
                    first, last = compute.month_bounds(month_records.month)
                    for row in month_records.rows:
                        assert first <= row.date <= last, (period, slot.statistic, row)
                        seen.setdefault(slot.statistic, set()).add(row.date.isoformat())
    return seen


def test_every_computed_indicator_lists_its_records_on_the_date_it_counts(bw):
    _counted_later(bw)
    seen = _listed_dates(bw, bw.counties_board, bw.world.county)
    # Each computed indicator of the board listed records, on the dates they count.
    assert seen["clues_received"] == {"2020-01-01", "2020-01-02", "2020-01-03", "2020-01-09"}
    assert seen["clues_disposed"] == {"2020-02-10", "2020-02-11", "2020-02-12"}
    assert seen["criticism"] == {"2020-03-03"}
    assert seen["accountability"] == {"2020-03-04", "2020-03-07"}
    assert seen["principal_failures"] == {"2020-03-04"}
    assert seen["supervisory_failures"] == {"2020-03-07"}
    assert seen["party_discipline"] == {"2020-03-05"}
    assert seen["government_sanction"] == {"2020-03-06"}
    assert seen["direct_handling"] == {"2020-03-08"}
    assert seen["exposure_batches"] == seen["exposure_persons"] == {"2020-02-15"}
    stationed = _listed_dates(bw, bw.stationed_board, bw.world.group1)
    assert stationed["clues_received"] == {"2020-01-01", "2020-01-02"}
    assert stationed["clues_closed"] == {"2020-03-12", "2020-03-13"}
    assert stationed["criticism"] == {"2020-02-25"}


def test_the_panel_heads_the_date_column_with_what_counts_and_names_the_statistic(bw, client):
    _counted_later(bw)
    city = bw.users["city"]
    board_close(actor=city, board=bw.counties_board, month="2020-01")
    snapshot = board_close(actor=city, board=bw.counties_board, month="2020-02").snapshot
    client.force_login(city)
    url = reverse("boards:cell_detail", args=[bw.counties_board.pk, snapshot.pk])
    html = client.get(
        url,
        {"period": "month", "unit": bw.world.county.pk, "indicator": "clues_disposed"},
        headers={"HX-Request": "true", "HX-Target": "cell-panel"},
    ).content.decode()
    assert '<span class="cell-count">3</span>' in html
    assert html.count('class="cell-record"') == 3
    assert "<th>处置日期</th>" in html and "按处置日期计入月份" in html
    assert "2020-02-10" in html and "2020-01-0" not in html
    assert "clues_disposed" not in html


def test_every_statistic_says_which_date_it_counts():
    assert set(selectors.COUNTED_DATES) == set(STATISTICS)
