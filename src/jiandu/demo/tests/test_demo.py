"""The full demo (scale 1.0, calibrated year pinned to 2020: data to 2021-04-30), built
once for this module: calibration against seed 000, the org tree, cadres, accounts, and
the realism the boards and work lists rely on."""

from __future__ import annotations

import datetime as dt
import itertools
import json
from collections import Counter
from decimal import Decimal
from pathlib import Path

import pytest
from django.contrib.auth.models import Group
from django.db import transaction
from django.db.models import Count
from django.test import override_settings
from django.urls import reverse

from jiandu.accounts.models import User
from jiandu.accounts.roles import ADMIN_ROLES, ROLE_PERMISSIONS
from jiandu.clues.choices import ClueAction, ClueStatus, DisposalMethod, OutcomeKind
from jiandu.clues.models import Clue, ClueEvent, Outcome, Petition, PetitionEvent
from jiandu.clues.statistics import STATISTICS
from jiandu.core import idnumbers
from jiandu.core.audit import audit_verify
from jiandu.demo.build import CALIBRATION, DEMO_PASSWORD, build_demo
from jiandu.demo.orgs import LEAD_GROUP_LABEL, POVERTY_LABEL
from jiandu.orgs.choices import OrgKind
from jiandu.orgs.models import Org
from jiandu.people.choices import ManagementLevel
from jiandu.people.models import Person, Post

pytestmark = [pytest.mark.django_db, pytest.mark.slow]

GEOJSON = Path(__file__).resolve().parents[2] / "core/static/jiandu/geo/kunming.geojson"
JAN, SEP_START, SEP_END = dt.date(2020, 1, 1), dt.date(2020, 9, 1), dt.date(2020, 9, 30)
HANDLED = [
    OutcomeKind.CRITICISM,
    OutcomeKind.ACCOUNTABILITY,
    OutcomeKind.PARTY_DISCIPLINE,
    OutcomeKind.GOVERNMENT_SANCTION,
    OutcomeKind.ORGANISATIONAL,
    OutcomeKind.JUDICIAL_TRANSFER,
]


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The demo at full scale, built once and rolled back after the module."""
    hashers = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    with (
        django_db_blocker.unblock(),
        override_settings(PASSWORD_HASHERS=hashers),
        transaction.atomic(),
    ):
        summary = build_demo(seed=2020, scale=1.0, year=2020)
        yield summary
        transaction.set_rollback(True)


def _count(key: str, start: dt.date, end: dt.date) -> int:
    return STATISTICS[key].count(start=start, end=end, domain="poverty", org_ids=None)


# --- calibration (seed 000) ------------------------------------------------------------


def test_poverty_january_to_september_matches_seed_000(demo):
    targets = CALIBRATION["2020-01-01/2020-09-30"]
    assert targets == {
        "clues_received": 1009,
        "clues_closed": 943,
        "criticism": 456,
        "accountability": 112,
        "party_discipline": 99,
        "government_sanction": 10,
        "exposure_batches": 63,
        "exposure_cases": 106,
        "exposure_persons": 195,
    }
    actual = {key: _count(key, JAN, SEP_END) for key in targets}
    assert actual == targets


def test_poverty_september_matches_seed_000(demo):
    assert _count("clues_received", SEP_START, SEP_END) == 69
    assert _count("clues_closed", SEP_START, SEP_END) == 68
    assert _count("criticism", SEP_START, SEP_END) == 47
    assert (
        _count("exposure_batches", SEP_START, SEP_END),
        _count("exposure_cases", SEP_START, SEP_END),
        _count("exposure_persons", SEP_START, SEP_END),
    ) == (11, 14, 21)
    handled = (
        Outcome.objects.active()
        .filter(
            kind__in=HANDLED,
            decision_date__range=(SEP_START, SEP_END),
            clue__domains__code="poverty",
        )
        .count()
    )
    assert handled == 73  # 处理73人


def test_summary_reports_the_statistics_it_built(demo):
    assert demo.statistics == CALIBRATION
    assert json.loads(json.dumps(demo.as_dict(), ensure_ascii=False))["seed"] == 2020


def test_other_domains_add_about_as_much_again(demo):
    poverty = Clue.objects.filter(domains__code="poverty").count()
    total = Clue.objects.count()
    assert 1.8 * poverty <= total <= 3 * poverty
    domains = set(Clue.objects.values_list("domains__code", flat=True))
    assert {"four_winds", "epidemic", "livelihood", "bidding", "rural_assets"} <= domains
    # 涉疫 starts with the epidemic.
    assert not Clue.objects.filter(
        domains__code="epidemic", received_date__lt=dt.date(2020, 2, 1)
    ).exists()


# --- org tree ----------------------------------------------------------------------------


def test_counties_come_from_the_shipped_geojson(demo):
    features = json.loads(GEOJSON.read_text(encoding="utf-8"))["features"]
    expected = {str(f["id"]): f"{f['properties']['name']}纪委监委" for f in features}
    counties = dict(Org.objects.filter(kind=OrgKind.COUNTY).values_list("region_code", "name"))
    assert counties == expected
    city = Org.objects.get(kind=OrgKind.COMMISSION)
    assert (city.name, city.region_code) == ("昆明市纪委监委", "530100")


def test_city_rooms_groups_and_units(demo):
    city = Org.objects.get(kind=OrgKind.COMMISSION)
    names = set(Org.objects.filter(parent=city).values_list("name", flat=True))
    for n in "一二三四五六七八":
        assert f"第{n}监督检查室" in names
    assert {"党风政风监督室", "信访室", "案件审理室", "市委巡察办"} <= names
    assert {"派驻第一纪检监察组", "派驻第三十纪检监察组"} <= names
    groups = Org.objects.filter(kind=OrgKind.STATIONED_GROUP).annotate(n=Count("supervises"))
    assert groups.count() == 30
    assert all(2 <= g.n <= 4 for g in groups)
    units = Org.objects.filter(kind__in=[OrgKind.CITY_UNIT, OrgKind.STATE_ENTERPRISE])
    assert 75 <= units.count() <= 90
    assert {"市财政局", "市民政局", "市农业农村局", "市乡村振兴局", "市教育体育局"} <= set(
        units.values_list("name", flat=True)
    )
    # Every county is supervised by one 监督检查室.
    for county in Org.objects.filter(kind=OrgKind.COUNTY):
        rooms = county.supervised_by.filter(kind=OrgKind.SUPERVISION_ROOM)
        assert rooms.count() == 1


def test_labels_and_region_codes(demo):
    labelled = set(Org.objects.filter(labels__name=POVERTY_LABEL).values_list("name", flat=True))
    assert len(labelled) == 9
    assert "东川区纪委监委" in labelled
    assert "五华区纪委监委" not in labelled
    lead = Org.objects.filter(labels__name=LEAD_GROUP_LABEL)
    assert 1 <= lead.count() <= 2
    assert all(g.kind == OrgKind.STATIONED_GROUP for g in lead)
    for org in Org.objects.filter(kind__in=[OrgKind.TOWNSHIP, OrgKind.VILLAGE]).select_related(
        "parent"
    ):
        expected_length = 9 if org.kind == OrgKind.TOWNSHIP else 12
        assert len(org.region_code) == expected_length
        assert org.region_code.startswith(org.parent.region_code or "-")
    assert Org.objects.filter(kind=OrgKind.VILLAGE).count() > 100


# --- cadres ------------------------------------------------------------------------------


def test_cadres_have_valid_id_numbers_matching_their_county(demo):
    people = list(Person.objects.select_related("registered_org"))
    assert 2000 <= len(people) <= 5000
    assert len({p.id_search_key for p in people}) == len(people)
    county_code = {o.path: o.region_code for o in Org.objects.filter(kind=OrgKind.COUNTY)}
    for person in people[::25]:
        facts = idnumbers.parse(person.id_number)
        assert facts.birth_date == person.birth_date
        assert facts.gender == person.gender
        assert person.id_masked == idnumbers.mask(person.id_number)
        for path, code in county_code.items():
            if person.registered_org.path.startswith(path):
                assert facts.region_code == code
    levels = set(Post.objects.values_list("management_level", flat=True))
    assert {
        ManagementLevel.CITY_MANAGED,
        ManagementLevel.COUNTY_MANAGED,
        ManagementLevel.SECTION,
        ManagementLevel.VILLAGE,
    } <= levels
    assert Post.objects.filter(end_date__isnull=False).exists()


# --- accounts ----------------------------------------------------------------------------


def test_demo_accounts_and_roles(demo):
    listed = {a.username: a for a in demo.accounts}
    assert set(listed) == {
        "stats", "petition", "casemgmt", "room1", "trial", "group1", "wuhua", "dongchuan",
        "leader", "data", "sysadmin", "secadmin", "auditor", "rectify", "xuncha",
        "room1head", "casemgmthead", "group1head", "petitionhead", "wuhualeader",
    }  # fmt: skip
    petitionhead = User.objects.get(username="petitionhead")
    assert petitionhead.org.name == "信访室" and petitionhead.has_perm("approvals.review_request")
    # Every office that drafts 呈批件 has someone to sign their first step (室主任审核:
    # 组长 of a 派驻组), listed or not.
    from jiandu.orgs.choices import OrgKind
    from jiandu.orgs.models import Org

    kinds = (OrgKind.SUPERVISION_ROOM, OrgKind.STATIONED_GROUP, OrgKind.PETITION_ROOM,
             OrgKind.CASE_MANAGEMENT_ROOM)  # fmt: skip
    offices = Org.objects.filter(kind__in=kinds)
    assert offices.count() > 3
    unsigned = [
        o.name
        for o in offices
        if not any(u.has_perm("approvals.review_request") for u in User.objects.filter(org=o))
    ]
    assert unsigned == []
    head = User.objects.get(username="group1head")
    assert head.org.name == "派驻第一纪检监察组" and head.title == "派驻第一纪检监察组组长"
    assert head.has_perm("approvals.review_request")
    assert not head.has_perm("approvals.approve_request")
    xuncha = User.objects.get(username="xuncha")
    assert xuncha.org.name == "市委巡察办" and xuncha.has_perm("inspections.add_teamdraw")
    rectify = User.objects.get(username="rectify")
    assert rectify.org.name == "市委办公室" and rectify.has_perm("oversight.rectify_problem")
    petition = User.objects.get(username="petition")
    assert petition.org.name == "信访室"
    assert petition.has_perm("clues.view_reporter_identity")
    assert User.objects.get(username="wuhua").org.name == "五华区纪委监委"
    assert User.objects.get(username="group1").org.name == "派驻第一纪检监察组"
    assert User.objects.get(username="stats").has_perm("clues.view_clue")
    sysadmin = User.objects.get(username="sysadmin")
    assert not sysadmin.is_staff
    for username in ("sysadmin", "secadmin", "auditor"):
        user = User.objects.get(username=username)
        assert set(user.groups.values_list("name", flat=True)) <= ADMIN_ROLES
        assert not user.has_perm("clues.view_clue")
    assert set(ROLE_PERMISSIONS) == set(Group.objects.values_list("name", flat=True))


def test_demo_account_logs_in_with_the_documented_password(demo, client):
    response = client.post(
        reverse("accounts:login"), {"username": "room1", "password": DEMO_PASSWORD}
    )
    assert response.status_code == 302
    assert int(client.session["_auth_user_id"]) == User.objects.get(username="room1").pk


# --- the registry's realism ------------------------------------------------------------


def test_every_record_has_its_timeline(demo):
    assert not Clue.objects.exclude(events__action=ClueAction.RECEIVE).exists()
    closed = Clue.objects.filter(status=ClueStatus.CLOSED)
    assert closed.count() == closed.filter(events__action=ClueAction.CLOSE).count()
    assert not Petition.objects.filter(events__isnull=True).exists()
    assert PetitionEvent.objects.filter(action="assign").exists()
    assert audit_verify().ok


def test_every_disposal_method_outcome_kind_and_move_appears(demo):
    methods = set(Clue.objects.values_list("disposal_method", flat=True))
    assert set(DisposalMethod.values) <= methods
    assert set(Outcome.objects.values_list("kind", flat=True)) == set(OutcomeKind.values)
    actions = set(ClueEvent.objects.values_list("action", flat=True))
    assert {
        ClueAction.DISPOSE,
        ClueAction.CHANGE_DISPOSAL,
        ClueAction.CLOSE,
        ClueAction.ESCALATE,
        ClueAction.DIRECT_HANDLE,
    } <= actions
    # 直查直办 by counties (a county board indicator) and by the city.
    direct = ClueEvent.objects.filter(action=ClueAction.DIRECT_HANDLE)
    assert direct.filter(to_org__kind=OrgKind.COUNTY).exists()
    assert direct.filter(to_org__kind=OrgKind.COMMISSION).exists()


def test_petitions_include_repeats_real_names_transfers(demo):
    assert Petition.objects.filter(repeat_of__isnull=False).count() >= 50
    real = Petition.objects.filter(is_real_name=True)
    assert real.count() >= 300
    assert not real.filter(reporter__isnull=True).exists()
    statuses = set(Petition.objects.values_list("status", flat=True))
    assert {"converted", "filed", "transferred"} <= statuses


def test_a_handful_of_clues_are_overdue_and_the_last_weeks_in_hand(demo):
    today = demo.last_day + dt.timedelta(days=1)
    open_clues = Clue.objects.open()
    overdue = open_clues.filter(due_date__lt=today)
    assert 5 <= overdue.count() <= Clue.objects.count() // 100
    assert not open_clues.filter(due_date__isnull=True).exists()
    # The last weeks' clues are open and within their time limits (and a few older
    # ones 暂存待查 or 立案审查, whose time limits are a year and half a year).
    in_hand = open_clues.filter(due_date__gte=today)
    assert in_hand.count() > overdue.count()
    old = in_hand.filter(received_date__lt=today - dt.timedelta(days=120))
    long_limits = [DisposalMethod.SHELVED, DisposalMethod.CASE_FILED]
    assert not old.exclude(disposal_method__in=long_limits).exists()
    assert open_clues.filter(status=ClueStatus.RECEIVED).exists()
    assert open_clues.filter(status=ClueStatus.DISPOSING).exists()


def test_weak_units_trail_every_month(demo):
    """富民县 (a 脱贫摘帽县) is weak: it receives the fewest 扶贫 clues of the nine in at
    least two consecutive months, so the 多色榜 warns it."""
    counties = Org.objects.filter(labels__name=POVERTY_LABEL)
    monthly: dict[int, Counter] = {}
    for month in range(1, 10):
        start = dt.date(2020, month, 1)
        end = (start + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)
        counts = STATISTICS["clues_received"].counts_by_org(
            start=start, end=end, domain="poverty", org_ids=[c.pk for c in counties]
        )
        monthly[month] = Counter({c.name: counts.get(c.pk, 0) for c in counties})
    fumin = "富民县纪委监委"
    last = [min(m.values()) == m[fumin] for m in monthly.values()]
    assert any(a and b for a, b in itertools.pairwise(last))
    totals = sum(monthly.values(), Counter())
    assert totals[fumin] == min(totals.values())


def test_boards_closed_under_default_settings_warn_a_handful_a_year(demo):
    """Seed 000: two months last running → 工作预警通知书, last of a quarter → 约谈, the
    bottom ten of 1—7月 → 集体诫勉谈话. Most units of the 38 派驻机构/监督检查室 tie at
    the bottom every month: by default such a tie singles nobody out, so the year brings a
    handful of notices, not one for every unit tied at zero."""
    from jiandu.boards import ranking
    from jiandu.boards.demo import build_board_demo
    from jiandu.boards.models import BoardSnapshot, BoardWarning

    build_board_demo(actor=User.objects.get(username="city"), year=2020)
    kinds = Counter(BoardWarning.objects.values_list("kind", flat=True))
    assert 1 <= kinds["consecutive_last"] <= 8
    assert 1 <= kinds["quarter_last"] <= 8  # at most one per board and quarter
    # Seed: the bottom 10 of 1—7月 → 诫勉谈话. The built-in board compares nothing when
    # units tie (no tie-breakers by default), and 19 of its 38 units share 10 points
    # across the 10th place from the bottom: the list stops above that tie, at the 8
    # units below it, and says why (with tie-breakers set, they would decide the cut).
    bottom = BoardSnapshot.objects.get(board__key="poverty-stationed", month="2020-07").data[
        "bottom"
    ]
    assert kinds["cumulative_bottom"] == len(bottom["units"]) == 8
    assert (bottom["k"], bottom["tied"], bottom["composite"]) == (10, 19, 10)
    note = ranking.BottomList.from_dict(bottom).note("2020年1—7月")
    assert note.startswith("2020年1—7月后10名：倒数第10名处有19个单位综合得分同为10分")
    assert note.endswith("均不列入，名单列8个单位")
    by_unit = Counter(BoardWarning.objects.values_list("org__name", flat=True))
    assert "富民县纪委监委" in by_unit
    # Every notice states the place truthfully: last of all the participants.
    for warning in BoardWarning.objects.filter(kind="consecutive_last"):
        for evidence in warning.finding["evidence"]:
            assert evidence["place"] == evidence["participants"]
    # The months nobody was singled out say why.
    tied = [
        s.figures["last"]
        for s in BoardSnapshot.objects.filter(board__key="poverty-stationed")
        if not s.figures["last"]["units"]
    ]
    assert tied and all(t["remaining"] > 1 for t in tied)


def test_integrity_opinions_match_seed_001_scaled(demo):
    """Seed 001 (张家界, 2019): 63批次1128人、239家单位，31人、15家单位不同意见; the demo
    gives the calibrated year one fifth of each, every batch issued with a 文号."""
    from jiandu.accounts.models import User
    from jiandu.demo.dossiers import scaled
    from jiandu.dossiers.models import DossierItem, OpinionBatch
    from jiandu.dossiers.selectors import batch_statistics

    row = next(r for r in batch_statistics(user=User.objects.get(username="stats"))
               if r["year"] == 2020)  # fmt: skip
    target = scaled(1.0)
    assert target == {"batches": 13, "people": 226, "units": 48, "people_objections": 6,
                      "unit_objections": 3}  # fmt: skip
    assert {k: row[k] for k in target} == target
    assert not OpinionBatch.objects.filter(document__isnull=True).exists()
    assert DossierItem.objects.filter(source_body="市委组织部", source_row__isnull=False).exists()


# --- 政治生态指数 (seed 004) -------------------------------------------------------------


def test_ecoindex_year_of_closes_with_the_seeds_regreen_stories(demo):
    from jiandu.ecoindex.models import EcoWarning, IndexScore, IndexSnapshot

    months = list(IndexSnapshot.objects.order_by("month").values_list("month", flat=True))
    assert months == [f"2020-{m:02d}" for m in range(5, 13)] + [
        f"2021-{m:02d}" for m in range(1, 5)
    ]
    last = IndexSnapshot.objects.get(month="2021-04")
    colours = last.data["colours"]
    assert colours["green"] > 0.9 * last.data["units"] and colours["yellow"] > 0
    regreened = Counter(w.colour for w in EcoWarning.objects.filter(status="regreened"))
    assert regreened["orange"] == 9 and regreened["red"] == 2  # seed 004's 9 橙 and 2 红
    still_red = EcoWarning.objects.filter(status="open", colour="red", month="2021-04")
    assert still_red.count() == 1 and still_red.get().problem is not None
    story = EcoWarning.objects.filter(status="regreened", colour="orange").first()
    assert (
        story.proving_months
        and IndexScore.objects.get(snapshot__month=story.regreened_month, org=story.org).regreened
    )


# --- 三降三升 (seed 004) ----------------------------------------------------------------

SEED_004_MOVEMENTS = {
    "petitions_received": Decimal("-45.4"),
    "petitions_first": Decimal("-46.7"),
    "petitions_repeat": Decimal("-30.2"),
    "first_closed_rate": Decimal("12.3"),
    "real_name_satisfaction_rate": Decimal("12.9"),
    "backlog_rate": Decimal("23.6"),
}


def test_city_statistics_show_seed_004s_three_falls_and_three_rises(demo):
    """The city's statistics page, this year up to the demo's today against the same
    days a year earlier: each 三降三升 movement within 2 percent (counts) or 2 points
    (rates) of seed 004's."""
    from jiandu.statcentre import selectors
    from jiandu.statcentre.periods import parse_period

    today = demo.last_day + dt.timedelta(days=1)
    stats = User.objects.get(username="stats")
    city = selectors.default_org(stats)
    assert city is not None and city.parent_id is None
    page = selectors.statistics_page(
        user=stats, org=city, period=parse_period(str(today.year)), today=today
    )
    # As many days a year earlier: 1 January to 30 April 2020 (a leap year).
    assert (page.last_year.start, page.last_year.end) == (dt.date(2020, 1, 1), dt.date(2020, 4, 30))
    rows = {row.key: row for _group, group_rows in page.groups for row in group_rows}
    for key, seed in SEED_004_MOVEMENTS.items():
        row = rows[key]
        assert row.last_year, key  # a previous year to compare with
        assert row.yoy is not None and abs(row.yoy - seed) <= 2, (key, row.yoy, seed)
