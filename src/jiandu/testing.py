"""Test helpers: a small org tree and the personas every scoping test uses.

- ``city``: 市纪委监委 officer (the whole city), with 线索管理 and 案件审理.
- ``county``: 五华区纪委监委 officer (her county only).
- ``group``: 派驻第一纪检监察组 officer (the group and the units it supervises).
- ``outsider``: an officer of another county (sees none of the above).
- ``petition_officer``: 信访室 officer allowed to see reporter identities.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from html.parser import HTMLParser
from typing import Any

from django.contrib.auth.models import Group, Permission

from jiandu.accounts.models import User
from jiandu.accounts.roles import ROLE_PERMISSIONS
from jiandu.clues.models import DomainTag
from jiandu.orgs.choices import OrgKind
from jiandu.orgs.models import Org
from jiandu.orgs.services import org_create, org_set_supervised

TEST_PASSWORD = "Jiandu-Test-2020!"


def role_group(name: str) -> Group:
    """The permission group of a role, created from ``ROLE_PERMISSIONS``."""
    group, _ = Group.objects.get_or_create(name=name)
    # One query for the role's permissions (a role lists dozens; a query each made the
    # standard worlds take seconds, and most tests build one).
    wanted = {tuple(dotted.split(".", 1)) for dotted in ROLE_PERMISSIONS[name]}
    perms = [
        perm
        for perm in Permission.objects.filter(
            codename__in={codename for _app, codename in wanted}
        ).select_related("content_type")
        if (perm.content_type.app_label, perm.codename) in wanted
    ]
    group.permissions.set(perms)
    return group


def make_user(username: str, org: Org | None, *roles: str, **extra: Any) -> User:
    user = User.objects.create_user(
        username=username, password=TEST_PASSWORD, org=org, full_name=extra.pop("full_name", "")
    )
    for role in roles:
        user.groups.add(role_group(role))
    return user


@dataclass
class World:
    city: Org
    petition_room: Org
    room1: Org
    group1: Org
    unit_a: Org
    unit_b: Org
    county: Org
    township: Org
    other_county: Org
    users: dict[str, User]
    poverty: DomainTag


def build_world() -> World:
    """The standard small world for tests (Alice/Bob/Charlie style personas)."""
    from jiandu.core.reference import ensure_reference_data

    ensure_reference_data()  # a transactional test before this one flushed it
    system = User.objects.create_user(username="system-setup", password=None)
    city = org_create(
        actor=system, name="昆明市纪委监委", kind=OrgKind.COMMISSION, region_code="530100"
    )
    petition_room = org_create(actor=system, name="信访室", kind=OrgKind.PETITION_ROOM, parent=city)
    room1 = org_create(
        actor=system, name="第一监督检查室", kind=OrgKind.SUPERVISION_ROOM, parent=city
    )
    group1 = org_create(
        actor=system, name="派驻第一纪检监察组", kind=OrgKind.STATIONED_GROUP, parent=city
    )
    unit_a = org_create(actor=system, name="市财政局", kind=OrgKind.CITY_UNIT, parent=city)
    unit_b = org_create(actor=system, name="市民政局", kind=OrgKind.CITY_UNIT, parent=city)
    county = org_create(
        actor=system, name="五华区纪委监委", kind=OrgKind.COUNTY, parent=city, region_code="530102"
    )
    township = org_create(
        actor=system, name="红云街道", kind=OrgKind.TOWNSHIP, parent=county, region_code="530102001"
    )
    other_county = org_create(
        actor=system, name="盘龙区纪委监委", kind=OrgKind.COUNTY, parent=city, region_code="530103"
    )
    org_set_supervised(actor=system, org=group1, supervised=[unit_a, unit_b])
    org_set_supervised(actor=system, org=room1, supervised=[county])
    from jiandu.accounts import roles as r

    users = {
        "city": make_user(
            "city", city, r.ROLE_CLUES, r.ROLE_TRIAL, r.ROLE_PETITION, r.ROLE_STATISTICS
        ),
        "county": make_user("county", county, r.ROLE_CLUES, r.ROLE_TRIAL, r.ROLE_PETITION),
        "group": make_user("group", group1, r.ROLE_CLUES, r.ROLE_TRIAL),
        "room": make_user("room", room1, r.ROLE_CLUES),
        "outsider": make_user(
            "outsider", other_county, r.ROLE_CLUES, r.ROLE_TRIAL, r.ROLE_PETITION
        ),
        "petition_officer": make_user(
            "petition_officer", petition_room, r.ROLE_PETITION, r.ROLE_IDENTITY
        ),
        "leader": make_user("leader", city, r.ROLE_LEADER),
        "auditor": make_user("auditor", city, r.ROLE_AUDIT_ADMIN),
        "sysadmin": make_user("sysadmin", city, r.ROLE_SYSTEM_ADMIN),
    }
    poverty, _ = DomainTag.objects.get_or_create(code="poverty", defaults={"name": "扶贫"})
    return World(
        city=city,
        petition_room=petition_room,
        room1=room1,
        group1=group1,
        unit_a=unit_a,
        unit_b=unit_b,
        county=county,
        township=township,
        other_county=other_county,
        users=users,
        poverty=poverty,
    )


DAY = dt.date(2020, 3, 2)


@dataclass
class RoleWorld:
    """The standard world plus the commission's other offices and one account per row
    of the role–job matrix (docs/roles.md), named and given roles exactly as the demo's
    printed accounts (``demo.accounts.account_specs``)."""

    world: World
    conduct_room: Org
    case_management_room: Org
    trial_room: Org
    dongchuan: Org
    accounts: dict[str, User]


def build_role_world(world: World | None = None) -> RoleWorld:
    """Add 党风政风监督室, 案件监督管理室 and 案件审理室 under the city (acting for it, as
    ``org_create`` marks offices), 东川区纪委监委 (unless the world has it already) and
    the demo's listed accounts, password :data:`TEST_PASSWORD`."""
    from jiandu.demo.accounts import account_specs

    world = world or build_world()
    system = User.objects.get(username="system-setup")
    conduct = org_create(
        actor=system, name="党风政风监督室", kind=OrgKind.CONDUCT_ROOM, parent=world.city
    )
    case_management = org_create(
        actor=system, name="案件监督管理室", kind=OrgKind.CASE_MANAGEMENT_ROOM, parent=world.city
    )
    trial = org_create(actor=system, name="案件审理室", kind=OrgKind.TRIAL_ROOM, parent=world.city)
    # 市委巡察办 (the ``xuncha`` account): an office acting for the commission.
    inspection = org_create(
        actor=system, name="市委巡察办", kind=OrgKind.INSPECTION_OFFICE, parent=world.city
    )
    dongchuan = Org.objects.filter(kind=OrgKind.COUNTY, region_code="530113").first()
    if dongchuan is None:
        dongchuan = org_create(
            actor=system,
            name="东川区纪委监委",
            kind=OrgKind.COUNTY,
            parent=world.city,
            region_code="530113",
        )
    orgs = {
        "city": world.city,
        "conduct": conduct,
        "petition": world.petition_room,
        "case_management": case_management,
        "room:1": world.room1,
        "trial": trial,
        "group:1": world.group1,
        "county:530102": world.county,
        "county:530113": dongchuan,
        # The demo's 市委办公室 (整改落实): a city unit that 派驻第一组 supervises.
        "unit:市委办公室": world.unit_a,
        "inspection": inspection,
    }
    accounts: dict[str, User] = {}
    for spec in account_specs(counties=[], rooms=[], groups=[]):
        if not spec.listed:
            continue
        user = User.objects.filter(username=spec.username).first()
        if user is None:
            user = make_user(
                spec.username, orgs[spec.org], *spec.roles, full_name=f"{spec.title}（测试）"
            )
        else:  # the standard world's leader / administrators: same unit, same roles
            assert user.org_id == orgs[spec.org].pk, spec.username
            user.groups.add(*(role_group(role) for role in spec.roles))
        accounts[spec.username] = user
    return RoleWorld(
        world=world,
        conduct_room=conduct,
        case_management_room=case_management,
        trial_room=trial,
        dongchuan=dongchuan,
        accounts=accounts,
    )


# --- "names, not codes": code-like text a person would read on a page ----------------

_CODE_LIKE = [
    re.compile(r"\b[A-Za-z][A-Za-z0-9]*(?:_[A-Za-z0-9]+)+\b"),  # snake_case, SNAKE_CASE
    re.compile(r"\b(?:True|False|None|null|true|false)\b"),  # Python / JSON literals
    re.compile(r"\[\s*(?:['\"]|\d|\]|True|False|None)"),  # list literals: ['低保', …], [1, …], []
]
_SKIPPED_TAGS = {"script", "style", "template", "code", "pre", "textarea"}


def code_like_text(html: str) -> list[str]:
    """The pieces of ``html``'s visible text that look like code (``snake_case``,
    ``True``/``False``/``None``, Python list literals): empty for a page a person can read.
    Only text nodes count (not attributes), outside script/style/code/pre/textarea."""

    class _Text(HTMLParser):
        def __init__(self) -> None:
            super().__init__(convert_charrefs=True)
            self.skipping: list[str] = []
            self.found: list[str] = []

        def handle_starttag(self, tag: str, attrs: Any) -> None:
            if tag in _SKIPPED_TAGS:
                self.skipping.append(tag)

        def handle_endtag(self, tag: str) -> None:
            if self.skipping and self.skipping[-1] == tag:
                self.skipping.pop()

        def handle_data(self, data: str) -> None:
            if self.skipping:
                return
            for pattern in _CODE_LIKE:
                self.found += [m.group(0) for m in pattern.finditer(data)]

    parser = _Text()
    parser.feed(html)
    return parser.found


# --------------------------------------------------------------------------- a shared demo

# The small demo several test modules read (built once per test process, see conftest's
# ``small_demo``): a twentieth of the full scale, "today" fixed.
SMALL_DEMO_SCALE = 0.05
SMALL_DEMO_TODAY = dt.date(2026, 12, 3)


@dataclass
class TableSnapshot:
    """Every row of every table of the project's models, as the database stores it, to
    put back later inside another transaction (:meth:`restore`): building a demo takes
    tens of seconds, putting its rows back a second or two."""

    tables: list[tuple[str, list[str], Any]]

    @classmethod
    def take(cls) -> TableSnapshot:
        from django.db import connection

        names = sorted(connection.introspection.django_table_names(only_existing=True))
        quote = connection.ops.quote_name
        tables = []
        with connection.cursor() as cursor:
            raw = cursor.cursor  # the driver's cursor: values as stored, no conversions
            for name in names:
                if connection.vendor == "postgresql":
                    with raw.copy(f"COPY {quote(name)} TO STDOUT") as copy:
                        rows: Any = b"".join(bytes(block) for block in copy)
                    columns: list[str] = []
                else:
                    rows, columns = _sqlite_raw_rows(raw, f"SELECT * FROM {quote(name)}")
                tables.append((name, columns, rows))
        return cls(tables)

    def restore(self) -> None:
        """Replace the content of every table with the snapshot's (the caller's
        transaction decides whether it stays). Foreign keys are checked at commit, so
        the order of the tables does not matter. The id sequences are left alone: they
        only move forward (PostgreSQL does not roll them back), so they are still past
        the ids the build moved them past — and a build that forgot to move them is
        still caught (``test_records_added_after_the_demo_get_fresh_ids``)."""
        from django.db import connection, transaction

        quote = connection.ops.quote_name
        # One transaction (a savepoint inside the caller's), so that the foreign keys
        # are checked once every table is back.
        with transaction.atomic(), connection.cursor() as cursor:
            raw = cursor.cursor
            for name, _columns, _rows in self.tables:
                raw.execute(f"DELETE FROM {quote(name)}")
            for name, columns, rows in self.tables:
                if connection.vendor == "postgresql":
                    if rows:
                        with raw.copy(f"COPY {quote(name)} FROM STDIN") as copy:
                            copy.write(rows)
                elif rows:
                    marks = ", ".join("?" * len(columns))
                    names = ", ".join(quote(c) for c in columns)
                    raw.executemany(f"INSERT INTO {quote(name)} ({names}) VALUES ({marks})", rows)


def _sqlite_raw_rows(cursor: Any, sql: str) -> tuple[list[tuple], list[str]]:
    """Rows as SQLite stores them. Django registers converters by declared column type
    (datetime, date, decimal, bool); reading without them gives back exactly what an
    insert of the same values stores."""
    import sqlite3

    saved = dict(sqlite3.converters)
    sqlite3.converters.clear()
    try:
        cursor.execute(sql)
        rows = cursor.fetchall()
    finally:
        sqlite3.converters.update(saved)
    return rows, [d[0] for d in cursor.description]


@dataclass
class SharedDemo:
    summary: Any
    snapshot: TableSnapshot
    data_dir: Any = None  # the comparison store's files (JIANDU_DATA_DIR of the build)


def build_shared_demo(*, media_root: Any) -> SharedDemo:
    """Build the small demo (files under ``media_root``, passwords hashed as the tests
    hash them, the audit chain sealed as the commits would have), take its snapshot and
    roll it back: the database is left as it was."""
    from pathlib import Path

    from django.db import transaction
    from django.test import override_settings

    from jiandu.core.audit import audit_seal
    from jiandu.demo.build import build_demo

    hashers = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    data_dir = Path(media_root) / "jiandu-data"
    with (
        override_settings(
            MEDIA_ROOT=media_root,
            PASSWORD_HASHERS=hashers,
            JIANDU_DATA_DIR=data_dir,
        ),
        transaction.atomic(),
    ):
        summary = build_demo(scale=SMALL_DEMO_SCALE, today=SMALL_DEMO_TODAY)
        audit_seal()
        snapshot = TableSnapshot.take()
        transaction.set_rollback(True)
    return SharedDemo(summary=summary, snapshot=snapshot, data_dir=data_dir)


# --- 呈批 (approvals): signing a request through its route as the real signers ----------


def approval_signer(org: Org, role: str) -> User:
    """The test 室主任 of ``org`` (role 呈批审核) or 分管领导 of its commission (呈批审批),
    created on first use."""
    from jiandu.accounts import roles as r
    from jiandu.approvals.choices import SignerRole
    from jiandu.approvals.services import commission_of

    if role == SignerRole.OFFICE_HEAD:
        name, where, group = f"head-{org.pk}", org, r.ROLE_APPROVAL_REVIEW
    else:
        where = commission_of(org)
        name, group = f"approver-{where.pk}", r.ROLE_APPROVAL_APPROVE
    user = User.objects.filter(username=name).first()
    return user or make_user(
        name, where, group, full_name=f"{where.name}{SignerRole(role).label}人"
    )


def approve_request(request: Any) -> Any:
    """Sign every remaining step of a 呈批件 with 同意, each by its real signer (the
    decision takes effect at the last one); returns the request."""
    from jiandu.approvals.services import current_step, request_sign

    while (step := current_step(request)) is not None:
        signer = approval_signer(request.org, step.signer_role)
        request = request_sign(actor=signer, request=request, approve=True, opinion="同意")
    return request
