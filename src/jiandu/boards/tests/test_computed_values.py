"""A unit's value of a computed indicator is the statistic over its subtree, in the
board's domain, for the month — one grouped query per indicator."""

from jiandu.boards import compute
from jiandu.clues.choices import OutcomeKind, ResponsibilityType
from jiandu.orgs.choices import OrgKind
from jiandu.orgs.services import org_create

from .conftest import day


def _values(bw, month="2020-03"):
    board = bw.counties_board
    columns = compute.board_columns(board)
    units = compute.board_units(board)
    values = compute.computed_month_values(columns=columns, units=units, month=month)
    return {k: v for k, v in values.items() if v}, {u.org_id: u.key for u in units}


def test_records_of_descendants_roll_up_to_the_participant(bw):
    county, township = bw.world.county, bw.world.township
    village = org_create(
        actor=bw.users["city"], name="某社区", kind=OrgKind.VILLAGE, parent=township
    )
    bw.receive(county, 3, 2)
    bw.receive(township, 3, 3)
    bw.receive(village, 3, 1)
    bw.receive(bw.dongchuan, 3, 4)
    values, keys = _values(bw)
    assert values[(keys[county.pk], "clues_received", None)] == 6
    assert values[(keys[bw.dongchuan.pk], "clues_received", None)] == 4
    assert (keys[bw.luquan.pk], "clues_received", None) not in values


def test_only_the_board_domain_and_the_month_count(bw):
    county = bw.world.county
    bw.receive(county, 3, 2)
    bw.receive(county, 3, 5, domain=False)  # 四风 etc.: not 扶贫
    bw.receive(county, 2, 7)  # February
    values, keys = _values(bw)
    assert values[(keys[county.pk], "clues_received", None)] == 2
    february, _ = _values(bw, "2020-02")
    assert february[(keys[county.pk], "clues_received", None)] == 7


def test_each_statistic_lands_in_its_column(bw):
    county, township = bw.world.county, bw.world.township
    clues = bw.receive(county, 3, 4)
    bw.dispose(clues[0], day(3, 20))
    bw.close(clues[0], day(3, 25))
    bw.outcome(clues[1], OutcomeKind.CRITICISM, day(3, 12))
    bw.outcome(clues[1], OutcomeKind.CRITICISM, day(3, 13))
    bw.outcome(clues[2], OutcomeKind.ACCOUNTABILITY, day(3, 14), ResponsibilityType.PRINCIPAL)
    bw.outcome(clues[2], OutcomeKind.ACCOUNTABILITY, day(3, 15), ResponsibilityType.PRINCIPAL)
    bw.outcome(clues[3], OutcomeKind.ACCOUNTABILITY, day(3, 16), ResponsibilityType.SUPERVISORY)
    bw.outcome(clues[3], OutcomeKind.PARTY_DISCIPLINE, day(3, 17))
    bw.outcome(clues[3], OutcomeKind.GOVERNMENT_SANCTION, day(3, 18))
    lower = bw.clue(township, day(3, 2))
    bw.direct(lower, county, day(3, 21))
    bw.exposure(county, day(3, 22), persons=3)
    bw.exposure(county, day(3, 23), persons=2)
    values, keys = _values(bw)
    key = keys[county.pk]
    expected = {
        ("clues_received", None): 5,
        ("clues_disposed", None): 1,
        ("criticism", None): 2,
        ("accountability", None): 3,
        ("party_discipline", None): 1,
        ("government_sanction", None): 1,
        ("direct_handling", None): 1,
        # counted by clue: two principal-responsibility outcomes on one clue are one 件
        ("principal_failures", None): 1,
        ("supervisory_failures", None): 1,
        ("exposure", "batches"): 2,
        ("exposure", "persons"): 5,
    }
    assert {k[1:]: v for k, v in values.items() if k[0] == key} == expected


def test_one_grouped_query_per_value_slot(bw, django_assert_num_queries):
    board = bw.counties_board
    columns = compute.board_columns(board)
    units = compute.board_units(board)
    slots = sum(len(c.slots) for c in columns)
    assert slots == 11
    with django_assert_num_queries(slots):
        compute.computed_month_values(columns=columns, units=units, month="2020-03")
