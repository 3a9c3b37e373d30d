"""Drawing a whole board from observations: every month of the spec and the cumulative
period, with the checks on the input figures."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from jiandu.boards.ranking.cumulative import _rank_on_points
from jiandu.boards.ranking.formats import month_label, months_label, parse_month, to_decimal
from jiandu.boards.ranking.period import _rank_on_values
from jiandu.boards.ranking.results import BoardResult
from jiandu.boards.ranking.spec import (
    BoardError,
    BoardSpec,
    CumulativeMode,
    Indicator,
    MissingPolicy,
    MissingValue,
    MissingValuesError,
    Observation,
    PeriodKind,
    ValueInputError,
    ValueProblem,
)


def rank_board(
    *,
    spec: BoardSpec,
    observations: Iterable[Observation],
    missing: MissingPolicy | str = MissingPolicy.ERROR,
) -> BoardResult:
    """Draw the board of every month of ``spec`` and of the cumulative period.

    ``missing`` says what a participant's missing figure means: ``error`` raises
    :class:`MissingValuesError` naming every unit and indicator lacking one; ``zero``
    counts it as 0 and records it on the period and the cell.
    """
    policy = MissingPolicy(missing)
    table, seen_units = _collect(spec, observations)
    participants = spec.units or tuple(seen_units)
    if not participants:
        raise BoardError("没有任何单位的数据，无法排名")
    absent_yellow = [u for u in spec.yellow_units if u not in participants]
    if absent_yellow:
        raise BoardError(f"黄色标注单位没有任何数据：{'、'.join(absent_yellow)}")

    missing_values = [
        MissingValue(unit=unit, month=month, indicator=indicator.key, component=component)
        for unit in participants
        for month in spec.months
        for indicator in spec.indicators
        for component in indicator.component_keys
        if (unit, month, indicator.key, component) not in table
    ]
    if missing_values and policy is MissingPolicy.ERROR:
        raise MissingValuesError(missing_values, spec=spec)
    missing_set = {(m.unit, m.month, m.indicator) for m in missing_values}

    def vector(unit: str, month: str, indicator: Indicator) -> tuple[Decimal, ...]:
        return tuple(
            table.get((unit, month, indicator.key, c), Decimal(0)) for c in indicator.component_keys
        )

    monthly = []
    for month in spec.months:
        values = {
            unit: {ind.key: vector(unit, month, ind) for ind in spec.indicators}
            for unit in participants
        }
        flags = {
            (unit, ind.key)
            for unit in participants
            for ind in spec.indicators
            if (unit, month, ind.key) in missing_set
        }
        monthly.append(
            _rank_on_values(
                spec=spec,
                participants=participants,
                values=values,
                flags=flags,
                key=month,
                label=month_label(month),
                kind=PeriodKind.MONTH,
                months=(month,),
                missing=tuple(m for m in missing_values if m.month == month),
            )
        )

    summed = {
        unit: {
            ind.key: tuple(
                sum((vector(unit, m, ind)[i] for m in spec.months), Decimal(0))
                for i in range(len(ind.component_keys))
            )
            for ind in spec.indicators
        }
        for unit in participants
    }
    flags = {(m.unit, m.indicator) for m in missing_values}
    label = months_label(spec.months)
    everything = tuple(missing_values)
    if spec.cumulative_mode is CumulativeMode.SUM_VALUES:
        cumulative = _rank_on_values(
            spec=spec,
            participants=participants,
            values=summed,
            flags=flags,
            key="cumulative",
            label=label,
            kind=PeriodKind.CUMULATIVE,
            months=spec.months,
            missing=everything,
        )
    else:
        cumulative = _rank_on_points(
            spec=spec,
            participants=participants,
            values=summed,
            flags=flags,
            label=label,
            months=spec.months,
            missing=everything,
            monthly=monthly,
        )
    return BoardResult(
        spec=spec, missing_policy=policy, months=tuple(monthly), cumulative=cumulative
    )


def _collect(
    spec: BoardSpec, observations: Iterable[Observation]
) -> tuple[dict[tuple[str, str, str, str | None], Decimal], list[str]]:
    """Check and index the observations; report every bad one at once."""
    problems: list[ValueProblem] = []
    table: dict[tuple[str, str, str, str | None], Decimal] = {}
    first_index: dict[tuple[str, str, str, str | None], int] = {}
    seen_units: dict[str, None] = {}
    allowed_units = set(spec.units)
    months = set(spec.months)
    indicator_names = "、".join(i.key for i in spec.indicators)
    # Look-ups repeated for every observation, done once per distinct input.
    by_name: dict[str, Indicator] = {}
    for candidate in reversed(spec.indicators):
        by_name[candidate.name] = candidate
    for candidate in reversed(spec.indicators):
        by_name[candidate.key] = candidate
    parsed_months: dict[str, str] = {}
    for index, obs in enumerate(observations):
        bad = len(problems)
        unit = (obs.unit or "").strip() if isinstance(obs.unit, str) else ""
        if not unit:
            problems.append(ValueProblem(index, "unit", "单位为空"))
        elif allowed_units and unit not in allowed_units:
            problems.append(ValueProblem(index, "unit", f"单位“{unit}”不在规则的 units 中"))
        month = ""
        try:
            if isinstance(obs.month, str) and obs.month in parsed_months:
                month = parsed_months[obs.month]
            else:
                month = parse_month(obs.month)
                if isinstance(obs.month, str):
                    parsed_months[obs.month] = month
        except ValueError as exc:
            problems.append(ValueProblem(index, "month", str(exc)))
        else:
            if month not in months:
                problems.append(
                    ValueProblem(
                        index,
                        "month",
                        f"{month_label(month)}不在规则的月份（{spec.period_label}）内",
                    )
                )
        indicator: Indicator | None = None
        component: str | None = None
        try:
            indicator = by_name[str(obs.indicator).strip()]
        except KeyError:
            problems.append(
                ValueProblem(
                    index,
                    "indicator",
                    f"指标“{obs.indicator}”不在规则中（可用：{indicator_names}）",
                )
            )
        if indicator is not None:
            if indicator.is_compound:
                keys = "、".join(c.key for c in indicator.components)
                if obs.component is None or not str(obs.component).strip():
                    problems.append(
                        ValueProblem(
                            index,
                            "component",
                            f"“{indicator.name}”是复合指标，需写明分项（{keys}）",
                        )
                    )
                else:
                    try:
                        component = indicator.component(str(obs.component).strip()).key
                    except KeyError:
                        problems.append(
                            ValueProblem(
                                index,
                                "component",
                                f"“{indicator.name}”没有分项“{obs.component}”（可用：{keys}）",
                            )
                        )
            elif obs.component is not None and str(obs.component).strip():
                problems.append(
                    ValueProblem(index, "component", f"“{indicator.name}”不是复合指标，不能写分项")
                )
        value = Decimal(0)
        try:
            value = to_decimal(obs.value)
        except ValueError as exc:
            problems.append(ValueProblem(index, "value", str(exc)))
        if len(problems) > bad or indicator is None:
            continue
        key = (unit, month, indicator.key, component)
        if key in first_index:
            problems.append(
                ValueProblem(index, "unit", "同一单位、月份、指标的数据重复", first_index[key])
            )
            continue
        first_index[key] = index
        table[key] = value
        seen_units.setdefault(unit)
    if problems:
        raise ValueInputError(problems)
    return table, list(seen_units)
