"""The page that writes a new version of the indicator tree: a copy of the version in
force, with node weights, each leaf's method, direction and parameters, leaves removed or
added, the bands, the missing rule and the 复绿 months edited. The posted fields are
turned back into the same JSON document the calculator reads (``tree``, ``missing``,
``bands``, ``regreen_months``) and checked by its rules (:func:`calc.parse_rules`), so an
error names the node key and the field."""

from __future__ import annotations

import copy
from decimal import Decimal, InvalidOperation
from typing import Any

from django import forms

from jiandu.ecoindex.choices import (
    EcoColour,
    LeafSource,
    MissingRuleChoice,
    NodeDirection,
    NodeMethod,
)
from jiandu.ecoindex.sources import SOURCES

NEW_LEAVES = 3  # blank rows for added leaves
BAND_COLOURS = [EcoColour.GREEN, EcoColour.YELLOW, EcoColour.ORANGE]  # red: the rest
LEAF_FIELDS = ("method", "direction", "points", "floor", "breakpoints")


class TreeVersionForm(forms.Form):
    effective_from = forms.RegexField(
        label="起用月份", regex=r"^\d{4}-\d{2}$", max_length=7,
        help_text="如 2027-01；已结账的月份保持结账时的版本",
        error_messages={"invalid": "请按 2027-01 的格式填写月份"},
    )  # fmt: skip
    reason = forms.CharField(label="调整原因", max_length=300)
    missing = forms.ChoiceField(label="缺项规则", choices=MissingRuleChoice.choices)
    regreen_months = forms.IntegerField(label="复绿所需连续绿色月数", min_value=1, max_value=12)
    band_green = forms.DecimalField(label="绿色下限（≥）", max_digits=6, decimal_places=2)
    band_yellow = forms.DecimalField(label="黄色下限（≥）", max_digits=6, decimal_places=2)
    band_orange = forms.DecimalField(label="橙色下限（≥，其余为红色）", max_digits=6,
                                     decimal_places=2)  # fmt: skip


def initial_of(document: dict[str, Any]) -> dict[str, Any]:
    bands = {b.get("colour"): b.get("min") for b in document.get("bands") or []}
    return {
        "missing": document.get("missing") or MissingRuleChoice.REWEIGHT,
        "regreen_months": document.get("regreen_months", 2),
        **{f"band_{c}": bands.get(c) for c in BAND_COLOURS},
    }


def _number(raw: str) -> Any:
    """A posted number as int or float for the document; text that is not a number is
    left as it is, so the calculator's check names the node and the field."""
    text = (raw or "").strip()
    try:
        value = Decimal(text)
    except InvalidOperation:
        return text
    if not value.is_finite():
        return text
    return int(value) if value == value.to_integral_value() else float(value)


def _breakpoints(raw: str, key: str, problems: list[str]) -> list[list[Any]]:
    """“0:100, 5:60” → [[0, 100], [5, 60]]."""
    pairs = []
    for part in (raw or "").replace("，", ",").replace("：", ":").split(","):
        if not part.strip():
            continue
        bits = part.split(":")
        if len(bits) != 2:
            problems.append(
                f"“{key}”：breakpoints 应写成“数值:得分”，以逗号分隔（现为“{part.strip()}”）"
            )
            continue
        pairs.append([_number(bits[0]), _number(bits[1])])
    return pairs


def breakpoints_text(pairs: list[list[Any]] | None) -> str:
    return ", ".join(f"{x}:{s}" for x, s in pairs or [])


def _leaf(data: dict[str, Any], get: Any, prefix: str, key: str, problems: list[str]) -> None:
    method = get(f"{prefix}method", data.get("method", ""))
    data["method"] = method
    data["direction"] = get(f"{prefix}direction", data.get("direction", NodeDirection.HIGHER))
    for name in ("points", "floor", "breakpoints"):
        data.pop(name, None)
    if method == NodeMethod.DEDUCTION:
        data["points"] = _number(get(f"{prefix}points", ""))
        floor = get(f"{prefix}floor", "").strip()
        if floor:
            data["floor"] = _number(floor)
    if method == NodeMethod.THRESHOLDS:
        data["breakpoints"] = _breakpoints(get(f"{prefix}breakpoints", ""), key, problems)


def document_from_post(
    base: dict[str, Any], post: Any, cleaned: dict[str, Any]
) -> tuple[dict[str, Any], list[str]]:
    """The new version's document: ``base`` (the copied version) with the posted edits.
    Returns the problems found in reading the fields themselves (the rest are the
    calculator's)."""
    problems: list[str] = []
    document = copy.deepcopy(base)

    def get(name: str, default: str = "") -> str:
        return str(post.get(name, default))

    by_key: dict[str, dict[str, Any]] = {}

    def walk(node: dict[str, Any], root: bool) -> None:
        key = node["key"]
        by_key[key] = node
        if not root:
            node["weight"] = _number(get(f"n-{key}-weight", str(node.get("weight", ""))))
        if "children" in node:
            kept = []
            for child in node["children"]:
                if "children" not in child and post.get(f"n-{child['key']}-remove"):
                    continue
                walk(child, False)
                kept.append(child)
            node["children"] = kept
            return
        _leaf(node, get, f"n-{key}-", key, problems)

    walk(document["tree"], True)
    for i in range(NEW_LEAVES):
        prefix = f"new-{i}-"
        key = get(f"{prefix}key").strip()
        name = get(f"{prefix}name").strip()
        if not key and not name:
            continue
        where = f"新增指标第{i + 1}行“{key or name}”"
        parent = by_key.get(get(f"{prefix}parent"))
        if parent is None or "children" not in parent:
            problems.append(f"{where}：parent（上级指标）应为一个一级指标")
            continue
        leaf: dict[str, Any] = {"key": key, "name": name,
                                "weight": _number(get(f"{prefix}weight"))}  # fmt: skip
        _leaf(leaf, get, prefix, key or name, problems)
        source = get(f"{prefix}source")
        leaf["source"] = source
        if source == LeafSource.COMPUTED:
            leaf["statistic"] = get(f"{prefix}statistic")
        else:
            leaf["department"] = get(f"{prefix}department").strip()
        leaf["unit"] = get(f"{prefix}unit").strip()[:10]
        leaf["definition"] = get(f"{prefix}definition").strip()[:300]
        parent["children"].append(leaf)
        by_key[key] = leaf
    document["missing"] = cleaned["missing"]
    document["regreen_months"] = cleaned["regreen_months"]
    document["bands"] = [
        *({"colour": c.value, "min": _number(str(cleaned[f"band_{c.value}"]))}
          for c in BAND_COLOURS),
        {"colour": EcoColour.RED.value, "min": None},
    ]  # fmt: skip
    return document, problems


def rows_of(document: dict[str, Any], post: Any = None) -> list[dict[str, Any]]:
    """The nodes as rows of the page, in tree order, with the values to show (the posted
    ones after a refused post)."""
    rows: list[dict[str, Any]] = []

    def value(key: str, name: str, default: Any) -> Any:
        if post is not None and f"n-{key}-{name}" in post:
            return post.get(f"n-{key}-{name}")
        return default

    def walk(node: dict[str, Any], level: int) -> None:
        key = node["key"]
        leaf = "children" not in node
        rows.append({
            "key": key, "name": node["name"], "level": level, "leaf": leaf,
            "weight": value(key, "weight", node.get("weight", "")),
            "method": value(key, "method", node.get("method", "")),
            "direction": value(key, "direction", node.get("direction", "")),
            "points": value(key, "points", node.get("points", "")),
            "floor": value(key, "floor", node.get("floor", "")),
            "breakpoints": value(key, "breakpoints", breakpoints_text(node.get("breakpoints"))),
            "removed": bool(post is not None and post.get(f"n-{key}-remove")),
            "source": node.get("source", ""), "statistic": node.get("statistic", ""),
            "department": node.get("department", ""),
        })  # fmt: skip
        for child in node.get("children", []):
            walk(child, level + 1)

    walk(document["tree"], 0)
    return rows


def parents_of(document: dict[str, Any]) -> list[tuple[str, str]]:
    """The first-level indicators (nodes whose children are leaves) a new leaf can join."""
    found = []

    def walk(node: dict[str, Any]) -> None:
        children = node.get("children", [])
        if children and all("children" not in c for c in children):
            found.append((node["key"], node["name"]))
        for child in children:
            if "children" in child:
                walk(child)

    walk(document["tree"])
    return found


def new_rows(post: Any = None) -> list[dict[str, Any]]:
    rows = []
    for i in range(NEW_LEAVES):
        prefix = f"new-{i}-"
        names = ("parent", "key", "name", "weight", "method", "direction", "points",
                 "floor", "breakpoints", "source", "statistic", "department", "unit",
                 "definition")  # fmt: skip
        rows.append({"i": i, **{n: (post.get(prefix + n, "") if post is not None else "")
                                for n in names}})  # fmt: skip
    return rows


def choices() -> dict[str, Any]:
    return {
        "methods": NodeMethod.choices, "directions": NodeDirection.choices,
        "sources": LeafSource.choices,
        "statistics": [(k, s.name) for k, s in SOURCES.items()],
    }  # fmt: skip
