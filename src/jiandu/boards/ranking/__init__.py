"""多色榜 (multi-colour board): the pure calculator.

Each month the 党风政风监督室 ranks the units it supervises (派驻机构, 监督检查室, 县区纪委监委)
on a set of work indicators (受理问题线索, 处置问题线索, 批评教育, 问责处理, 通报曝光 …) and
publishes the result as a board where every indicator cell is coloured:

* **red** (红, 5 points): among the top three of that indicator;
* **blue** (蓝, 3 points): in the middle;
* **white** (白, 1 point): last on that indicator;
* **yellow** (黄) is not a score but a marker on designated units (e.g. the 纪检组 of the
  lead unit of a 分指挥部, or a 脱贫摘帽县); it is carried through and never changes points.

The points of all indicators add up to the unit's **composite score** (综合得分) and the
units are ranked on it (综合排名). Besides each month, the board is drawn for the
cumulative period (e.g. 1—9月). Two consecutive months last brings a 工作预警通知书, last
of a quarter brings a 约谈 of the unit's leader; the warning rules
(:mod:`~jiandu.boards.ranking.warning_rules`) find those units.

The rules, exactly, for each indicator and period among the participating units:

1. rank = 1 + the number of units with a strictly better value (ties share a rank);
2. white: units whose value equals the worst value — unless every unit has the same
   value, in which case all are blue;
3. red: units with rank ≤ ``top_n`` (3) that are not white;
4. blue: all others.

A compound indicator such as 通报曝光(批次/人次) ranks on its first component, ties broken
by the next. "Better" is higher or lower according to the indicator's direction. The
overall rank follows the same tie rule on the composite (higher is better).

A cumulative board ranks either on the months' summed values (``sum_values``, the
default: the cumulative period is ranked exactly like a month) or on the summed monthly
points (``sum_points``: a unit's cumulative composite is the sum of its monthly
composites; an indicator cell carries the summed points of that indicator and its rank
among units on those points, but no colour).

The package is split by concern: :mod:`.formats` (months and numbers), :mod:`.spec`
(the spec, enums and errors), :mod:`.results`, :mod:`.period` (one period ranked on
values), :mod:`.cumulative` (the cumulative period on summed points), :mod:`.board` (a
whole board from observations) and :mod:`.warning_rules`; everything public is imported
here, so callers import from :mod:`jiandu.boards.ranking`.

Nothing here touches Django or a database: the spec, the values and every result are
dataclasses that convert to and from JSON-ready dicts, so a monthly close can store a
snapshot and re-read it later (e.g. to look for two consecutive months last).
"""

from __future__ import annotations

from jiandu.boards.ranking.board import rank_board
from jiandu.boards.ranking.formats import (
    format_number,
    join_month_labels,
    month_label,
    months_label,
    parse_month,
    quarter_of,
    to_decimal,
)
from jiandu.boards.ranking.period import rank_by_score, rank_period, score_indicator
from jiandu.boards.ranking.results import (
    BoardResult,
    CellResult,
    PeriodResult,
    Placement,
    UnitResult,
)
from jiandu.boards.ranking.spec import (
    DEFAULT_YELLOW_LABEL,
    PREVIOUS_RANK,
    PREVIOUS_RANK_LABEL,
    BoardError,
    BoardSpec,
    Colour,
    ColourSettings,
    Component,
    CumulativeMode,
    Direction,
    Indicator,
    LastPlaceRule,
    MissingPolicy,
    MissingValue,
    MissingValuesError,
    Observation,
    PeriodKind,
    RankingBasis,
    SpecError,
    ValueInputError,
    ValueProblem,
    WarningKind,
    describe_missing,
    tie_breaker_label,
)
from jiandu.boards.ranking.warning_rules import (
    BottomList,
    Evidence,
    LastPlace,
    WarningFinding,
    bottom_list,
    consecutive_last,
    cumulative_bottom,
    last_place,
    last_units,
    lowest_composites,
    quarter_last,
)

__all__ = [
    "DEFAULT_YELLOW_LABEL",
    "PREVIOUS_RANK",
    "PREVIOUS_RANK_LABEL",
    "BoardError",
    "BoardResult",
    "BoardSpec",
    "BottomList",
    "CellResult",
    "Colour",
    "ColourSettings",
    "Component",
    "CumulativeMode",
    "Direction",
    "Evidence",
    "Indicator",
    "LastPlace",
    "LastPlaceRule",
    "MissingPolicy",
    "MissingValue",
    "MissingValuesError",
    "Observation",
    "PeriodKind",
    "PeriodResult",
    "Placement",
    "RankingBasis",
    "SpecError",
    "UnitResult",
    "ValueInputError",
    "ValueProblem",
    "WarningFinding",
    "WarningKind",
    "bottom_list",
    "consecutive_last",
    "cumulative_bottom",
    "describe_missing",
    "format_number",
    "join_month_labels",
    "last_place",
    "last_units",
    "lowest_composites",
    "month_label",
    "months_label",
    "parse_month",
    "quarter_last",
    "quarter_of",
    "rank_board",
    "rank_by_score",
    "rank_period",
    "score_indicator",
    "tie_breaker_label",
    "to_decimal",
]
