"""The demo's cadre registry: a few thousand 党员干部 with valid ID numbers and posts.

Who is registered, per org of the demo tree:

- 市直单位: the head and two deputies (市管干部), three 科室 heads (科级), two staff;
  市属国有企业: 董事长, 总经理 (市管干部), a deputy, two 部门经理 (科级);
- each county's 区(县、市)委 and 人民政府: the secretary / head and two deputies (市管干部);
- 县直单位: 局长 and 副局长 (县管干部), a 股长 and a member of staff (一般干部);
- 乡镇(街道): 党(工)委书记, 乡镇长 / 街道办事处主任, 纪(工)委书记, a deputy (县管干部) and
  two 站所 heads (科级);
- 村(社区): 党总支书记, 村(居)委会主任, 村(居)务监督委员会主任 and a deputy (村(社区)干部).

ID numbers are built with :func:`jiandu.core.idnumbers.make` from the county's region
code (city staff: a Kunming district or another Yunnan prefecture), a birth date that
fits the post, and a sequence whose parity gives the gender. About one cadre in five
also has an earlier, ended post.

Cadres and posts are written with ``bulk_create`` — tens of thousands of single audited
inserts would make the demo slow for no gain — and each batch is recorded by ONE
summarising audit row (action ``import``, with the batch's size and id range), the way a
bulk import of a department's register is recorded.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field
from typing import Any

from jiandu.core import idnumbers
from jiandu.demo.orgs import OrgPlan
from jiandu.demo.texts import person_name
from jiandu.orgs.choices import OrgKind
from jiandu.people.choices import ManagementLevel, PoliticalStatus

BATCH_SIZE = 500

# Where city staff were born (their ID numbers' region codes).
CITY_BIRTH_REGIONS = (
    ("530102", 14), ("530103", 12), ("530111", 10), ("530112", 10), ("530114", 4),
    ("530181", 4), ("530302", 6), ("530402", 5), ("532301", 5), ("530502", 3),
    ("532501", 3), ("530602", 2),
)  # fmt: skip
BIRTH_YEARS: dict[str, tuple[int, int]] = {
    ManagementLevel.CITY_MANAGED: (1962, 1976),
    ManagementLevel.COUNTY_MANAGED: (1966, 1986),
    ManagementLevel.SECTION: (1970, 1990),
    ManagementLevel.GENERAL: (1980, 1997),
    ManagementLevel.VILLAGE: (1958, 1990),
}
MALE_SHARE: dict[str, float] = {
    ManagementLevel.CITY_MANAGED: 0.82,
    ManagementLevel.COUNTY_MANAGED: 0.75,
    ManagementLevel.SECTION: 0.62,
    ManagementLevel.GENERAL: 0.5,
    ManagementLevel.VILLAGE: 0.76,
}

SECTIONS = ("办公室", "计划财务科", "政策法规科", "人事科", "项目管理科", "行政审批科")
STATIONS = ("民政所所长", "财政所所长", "农业农村服务中心主任", "社会保障服务中心主任")


@dataclass
class PostSpec:
    org: str
    title: str
    level: str
    is_leader: bool
    start: dt.date
    end: dt.date | None = None


@dataclass
class CadreSpec:
    """One cadre, by index; ``org`` is the org of the current post."""

    index: int
    name: str
    gender: str
    birth_date: dt.date
    id_number: str
    political_status: str
    org: str
    title: str
    level: str
    is_leader: bool
    posts: list[PostSpec] = field(default_factory=list)


def _head_title(name: str) -> str:
    """The title of a 市直单位's head, from how the unit is named."""
    for suffix, title in (
        ("公司", "董事长"), ("医院", "院长"), ("学院", "院长"), ("党校", "常务副校长"),
        ("工委", "书记"), ("共青团昆明市委", "书记"), ("联合会", "主席"), ("协会", "主席"),
        ("红十字会", "常务副会长"), ("合作社", "理事会主任"), ("部", "部长"), ("局", "局长"),
        ("馆", "馆长"), ("办公厅", "主任"), ("委员会", "主任"), ("中心", "主任"),
        ("办公室", "主任"), ("研究室", "主任"), ("政法委员会", "书记"),
    ):  # fmt: skip
        if name.endswith(suffix):
            return title
    return "主任"


def _roles_for(plan: OrgPlan, key: str, rng: random.Random) -> list[tuple[str, str, bool]]:
    """(title, management level, is_leader) of the cadres registered in one org."""
    spec = plan.spec(key)
    city, county, section, general, village = (
        ManagementLevel.CITY_MANAGED,
        ManagementLevel.COUNTY_MANAGED,
        ManagementLevel.SECTION,
        ManagementLevel.GENERAL,
        ManagementLevel.VILLAGE,
    )
    if spec.kind == OrgKind.STATE_ENTERPRISE:
        return [
            ("董事长", city, True),
            ("总经理", city, False),
            ("副总经理", county, False),
            ("综合管理部经理", section, False),
            ("工程管理部经理", section, False),
        ]
    if spec.kind == OrgKind.CITY_UNIT:
        head = _head_title(spec.name)
        deputy = head if head.startswith("常务副") else "副" + head
        sections = rng.sample(SECTIONS, 3)
        return [
            (head, city, True),
            (deputy.replace("常务副", "副"), city, False),
            (deputy.replace("常务副", "副"), city, False),
            *[(f"{s}主任" if s == "办公室" else f"{s}科长", section, False) for s in sections],
            ("一级科员", general, False),
            ("四级主任科员", general, False),
        ]
    if key.startswith("party:"):
        return [("书记", city, True), ("副书记", city, False), ("副书记", city, False)]
    if key.startswith("gov:"):
        chief = {"区": "区长", "市": "市长"}.get(spec.name.removesuffix("人民政府")[-1], "县长")
        return [(chief, city, True), (f"副{chief}", city, False), (f"副{chief}", city, False)]
    if spec.kind == OrgKind.COUNTY_UNIT:
        return [
            ("局长", county, True),
            ("副局长", county, False),
            ("股长", general, False),
            ("工作人员", general, False),
        ]
    if spec.kind == OrgKind.TOWNSHIP:
        street = spec.name.endswith("街道")
        chief = "街道办事处主任" if street else ("乡长" if spec.name.endswith("乡") else "镇长")
        deputy = "街道办事处副主任" if street else f"副{chief}"
        work = "工" if street else ""
        return [
            (f"党{work}委书记", county, True),
            (chief, county, False),
            (f"纪{work}委书记", county, False),
            (deputy, county, False),
            *[(s, section, False) for s in rng.sample(STATIONS, 2)],
        ]
    if spec.kind == OrgKind.VILLAGE:
        community = spec.name.endswith("社区居委会")
        committee = "居委会" if community else "村委会"
        watch = "居务" if community else "村务"
        return [
            ("党总支书记", village, True),
            (f"{committee}主任", village, False),
            (f"{watch}监督委员会主任", village, False),
            (f"{committee}副主任", village, False),
        ]
    return []


def _county_code(plan: OrgPlan, key: str) -> str | None:
    spec = plan.spec(key)
    while spec.parent is not None and spec.kind != OrgKind.COUNTY:
        spec = plan.spec(spec.parent)
    return spec.region_code if spec.kind == OrgKind.COUNTY else None


def _birth_date(rng: random.Random, level: str) -> dt.date:
    low, high = BIRTH_YEARS[level]
    start = dt.date(low, 1, 1)
    span = (dt.date(high, 12, 31) - start).days
    return start + dt.timedelta(days=rng.randrange(span))


def cadre_specs(seed: int, plan: OrgPlan) -> list[CadreSpec]:
    """Every cadre of the demo, in a fixed order (pure: no database)."""
    rng = random.Random(f"{seed}:people")
    used: set[str] = set()
    cadres: list[CadreSpec] = []
    region_values = [r for r, _ in CITY_BIRTH_REGIONS]
    region_weights = [w for _, w in CITY_BIRTH_REGIONS]
    for spec in plan.specs:
        for title, level, is_leader in _roles_for(plan, spec.key, rng):
            gender = "男" if rng.random() < MALE_SHARE[level] else "女"
            birth = _birth_date(rng, level)
            county = _county_code(plan, spec.key)
            region = county or rng.choices(region_values, weights=region_weights, k=1)[0]
            while True:
                sequence = rng.randrange(0, 500) * 2 + (1 if gender == "男" else 0)
                number = idnumbers.make(region, birth, sequence)
                if number not in used:
                    used.add(number)
                    break
            status = PoliticalStatus.PARTY_MEMBER
            if level in (ManagementLevel.GENERAL, ManagementLevel.VILLAGE) and not is_leader:
                status = rng.choices(
                    [PoliticalStatus.PARTY_MEMBER, PoliticalStatus.NON_PARTY,
                     PoliticalStatus.PROBATIONARY],
                    weights=[70, 25, 5],
                )[0]  # fmt: skip
            elif (
                title.startswith("副")
                and level == ManagementLevel.CITY_MANAGED
                and rng.random() < 0.12
            ):
                status = PoliticalStatus.OTHER_PARTY
            start = dt.date(rng.randint(2012, 2019), rng.randint(1, 12), rng.randint(1, 28))
            cadre = CadreSpec(
                index=len(cadres),
                name=person_name(rng, gender),
                gender=gender,
                birth_date=birth,
                id_number=number,
                political_status=status,
                org=spec.key,
                title=title,
                level=level,
                is_leader=is_leader,
            )
            if rng.random() < 0.2 and start.year > 2012:
                siblings = [
                    k
                    for k in plan.children.get(spec.parent or "", [])
                    if plan.spec(k).kind == spec.kind and k != spec.key
                ]
                earlier_org = rng.choice(siblings) if siblings else spec.key
                earlier_start = start.replace(year=start.year - rng.randint(3, 6))
                cadre.posts.append(
                    PostSpec(
                        earlier_org,
                        _earlier_title(title, is_leader),
                        level,
                        False,
                        earlier_start,
                        start - dt.timedelta(days=1),
                    )
                )
            cadre.posts.append(PostSpec(spec.key, title, level, is_leader, start))
            cadres.append(cadre)
    return cadres


def _earlier_title(title: str, is_leader: bool) -> str:
    """The post held before: a deputy's for heads, the same post for the others."""
    if not is_leader:
        return title
    if title.endswith("书记"):
        return title.removesuffix("书记") + "副书记"
    return "副" + title


def create_people(*, actor: Any, orgs: dict[str, Any], cadres: list[CadreSpec]) -> list[Any]:
    """Bulk-write the cadres and their posts; one audit row per batch. Returns the
    Person rows in the order of ``cadres``."""
    from jiandu.core.audit import audit_record
    from jiandu.core.choices import AuditAction
    from jiandu.core.crypto import search_key
    from jiandu.people.models import Person, Post

    people: list[Any] = []
    for start in range(0, len(cadres), BATCH_SIZE):
        batch = cadres[start : start + BATCH_SIZE]
        rows = Person.objects.bulk_create(
            [
                Person(
                    name=c.name,
                    id_number=c.id_number,
                    id_search_key=search_key(c.id_number),
                    id_masked=idnumbers.mask(c.id_number),
                    gender=c.gender,
                    birth_date=c.birth_date,
                    political_status=c.political_status,
                    registered_org=orgs[c.org],
                )
                for c in batch
            ]
        )
        posts = Post.objects.bulk_create(
            [
                Post(
                    person=row,
                    org=orgs[p.org],
                    title=p.title,
                    management_level=p.level,
                    is_leader=p.is_leader,
                    start_date=p.start,
                    end_date=p.end,
                    created_by=actor,
                )
                for row, cadre in zip(rows, batch, strict=True)
                for p in cadre.posts
            ]
        )
        audit_record(
            actor=actor,
            action=AuditAction.IMPORT,
            object_type="people.person",
            summary=f"批量登记党员干部{len(rows)}人、任职{len(posts)}条（演示数据）",
            changes={
                "people": len(rows),
                "posts": len(posts),
                "first_id": rows[0].pk,
                "last_id": rows[-1].pk,
            },
        )
        people.extend(rows)
    return people
