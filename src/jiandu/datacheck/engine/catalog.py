"""What the comparison engine compares, without the engine: the canonical datasets and
their columns, the headers departments use for them, and the rules with their Chinese
names and parameters.

This module imports nothing heavy (no Ibis, DuckDB, pandas or PyArrow), so that the
platform can name datasets, rules and parameters (choices, models, forms, pages, the
command line's ``--help``) without loading the engine. The engine's modules re-export
what they always exported from here (``datasets.DATASETS``, ``rules.RuleError`` …).
"""

from __future__ import annotations

import copy
import json
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

SUFFIXES = (".parquet", ".csv", ".xlsx")
# The generator needs this many people to plant every rule's anomalies.
GENERATOR_MIN_PERSONS = 300

# --------------------------------------------------------------------------- datasets


@dataclass(frozen=True)
class Column:
    """One canonical column: its name, kind and whether a value is required."""

    name: str
    kind: str  # id, text, date, month, money, bool, region, gender, relation
    required: bool = True
    label: str = ""


@dataclass(frozen=True)
class Dataset:
    """A canonical dataset: what it is and its columns; ``id_column`` is the person,
    ``household_column`` the household (only the population register has one)."""

    name: str
    label: str
    columns: tuple[Column, ...]
    id_column: str | None = None
    household_column: str | None = None

    @property
    def column_names(self) -> list[str]:
        return [c.name for c in self.columns]

    @property
    def keys(self) -> tuple[tuple[str, str], ...]:
        """(column, integer key column) pairs written beside the text: every ID number
        column (``id_no`` → ``id_key``) and, in the population register, the household
        number (``household_no`` → ``household_key``). See ``with_keys``."""
        pairs = [
            (c.name, c.name.removesuffix("_no") + "_key") for c in self.columns if c.kind == "id"
        ]
        if self.household_column:
            pairs.append((self.household_column, "household_key"))
        return tuple(pairs)

    def column(self, name: str) -> Column:
        for col in self.columns:
            if col.name == name:
                return col
        raise KeyError(name)


def _c(name: str, kind: str, label: str, required: bool = True) -> Column:
    return Column(name=name, kind=kind, required=required, label=label)


DATASETS: dict[str, Dataset] = {
    d.name: d
    for d in (
        Dataset(
            "persons",
            "户籍人口",
            (
                _c("id_no", "id", "公民身份号码"),
                _c("name", "text", "姓名"),
                _c("gender", "gender", "性别"),
                _c("birth_date", "date", "出生日期"),
                _c("region_code", "region", "行政区划代码"),
                _c("household_no", "text", "户号"),
                _c("relation_to_head", "text", "与户主关系", required=False),
            ),
            id_column="id_no",
            household_column="household_no",
        ),
        Dataset(
            "deaths",
            "死亡登记",
            (
                _c("id_no", "id", "公民身份号码"),
                _c("name", "text", "姓名"),
                _c("death_date", "date", "死亡日期"),
                _c("source", "text", "数据来源", required=False),
            ),
            id_column="id_no",
        ),
        Dataset(
            "relations",
            "亲属关系",
            (
                _c("id_no", "id", "公民身份号码"),
                _c("relative_id_no", "id", "亲属身份号码"),
                _c("relation", "relation", "关系"),
            ),
            id_column="id_no",
        ),
        Dataset(
            "cadres",
            "干部名册",
            (
                _c("id_no", "id", "公民身份号码"),
                _c("name", "text", "姓名"),
                _c("org_name", "text", "单位"),
                _c("region_code", "region", "行政区划代码"),
                _c("position", "text", "职务"),
                _c("is_village_cadre", "bool", "是否村（社区）干部"),
                _c("start_date", "date", "任职开始日期"),
                _c("end_date", "date", "任职结束日期", required=False),
            ),
            id_column="id_no",
        ),
        Dataset(
            "beneficiaries",
            "享受对象",
            (
                _c("program", "text", "项目"),
                _c("id_no", "id", "公民身份号码"),
                _c("name", "text", "姓名"),
                _c("region_code", "region", "行政区划代码"),
                _c("start_date", "date", "享受开始日期"),
                _c("end_date", "date", "享受结束日期", required=False),
                _c("standard_amount", "money", "月标准金额"),
            ),
            id_column="id_no",
        ),
        Dataset(
            "payments",
            "资金发放记录",
            (
                _c("payment_id", "text", "发放记录编号"),
                _c("program", "text", "项目"),
                _c("id_no", "id", "公民身份号码"),
                _c("name", "text", "姓名"),
                _c("period", "month", "所属月份"),
                _c("paid_on", "date", "发放日期"),
                _c("amount", "money", "金额"),
                _c("account_no", "text", "账号"),
                _c("account_holder_id_no", "id", "账户持有人身份号码", required=False),
                _c("region_code", "region", "行政区划代码"),
            ),
            id_column="id_no",
        ),
        Dataset(
            "payroll",
            "财政供养人员",
            (
                _c("id_no", "id", "公民身份号码"),
                _c("name", "text", "姓名"),
                _c("employer", "text", "工作单位"),
                _c("start_date", "date", "供养开始日期"),
                _c("end_date", "date", "供养结束日期", required=False),
            ),
            id_column="id_no",
        ),
        Dataset(
            "vehicles",
            "车辆登记",
            (
                _c("owner_id_no", "id", "车主身份号码"),
                _c("plate_no", "text", "号牌号码"),
                _c("registered_on", "date", "登记日期"),
            ),
            id_column="owner_id_no",
        ),
        Dataset(
            "companies",
            "工商登记",
            (
                _c("id_no", "id", "公民身份号码"),
                _c("company_name", "text", "企业名称"),
                _c("role", "text", "身份（法定代表人/股东）"),
                _c("registered_on", "date", "登记日期"),
            ),
            id_column="id_no",
        ),
    )
}


class DatasetError(ValueError):
    """A file refused as a whole; ``str()`` is one line naming file, row and column."""

    def __init__(
        self,
        message: str,
        *,
        file: str | None = None,
        row: int | None = None,
        column: str | None = None,
    ) -> None:
        self.file, self.row, self.column, self.detail = file, row, column, message
        super().__init__(format_location(file=file, row=row, column=column, message=message))


def format_location(*, file: str | None, row: int | None, column: str | None, message: str) -> str:
    parts = []
    if file:
        parts.append(f"文件 {file}")
    if row is not None:
        parts.append(f"第{row}行")
    if column:
        parts.append(f"列 {column}")
    return f"{'，'.join(parts)}：{message}" if parts else message


# What an import report says of a kept row whose ID number fails the GB 11643 check.
ID_FLAG_NOTE = "已保留并标记为身份证号码无效，供“身份异常”规则和身份认定使用"
# The same note as reports stored before it was worded for people.
_LEGACY_ID_FLAG_NOTE = "已保留，标记为 id_valid=false"


def readable_report_message(message: str) -> str:
    """An import report message as a person reads it (older reports named the flag
    column ``id_valid``)."""
    return message.replace(_LEGACY_ID_FLAG_NOTE, ID_FLAG_NOTE)


def dataset_for(name: str) -> Dataset:
    try:
        return DATASETS[name]
    except KeyError:
        known = "、".join(DATASETS)
        raise DatasetError(f"未知的数据集 {name}（可用：{known}）") from None


# --------------------------------------------------------------------------- headers

# Headers departments commonly use for a canonical column (besides its name and label).
SYNONYMS: dict[str, tuple[str, ...]] = {
    "id_no": ("身份证号", "身份证号码", "公民身份号码", "证件号码", "身份证", "证件号"),
    "name": ("姓名", "名字", "户主姓名", "对象姓名"),
    "gender": ("性别",),
    "birth_date": ("出生日期", "出生年月日", "生日"),
    "region_code": ("行政区划代码", "区划代码", "行政区划", "地区代码"),
    "household_no": ("户号", "户编号", "户籍编号"),
    "relation_to_head": ("与户主关系", "户内关系"),
    "death_date": ("死亡日期", "死亡时间"),
    "source": ("来源", "数据来源", "信息来源"),
    "relative_id_no": ("亲属身份证号", "亲属身份证号码", "亲属证件号码"),
    "relation": ("关系", "亲属关系"),
    "org_name": ("单位", "单位名称", "任职单位"),
    "position": ("职务", "岗位"),
    "is_village_cadre": ("是否村干部", "是否村（社区）干部", "村干部"),
    "start_date": ("开始日期", "起始日期", "享受开始日期", "任职开始日期", "入职日期"),
    "end_date": ("结束日期", "终止日期", "享受结束日期", "任职结束日期", "离职日期"),
    "program": ("项目", "项目名称", "补贴项目", "救助类别"),
    "standard_amount": ("月标准金额", "保障标准", "月标准", "标准金额"),
    "payment_id": ("发放记录编号", "发放编号", "记录编号", "流水号"),
    "period": ("所属月份", "所属期", "发放月份", "所属年月"),
    "paid_on": ("发放日期", "支付日期", "到账日期"),
    "amount": ("金额", "发放金额", "金额（元）", "发放金额（元）"),
    "account_no": ("账号", "银行账号", "卡号", "收款账号", "账户"),
    "account_holder_id_no": ("账户持有人身份号码", "持卡人身份证号", "开户人身份证号"),
    "employer": ("工作单位", "供养单位", "用人单位"),
    "owner_id_no": ("车主身份号码", "车主身份证号", "所有人身份证号"),
    "plate_no": ("号牌号码", "车牌号", "车牌号码"),
    "registered_on": ("登记日期", "注册日期", "成立日期"),
    "company_name": ("企业名称", "公司名称"),
    "role": ("身份", "角色", "职务（法定代表人/股东）"),
}


def _norm(text: str) -> str:
    return unicodedata.normalize("NFKC", text or "").replace(" ", "").strip().lower()


def guess_column(header: str, spec: Dataset) -> str:
    """The canonical column a file header most likely means ("" when none): its name,
    its Chinese label (公民身份号码) or a header departments commonly use (身份证号)."""
    wanted = _norm(header)
    for column in spec.columns:
        names = (column.name, column.label, *SYNONYMS.get(column.name, ()))
        if wanted in {_norm(n) for n in names}:
            return column.name
    return ""


def guess_mapping(headers: Iterable[str], spec: Dataset) -> dict[str, str]:
    """{header: canonical column} for the headers that are not canonical names but
    clearly mean one (the web upload proposes the same); a column already present under
    its own name, or claimed by an earlier header, is not guessed twice."""
    headers = list(headers)
    taken = {h for h in headers if h in spec.column_names}
    mapping: dict[str, str] = {}
    for header in headers:
        if header in taken:
            continue
        target = guess_column(header, spec)
        if target and target not in taken:
            mapping[header] = target
            taken.add(target)
    return mapping


# --------------------------------------------------------------------------- rules


class RuleError(ValueError):
    """An unknown rule or parameter; the message is for the user, in Chinese."""


@dataclass(frozen=True)
class Parameter:
    """A rule parameter: its name in code, its Chinese label, what it means, its
    default and the unit its values are read in (个月, 元, 人, 周岁)."""

    name: str
    label: str
    help: str
    default: Any
    unit: str = ""

    def display(self, value: Any) -> str:
        """The value as a person reads it: 0个月, 低保、特困供养, 是, 高龄津贴：80周岁."""
        if isinstance(value, bool):
            return "是" if value else "否"
        if isinstance(value, list | tuple):
            return "、".join(str(v) for v in value) or "（无）"
        if isinstance(value, dict):
            return "，".join(f"{k}：{v}{self.unit}" for k, v in value.items()) or "（无）"
        if value is None or value == "":
            return "（未设置）"
        return f"{value}{self.unit}"


@dataclass(frozen=True)
class RuleSpec:
    """A comparison rule as the platform knows it: code, Chinese name, what a hit means,
    the datasets it reads, its parameters, and which evidence fields (beyond subject,
    programme and period) tell two of its hits apart across runs."""

    code: str
    name: str
    description: str
    datasets: tuple[str, ...]
    parameters: tuple[Parameter, ...] = ()
    identity_fields: tuple[str, ...] = field(default=())

    @property
    def defaults(self) -> dict[str, Any]:
        return {p.name: p.default for p in self.parameters}

    @property
    def parameter_help(self) -> dict[str, str]:
        return {p.name: p.help for p in self.parameters}

    def parameter(self, name: str) -> Parameter:
        for p in self.parameters:
            if p.name == name:
                return p
        raise RuleError(f"规则 {self.code} 没有参数 {name}")

    def params(self, overrides: Mapping[str, Any] | None = None) -> dict[str, Any]:
        """Defaults merged with ``overrides``; unknown parameter names are refused."""
        merged = copy.deepcopy(self.defaults)
        for key, value in (overrides or {}).items():
            if key not in merged:
                raise RuleError(f"规则 {self.code} 没有参数 {key}")
            merged[key] = value
        return merged

    def parameter_rows(self, overrides: Mapping[str, Any] | None = None) -> list[dict[str, str]]:
        """Each parameter with its label, meaning and value as a person reads them."""
        values = self.params(overrides)
        return [
            {"label": p.label, "help": p.help, "value": p.display(values[p.name])}
            for p in self.parameters
        ]

    def as_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "name": self.name,
            "description": self.description,
            "datasets": list(self.datasets),
            "parameters": [
                {
                    "name": p.name,
                    "label": p.label,
                    "default": p.default,
                    "display": p.display(p.default),
                    "unit": p.unit,
                    "help": p.help,
                }
                for p in self.parameters
            ],
        }


DEFAULT_MEANS_TESTED = ["低保", "特困供养"]

_GRACE = Parameter("grace_months", "宽限月数", "死亡当月之后允许的宽限月数", 0, "个月")
_MEANS_TESTED = Parameter(
    "means_tested",
    "经济困难类项目",
    "需家庭经济状况核对的项目（如低保、特困供养）",
    DEFAULT_MEANS_TESTED,
)

RULE_SPECS: dict[str, RuleSpec] = {
    r.code: r
    for r in (
        RuleSpec(
            "R01",
            "死亡后仍发放",
            "资金发放所属月份晚于享受对象死亡月份（可设宽限月数）。",
            ("payments", "deaths"),
            (_GRACE,),
        ),
        RuleSpec(
            "R02",
            "死亡后部分停发",
            "同一死亡人员享受两项及以上待遇，至少一项在死亡时停发，另一项死亡后仍在发放"
            "（两项补贴只停发一项）。",
            ("payments", "deaths"),
            (
                _GRACE,
                Parameter(
                    "stop_window_months",
                    "停发判定期",
                    "最后一次发放在死亡月份前多少个月内视为“死亡时停发”",
                    2,
                    "个月",
                ),
            ),
        ),
        RuleSpec(
            "R03",
            "重复发放",
            "同一身份证号码同一项目同一月份发放两次及以上（不同发放记录）。",
            ("payments",),
        ),
        RuleSpec(
            "R04",
            "干部亲属享受",
            "享受对象与干部同户或存在亲属关系，干部的管辖区域包含享受对象所在区域，"
            "且享受开始于干部任职期间（优亲厚友嫌疑）。",
            ("beneficiaries", "cadres", "persons", "relations"),
            identity_fields=("cadre_id_no",),
        ),
        RuleSpec(
            "R05",
            "财政供养人员享受低保",
            "财政供养人员在供养期间享受低保、特困供养等经济困难类待遇。",
            ("beneficiaries", "payroll"),
            (_MEANS_TESTED,),
        ),
        RuleSpec(
            "R06",
            "身份异常",
            "发放记录的身份证号码未通过 GB 11643 校验，或在户籍人口中不存在。",
            ("payments", "persons"),
        ),
        RuleSpec(
            "R07",
            "账户集中",
            "同一账户收取多个不同家庭人员的款项，或账户由非本人的干部持有。",
            ("payments", "persons", "cadres"),
            (
                Parameter("min_id_nos", "收款人数下限", "同一账户收款的不同家庭人数下限", 3, "人"),
                Parameter(
                    "holder_during_tenure",
                    "只计任职期间持有",
                    "干部持有账户只计其任职期间",
                    True,
                ),
            ),
            identity_fields=("reason",),
        ),
        RuleSpec(
            "R08",
            "超标准发放",
            "发放金额高于该月所属享受资格的月标准金额（可设容差）。",
            ("payments", "beneficiaries"),
            (Parameter("tolerance", "允许超出金额", "允许超出月标准的金额", "0.00", "元"),),
        ),
        RuleSpec(
            "R09",
            "无资格发放",
            "发放所属月份不在该身份证号码该项目的任何享受期间内。",
            ("payments", "beneficiaries"),
        ),
        RuleSpec(
            "R10",
            "有车有企享受低保",
            "经济困难类待遇享受期间本人名下有登记车辆，或为企业法定代表人、股东。",
            ("beneficiaries", "vehicles", "companies"),
            (_MEANS_TESTED,),
            identity_fields=("asset", "detail"),
        ),
        RuleSpec(
            "R11",
            "年龄不符",
            "有年龄条件的项目（如高龄津贴须年满80周岁）在本人达到年龄的月份之前发放。",
            ("payments", "persons"),
            (
                Parameter(
                    "age_thresholds",
                    "项目起始年龄",
                    "有年龄条件的项目及其起始年龄（自达到年龄的当月起发放）",
                    {"高龄津贴": 80},
                    "周岁",
                ),
            ),
        ),
    )
}


def get_specs(codes: list[str] | None = None) -> list[RuleSpec]:
    """The catalogue entries named by ``codes`` (all, in order, when None); unknown codes
    refused."""
    if not codes:
        return list(RULE_SPECS.values())
    unknown = [c for c in codes if c not in RULE_SPECS]
    if unknown:
        raise RuleError(f"未知的规则：{'、'.join(unknown)}（可用：{'、'.join(RULE_SPECS)}）")
    return [RULE_SPECS[c] for c in codes]


def list_rules() -> list[dict[str, Any]]:
    """Every rule with its parameters and defaults, JSON-able (for the CLI and pages)."""
    return [rule.as_dict() for rule in RULE_SPECS.values()]


def hit_identity(*, rule: str, subject: str, program: str, period: str, evidence: Any) -> str:
    """The text that names one hit across runs: rule, subject, programme, period and
    the evidence fields the rule declares (R04: the cadre, R07: why the account is
    suspect, R10: the asset). Callers hash it; it holds an ID number."""
    spec = RULE_SPECS.get(rule)
    extra = []
    if spec is not None and isinstance(evidence, dict):
        extra = [
            json.dumps(evidence.get(f), ensure_ascii=False, sort_keys=True)
            for f in spec.identity_fields
        ]
    return "|".join([rule, subject, program or "", period or "", *extra])
