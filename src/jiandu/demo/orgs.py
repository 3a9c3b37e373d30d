"""The demo's organisation tree: a synthetic 昆明市 as its commission sees it.

- 昆明市纪委监委 (region 530100) with its rooms: 第一…第八监督检查室, 党风政风监督室,
  信访室, 案件审理室, 市委巡察办, 案件监督管理室 (the offices among them act for the
  commission: ``orgs.services.org_create`` marks them); the 派驻第一…第三十纪检监察组;
  81 市直单位 and 市属国有企业.
- The 14 county commissions ("<name>纪委监委", names and codes from the shipped
  ``geo/kunming.geojson``), each with its 区(县、市)委 and 人民政府, eight 县直单位 and its
  乡镇(街道) (9-digit codes under the county code); the three former national poverty
  counties (东川区, 禄劝县, 寻甸县) also have 村(社区) (12-digit codes).
- Supervision: each 派驻组 supervises 2–4 市直单位; 第一至第七监督检查室 two counties
  each, 第八监督检查室 the 市属国有企业. 党风政风监督室 supervises every room, group and
  county, because it compiles their monthly statistics and the 多色榜 (so a user of that
  room sees the whole board); 案件审理室 supervises the rooms and groups whose cases it
  reviews.
- Labels: ``脱贫摘帽县`` on the nine counties with 脱贫攻坚 tasks named by seed 000 (东川区,
  禄劝县, 寻甸县, 宜良县, 石林县, 嵩明县, 富民县, 晋宁区, 安宁市); ``牵头单位纪检组`` on the
  groups supervising 市农业农村局 and 市乡村振兴局, the lead units of the 驻市脱贫攻坚巩固
  提升工作分指挥部.

:func:`org_specs` is pure (keys, not database ids), so the case plan can be drawn up
before anything is written; :func:`create_orgs` writes it through ``orgs.services``.
"""

from __future__ import annotations

import json
import random
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from jiandu.orgs.choices import OrgKind

CITY_REGION = "530100"
POVERTY_LABEL = "脱贫摘帽县"
LEAD_GROUP_LABEL = "牵头单位纪检组"

GEOJSON = Path(__file__).resolve().parent.parent / "core/static/jiandu/geo/kunming.geojson"

_DIGITS = "一二三四五六七八九"


def numeral(n: int) -> str:
    """Chinese numeral for 1–99 (一, 十, 十一, 二十, 三十 …)."""
    tens, ones = divmod(n, 10)
    text = "" if tens == 0 else ("十" if tens == 1 else _DIGITS[tens - 1] + "十")
    return text + (_DIGITS[ones - 1] if ones else "")


# The 派驻组 and the 市直单位 each supervises, in order (group 1 first).
GROUP_UNITS: tuple[tuple[str, ...], ...] = (
    ("市委办公室", "市人大常委会办公厅", "市政协办公室"),
    ("市政府办公室", "市机关事务管理局", "市外事办公室"),
    ("市委组织部", "市委机构编制委员会办公室", "市直机关工委"),
    ("市委宣传部", "市融媒体中心", "市文学艺术界联合会"),
    ("市委统战部", "市民族宗教事务委员会", "市工商业联合会"),
    ("市委政法委员会", "市司法局"),
    ("市发展和改革委员会", "市统计局", "市粮食和物资储备局"),
    ("市教育体育局", "昆明学院"),
    ("市科学技术局", "市科学技术协会"),
    ("市工业和信息化局", "市投资促进局"),
    ("市公安局", "市信访局"),
    ("市民政局", "市残疾人联合会", "市红十字会"),
    ("市财政局", "市地方金融监督管理局"),
    ("市人力资源和社会保障局", "市医疗保障局"),
    ("市自然资源和规划局", "市林业和草原局"),
    ("市生态环境局", "市滇池管理局"),
    ("市住房和城乡建设局", "市住房公积金管理中心", "市住房保障服务中心"),
    ("市交通运输局", "市城市管理局"),
    ("市农业农村局", "市供销合作社"),
    ("市乡村振兴局", "市水务局"),
    ("市商务局", "市市场监督管理局"),
    ("市文化和旅游局", "市档案馆"),
    ("市卫生健康委员会", "市第一人民医院", "市延安医院", "市儿童医院"),
    ("市退役军人事务局", "市总工会", "共青团昆明市委", "市妇女联合会"),
    ("市应急管理局", "市政务服务管理局", "市公共资源交易中心"),
    ("市审计局", "市人民政府国有资产监督管理委员会"),
    ("市委党校", "市委政策研究室", "市委党史研究室"),
    ("市人民防空办公室", "市园林绿化局"),
    ("市委网络安全和信息化委员会办公室", "市委老干部局"),
    ("市中医医院", "市第三人民医院", "市精神卫生防治医院"),
)
LEAD_GROUPS = (19, 20)

STATE_ENTERPRISES = (
    "昆明发展投资集团有限公司",
    "昆明市城市建设投资开发有限责任公司",
    "昆明产业开发投资有限责任公司",
    "昆明交通投资有限责任公司",
    "昆明公交集团有限责任公司",
    "昆明轨道交通集团有限公司",
)

# 监督检查室 → the counties (region codes) it supervises; room 8 has the enterprises.
ROOM_COUNTIES: dict[int, tuple[str, ...]] = {
    1: ("530102", "530103"),
    2: ("530111", "530112"),
    3: ("530114", "530122"),
    4: ("530113", "530129"),
    5: ("530128", "530124"),
    6: ("530125", "530126"),
    7: ("530127", "530181"),
    8: (),
}

POVERTY_COUNTIES = (
    "530113",
    "530128",
    "530129",
    "530125",
    "530126",
    "530127",
    "530124",
    "530122",
    "530181",
)
VILLAGE_COUNTIES = ("530113", "530128", "530129")

# What the county is called inside its own units' names (自治县 are called 县).
SHORT_COUNTY = {
    "530126": "石林县",
    "530128": "禄劝县",
    "530129": "寻甸县",
}

COUNTY_UNITS = (
    "发展和改革局",
    "财政局",
    "民政局",
    "人力资源和社会保障局",
    "住房和城乡建设局",
    "农业农村局",
    "乡村振兴局",
    "教育体育局",
)

# 乡镇(街道) of each county, in order (their codes are the county code + 001, 002 …).
_TOWNSHIP_TABLE = """
530102 华山街道 护国街道 大观街道 龙翔街道 丰宁街道 莲华街道 红云街道 黑林铺街道 普吉街道
      西翥街道
530103 拓东街道 鼓楼街道 东华街道 联盟街道 金辰街道 青云街道 龙泉街道 茨坝街道 双龙街道
      松华街道 滇源街道 阿子营街道
530111 关上街道 太和街道 吴井街道 金马街道 小板桥街道 官渡街道 矣六街道 六甲街道 大板桥街道
      阿拉街道
530112 金碧街道 永昌街道 前卫街道 福海街道 棕树营街道 西苑街道 马街街道 碧鸡街道 海口街道
      团结街道
530114 龙城街道 乌龙街道 洛羊街道 雨花街道 吴家营街道 大渔街道 七甸街道 洛龙街道 斗南街道
      马金铺街道
530113 铜都街道 碧谷街道 汤丹镇 因民镇 阿旺镇 乌龙镇 红土地镇 拖布卡镇 舍块乡
530122 昆阳街道 宝峰街道 晋城街道 二街镇 上蒜镇 六街镇 双河彝族乡 夕阳彝族乡
530124 永定街道 大营街道 罗免镇 赤鹫镇 款庄镇 散旦镇 东村镇
530126 鹿阜街道 石林街道 板桥街道 西街口镇 长湖镇 圭山镇 大可乡
530127 嵩阳街道 杨桥街道 杨林镇 小街镇 牛栏江镇
530128 屏山街道 崇德街道 转龙镇 茂山镇 团街镇 中屏镇 撒营盘镇 皎平渡镇 乌东德镇 九龙镇
      翠华镇 汤郎乡 云龙乡 则黑乡 马鹿塘乡 雪山乡
530125 匡远街道 汤池街道 南羊街道 北古城镇 狗街镇 马街镇 竹山乡 耿家营彝族苗族乡
      九乡彝族回族乡
530129 仁德街道 塘子街道 金所街道 羊街镇 柯渡镇 倘甸镇 功山镇 河口镇 七星镇 先锋镇 鸡街镇
      凤合镇 六哨乡 联合乡 甸沙乡 金源乡
530181 连然街道 金方街道 八街街道 县街街道 太平新城街道 草铺街道 禄脿街道 温泉街道 青龙街道
"""


def _parse_townships(table: str) -> dict[str, tuple[str, ...]]:
    out: dict[str, list[str]] = {}
    code = ""
    for token in table.split():
        if token.isdigit():
            code = token
            out[code] = []
        else:
            out[code].append(token)
    return {k: tuple(v) for k, v in out.items()}


TOWNSHIPS = _parse_townships(_TOWNSHIP_TABLE)
VILLAGES_PER_TOWNSHIP = 4


@dataclass(frozen=True)
class OrgSpec:
    """One org to create. ``key`` is stable across runs (no database ids)."""

    key: str
    name: str
    kind: str
    parent: str | None
    short_name: str = ""
    region_code: str = ""
    labels: tuple[str, ...] = ()
    sort_order: int = 0


@dataclass
class OrgPlan:
    """The whole tree, in creation order (parents first), with supervision and the
    handful of lookups the case plan needs."""

    specs: list[OrgSpec] = field(default_factory=list)
    supervises: dict[str, list[str]] = field(default_factory=dict)
    counties: list[str] = field(default_factory=list)  # county commission keys
    rooms: list[str] = field(default_factory=list)
    groups: list[str] = field(default_factory=list)
    children: dict[str, list[str]] = field(default_factory=dict)
    by_key: dict[str, OrgSpec] = field(default_factory=dict)

    def add(self, spec: OrgSpec) -> OrgSpec:
        self.specs.append(spec)
        self.by_key[spec.key] = spec
        if spec.parent:
            self.children.setdefault(spec.parent, []).append(spec.key)
        return spec

    def spec(self, key: str) -> OrgSpec:
        return self.by_key[key]

    def subtree(self, key: str) -> list[str]:
        out = [key]
        for child in self.children.get(key, []):
            out.extend(self.subtree(child))
        return out


def county_features() -> list[tuple[str, str]]:
    """(region code, name) of the 14 counties, from the shipped GeoJSON."""
    data = json.loads(GEOJSON.read_text(encoding="utf-8"))
    features = [(str(f["id"]), f["properties"]["name"]) for f in data["features"]]
    return sorted(features)


def _county_short(code: str, name: str) -> str:
    return SHORT_COUNTY.get(code, name)


def _unit_kind(name: str) -> str:
    return OrgKind.STATE_ENTERPRISE if name.endswith("公司") else OrgKind.CITY_UNIT


def org_specs(seed: int) -> OrgPlan:
    rng = random.Random(f"{seed}:orgs")
    plan = OrgPlan()
    plan.add(OrgSpec("city", "昆明市纪委监委", OrgKind.COMMISSION, None, region_code=CITY_REGION))
    order = 0

    def child(key: str, name: str, kind: str, **extra: Any) -> OrgSpec:
        nonlocal order
        order += 1
        return plan.add(OrgSpec(key, name, kind, "city", sort_order=order, **extra))

    for n in range(1, 9):
        plan.rooms.append(
            child(f"room:{n}", f"第{numeral(n)}监督检查室", OrgKind.SUPERVISION_ROOM).key
        )
    child("conduct", "党风政风监督室", OrgKind.CONDUCT_ROOM)
    child("petition", "信访室", OrgKind.PETITION_ROOM)
    child("trial", "案件审理室", OrgKind.TRIAL_ROOM)
    child("inspection", "市委巡察办", OrgKind.INSPECTION_OFFICE)
    child("case_management", "案件监督管理室", OrgKind.CASE_MANAGEMENT_ROOM)
    for n in range(1, len(GROUP_UNITS) + 1):
        labels = (LEAD_GROUP_LABEL,) if n in LEAD_GROUPS else ()
        key = child(
            f"group:{n}", f"派驻第{numeral(n)}纪检监察组", OrgKind.STATIONED_GROUP, labels=labels
        ).key
        plan.groups.append(key)
    for n, units in enumerate(GROUP_UNITS, start=1):
        plan.supervises[f"group:{n}"] = []
        for name in units:
            key = child(f"unit:{name}", name, _unit_kind(name)).key
            plan.supervises[f"group:{n}"].append(key)
    plan.supervises["room:8"] = [
        child(f"unit:{name}", name, OrgKind.STATE_ENTERPRISE).key for name in STATE_ENTERPRISES
    ]

    taken_villages: set[str] = set()
    for code, name in county_features():
        short = _county_short(code, name)
        labels = (POVERTY_LABEL,) if code in POVERTY_COUNTIES else ()
        county = child(
            f"county:{code}",
            f"{name}纪委监委",
            OrgKind.COUNTY,
            short_name=f"{short}纪委监委" if short != name else "",
            region_code=code,
            labels=labels,
        )
        plan.counties.append(county.key)
        # The county's own party committee and government hold its city-managed leaders.
        party = "区委" if short.endswith("区") else ("市委" if short.endswith("市") else "县委")
        plan.add(
            OrgSpec(
                f"party:{code}",
                f"中共{short[:-1]}{party}",
                OrgKind.COUNTY_UNIT,
                county.key,
                sort_order=1,
            )
        )
        plan.add(
            OrgSpec(
                f"gov:{code}",
                f"{name}人民政府",
                OrgKind.COUNTY_UNIT,
                county.key,
                short_name=f"{short}人民政府" if short != name else "",
                sort_order=2,
            )
        )
        for index, unit in enumerate(COUNTY_UNITS, start=3):
            plan.add(
                OrgSpec(
                    f"cunit:{code}:{unit}",
                    f"{short}{unit}",
                    OrgKind.COUNTY_UNIT,
                    county.key,
                    sort_order=index,
                )
            )
        for t_index, town in enumerate(TOWNSHIPS[code], start=1):
            town_code = f"{code}{t_index:03d}"
            town_key = f"town:{town_code}"
            plan.add(
                OrgSpec(
                    town_key,
                    town,
                    OrgKind.TOWNSHIP,
                    county.key,
                    region_code=town_code,
                    sort_order=100 + t_index,
                )
            )
            if code not in VILLAGE_COUNTIES:
                continue
            is_street = town.endswith("街道")
            for v_index, village in enumerate(
                village_names_for(rng, VILLAGES_PER_TOWNSHIP, taken_villages, is_street), start=1
            ):
                village_code = f"{town_code}{v_index:03d}"
                plan.add(
                    OrgSpec(
                        f"village:{village_code}",
                        village,
                        OrgKind.VILLAGE,
                        town_key,
                        region_code=village_code,
                        sort_order=v_index,
                    )
                )
    for n, codes in ROOM_COUNTIES.items():
        if codes:
            plan.supervises[f"room:{n}"] = [f"county:{c}" for c in codes]
    plan.supervises["conduct"] = [*plan.rooms, *plan.groups, *plan.counties]
    plan.supervises["trial"] = [*plan.rooms, *plan.groups]
    return plan


def village_names_for(
    rng: random.Random, count: int, taken: set[str], is_street: bool
) -> list[str]:
    from jiandu.demo.texts import village_names

    names = village_names(rng, count, taken)
    if is_street:
        # 街道 have 社区居委会 rather than 村委会.
        return [n.replace("村委会", "社区居委会") for n in names]
    return names


def create_orgs(*, actor: Any, plan: OrgPlan) -> dict[str, Any]:
    """Write the tree in bulk (one audit row per org, as ``orgs.services.org_create``
    would write); return key → Org."""
    from jiandu.core.access import access_changed
    from jiandu.core.audit import audit_record_many, model_snapshot
    from jiandu.core.choices import AuditAction
    from jiandu.demo.bulk import Ids, insert, link, reset_sequences
    from jiandu.orgs.models import Org
    from jiandu.orgs.services import default_acts_for_commission, org_label_get_or_create

    labels = {
        POVERTY_LABEL: org_label_get_or_create(actor=actor, name=POVERTY_LABEL),
        LEAD_GROUP_LABEL: org_label_get_or_create(actor=actor, name=LEAD_GROUP_LABEL),
    }
    ids = Ids()
    orgs: dict[str, Any] = {}
    for spec in plan.specs:
        parent = orgs[spec.parent] if spec.parent else None
        pk = ids.next(Org)
        orgs[spec.key] = Org(
            pk=pk,
            name=spec.name,
            kind=spec.kind,
            parent=parent,
            short_name=spec.short_name,
            region_code=spec.region_code,
            sort_order=spec.sort_order,
            path=f"{parent.path if parent else '/'}{pk}/",
            depth=parent.depth + 1 if parent else 0,
            # As org_create marks them: the commission's offices act for it (ADR 0009).
            acts_for_commission=default_acts_for_commission(kind=spec.kind, parent=parent),
        )
    insert(Org, orgs.values())
    link(
        Org._meta.get_field("labels"),
        ((orgs[s.key].pk, labels[name].pk) for s in plan.specs for name in s.labels),
    )
    link(
        Org._meta.get_field("supervises"),
        ((orgs[k].pk, orgs[s].pk) for k, targets in plan.supervises.items() for s in targets),
    )
    reset_sequences(ids.models)
    entries: list[dict[str, Any]] = [
        {"actor": actor, "action": AuditAction.CREATE, "obj": org, "changes": model_snapshot(org)}
        for org in orgs.values()
    ]
    entries += [
        {
            "actor": actor,
            "action": AuditAction.UPDATE,
            "obj": orgs[key],
            "summary": "设置监督对象",
            "changes": {"supervises": {"before": [], "after": sorted(orgs[k].pk for k in sup)}},
        }
        for key, sup in plan.supervises.items()
    ]
    audit_record_many(entries)
    access_changed()
    return orgs
