"""Evidence of a hit, for people: Chinese labels, readable values, masked identities.

The engine writes each hit's evidence as a JSON object naming the source rows (payment
ids, death records, enrolments, the cadre …) with machine keys. Pages, exports and the
clue a hit becomes show it with the labels below. ID numbers and account numbers in it
are masked unless the viewer may see full ID numbers (``people.view_id_number``).
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from typing import Any

from jiandu.core.idnumbers import mask

LABELS: dict[str, str] = {
    "payment_id": "发放记录编号",
    "payment_ids": "发放记录编号",
    "paid_on": "发放日期",
    "amount": "发放金额（元）",
    "account_no": "收款账号",
    "accounts": "收款账号",
    "death_date": "死亡日期",
    "death_sources": "死亡信息来源",
    "stopped_programs": "已在死亡时停发的项目",
    "stopped_last_period": "停发项目最后发放月份",
    "continued_program": "死亡后仍发放的项目",
    "months_paid_after_death": "死亡后发放月数",
    "amount_after_death": "死亡后发放金额（元）",
    "payments": "发放笔数",
    "total": "合计金额（元）",
    "excess": "超出金额（元）",
    "enrolment_start": "享受开始日期",
    "enrolment_end": "享受结束日期",
    "region_code": "行政区划代码",
    "standard_amount": "月标准金额（元）",
    "cadre_id_no": "干部身份证号码",
    "cadre_name": "干部姓名",
    "org_name": "干部所在单位",
    "position": "干部职务",
    "cadre_region_code": "干部管辖区划",
    "tenure_start": "任职开始日期",
    "tenure_end": "任职结束日期",
    "links": "与干部的关系",
    "employer": "供养单位",
    "employment_start": "供养开始日期",
    "employment_end": "供养结束日期",
    "overlap_start": "重叠开始日期",
    "name": "姓名",
    "reason": "疑点说明",
    "households": "涉及家庭数",
    "id_nos": "涉及人员身份证号码",
    "holder_id_no": "账户持有人身份证号码",
    "programs": "涉及项目",
    "asset": "资产类型",
    "detail": "资产情况",
    "registered_on": "登记日期",
    "birth_date": "出生日期",
    "required_age": "起始年龄（周岁）",
    "payable_from": "可发放起始月份",
}

# The evidence fields that say most about a hit of each rule (the hit list's summary).
SUMMARY_KEYS: dict[str, tuple[str, ...]] = {
    "R01": ("death_date", "payment_id"),
    "R02": ("death_date", "stopped_programs", "months_paid_after_death"),
    "R03": ("payments", "payment_ids"),
    "R04": ("cadre_name", "position", "links"),
    "R05": ("employer", "overlap_start"),
    "R06": ("reason", "name"),
    "R07": ("reason", "households", "cadre_name"),
    "R08": ("standard_amount", "excess"),
    "R09": ("reason", "payment_id"),
    "R10": ("asset", "detail"),
    "R11": ("birth_date", "payable_from"),
}

# Keys whose values identify a person or an account.
PROTECTED_KEYS = frozenset(
    {"id_no", "id_nos", "cadre_id_no", "holder_id_no", "account_no", "accounts"}
)
ID_SHAPE = re.compile(r"^\d{17}[\dXx]$")


def protect(value: Any, *, key: str = "", full: bool = False) -> Any:
    """``value`` with ID and account numbers masked (unchanged when ``full``)."""
    if full:
        return value
    if isinstance(value, dict):
        return {k: protect(v, key=str(k)) for k, v in value.items()}
    if isinstance(value, list):
        return [protect(v, key=key) for v in value]
    if isinstance(value, str) and (key in PROTECTED_KEYS or ID_SHAPE.match(value)):
        return mask(value)
    return value


def _text(value: Any) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float):
        return f"{value:.2f}"
    if isinstance(value, list):
        return "、".join(_text(v) for v in value) if value else "—"
    if isinstance(value, dict):
        return "；".join(f"{LABELS.get(str(k), k)} {_text(v)}" for k, v in value.items())
    return str(value)


def label(key: str) -> str:
    return LABELS.get(key, key)


def rows(evidence: dict[str, Any], *, full: bool = False) -> list[tuple[str, str]]:
    """(label, text) pairs of the evidence, protected unless ``full``."""
    shown = protect(evidence or {}, full=full)
    return [(label(str(k)), _text(v)) for k, v in shown.items()]


def labelled(evidence: dict[str, Any], *, full: bool = False) -> dict[str, Any]:
    """The evidence with Chinese keys (lists stay lists), protected unless ``full``."""
    shown = protect(evidence or {}, full=full)
    return {label(str(k)): v for k, v in shown.items()}


def summary(rule_code: str, evidence: dict[str, Any], *, full: bool = False) -> str:
    shown = protect(evidence or {}, full=full)
    keys = SUMMARY_KEYS.get(rule_code) or tuple(shown)[:2]
    parts = [f"{label(k)}：{_text(shown[k])}" for k in keys if k in shown]
    text = "；".join(parts)
    return text if len(text) <= 120 else text[:118] + "…"


def money(value: Any) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        return Decimal(str(value)).quantize(Decimal("0.01"))
    except (InvalidOperation, ValueError):
        return None
