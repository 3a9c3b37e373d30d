"""Cross-checks of a return before it is submitted: each rule names the figures that
contradict each other, with their values. A return with any finding cannot be
submitted."""

from __future__ import annotations

from decimal import Decimal

from jiandu.core.figures import RatioFigure, figure
from jiandu.statcentre.compute import percent

# part ≤ whole
NOT_MORE_THAN = [
    ("petitions_first", "petitions_received"),
    ("petitions_repeat", "petitions_received"),
    ("petitions_real_name", "petitions_received"),
    ("petitions_closed", "petitions_received"),
    ("petitions_first_closed", "petitions_first"),
    ("petitions_first_closed", "petitions_closed"),
    ("petitions_backlog_resolved", "petitions_backlog"),
    ("discipline_form_1", "discipline_forms"),
]
# parts = total
SUMS = [
    (
        "clues_received",
        [
            "clues_source_petition",
            "clues_source_inspection",
            "clues_source_audit",
            "clues_source_supervision",
            "clues_source_datacheck",
            "clues_source_higher_assigned",
            "clues_source_other",
        ],
    ),
    (
        "clues_disposed",
        [
            "clues_disposal_talk_inquiry",
            "clues_disposal_preliminary_verification",
            "clues_disposal_shelved",
            "clues_disposal_dismissed",
            "clues_disposal_case_filed",
        ],
    ),
    ("discipline_forms", [f"discipline_form_{n}" for n in (1, 2, 3, 4)]),
]


def _fmt(value: Decimal | int) -> str:
    return f"{value:,}" if isinstance(value, int) else f"{value:,.2f}"


def cross_check(values: dict[str, Decimal | int], rows: tuple[str, ...]) -> list[str]:
    """Findings for the figures present in ``rows`` (an empty list: consistent)."""
    present = {r for r in rows if not r.startswith("#")}
    findings: list[str] = []
    for key in sorted(present):
        fig = figure(key)
        if isinstance(fig, RatioFigure):
            continue
        value = values.get(key)
        if value is None:
            findings.append(f"“{fig.label}”未填写")
        elif value < 0:
            findings.append(f"“{fig.label}”（{_fmt(value)}）不能为负数")
    if findings:
        return findings
    for part, whole in NOT_MORE_THAN:
        if part in present and whole in present and values[part] > values[whole]:
            p, w = figure(part), figure(whole)
            findings.append(
                f"“{p.label}”（{_fmt(values[part])}{p.unit}）大于“{w.label}”（{_fmt(values[whole])}{w.unit}）"
            )
    for total, parts in SUMS:
        if total in present and all(p in present for p in parts):
            summed = sum(values[p] for p in parts)
            if summed != values[total]:
                t = figure(total)
                labels = "、".join(figure(p).label.removeprefix("其中") for p in parts)
                findings.append(
                    f"{labels}之和（{_fmt(summed)}{t.unit}）不等于“{t.label}”（{_fmt(values[total])}{t.unit}）"
                )
    for key in present:
        fig = figure(key)
        if isinstance(fig, RatioFigure):
            share = percent(values.get(fig.numerator), values.get(fig.denominator))
            if share is not None and share > 100:
                findings.append(f"“{fig.label}”为{share}%，超过100%")
    return findings
