"""Every effect-period rule and edge date (jiandu.dossiers.periods)."""

import datetime as dt

import pytest

from jiandu.dossiers.periods import (
    PERIOD_TABLES,
    ClueMatter,
    PeriodRule,
    PeriodTable,
    RecordError,
    Sanction,
    SanctionKind,
    add_months,
    award_blockers,
    draft_opinion,
    effect_period,
    in_effect,
    open_matters,
    table_for,
)

D = dt.date
P = SanctionKind.PARTY
G = SanctionKind.GOVERNMENT


def until(kind, category, decided, *, as_of=None, **kw):
    s = Sanction(kind=kind, category=category, decided_on=decided, **kw)
    period = effect_period(s, as_of or D(2099, 1, 1))
    return None if period is None else period.until


@pytest.mark.parametrize(
    ("category", "months"),
    [("警告", 6), ("记过", 12), ("记大过", 18), ("降级", 24), ("撤职", 24)],
)
def test_government_sanction_periods(category, months):
    assert until(G, category, D(2026, 3, 10)) == add_months(D(2026, 3, 10), months)


def test_government_periods_exact_dates():
    assert until(G, "警告", D(2026, 3, 10)) == D(2026, 9, 10)
    assert until(G, "记过", D(2026, 3, 10)) == D(2027, 3, 10)
    assert until(G, "记大过", D(2026, 3, 10)) == D(2027, 9, 10)
    assert until(G, "降级", D(2026, 3, 10)) == D(2028, 3, 10)
    assert until(G, "撤职", D(2026, 3, 10)) == D(2028, 3, 10)


def test_government_expulsion_has_no_end():
    s = Sanction(kind=G, category="开除", decided_on=D(2020, 1, 1))
    period = effect_period(s, D(2090, 1, 1))
    assert period.until is None and period.natural_until is None
    assert in_effect([s], D(2090, 1, 1))


def test_party_sanction_periods():
    assert until(P, "警告", D(2018, 6, 12)) == D(2019, 6, 12)
    assert until(P, "严重警告", D(2018, 6, 12)) == D(2019, 12, 12)
    assert until(P, "撤销党内职务", D(2018, 6, 12)) == D(2020, 6, 12)
    assert until(P, "开除党籍", D(2018, 6, 12)) == D(2023, 6, 12)


@pytest.mark.parametrize(("months", "end"), [(12, D(2025, 5, 20)), (24, D(2026, 5, 20))])
def test_probation_uses_its_recorded_period(months, end):
    assert until(P, "留党察看", D(2024, 5, 20), period_months=months) == end


@pytest.mark.parametrize("months", [None, 6, 18, 36])
def test_probation_needs_12_or_24_months(months):
    s = Sanction(kind=P, category="留党察看", decided_on=D(2024, 5, 20), period_months=months)
    with pytest.raises(RecordError, match="12 或 24"):
        effect_period(s, D(2025, 1, 1))


def test_a_period_on_anything_but_probation_is_refused():
    s = Sanction(kind=G, category="记过", decided_on=D(2024, 5, 20), period_months=12)
    with pytest.raises(RecordError, match="只有留党察看"):
        effect_period(s, D(2025, 1, 1))


def test_unknown_category_is_refused_with_the_known_ones():
    s = Sanction(kind=P, category="记过", decided_on=D(2024, 5, 20))
    with pytest.raises(RecordError, match="严重警告"):
        effect_period(s, D(2025, 1, 1))


# ---- month ends (民法典 第二百零二条)


def test_jan_31_plus_one_month_is_the_last_day_of_february():
    assert add_months(D(2026, 1, 31), 1) == D(2026, 2, 28)
    assert add_months(D(2028, 1, 31), 1) == D(2028, 2, 29)  # leap year


def test_feb_29_plus_twelve_months_is_feb_28():
    assert until(P, "警告", D(2024, 2, 29)) == D(2025, 2, 28)
    assert until(P, "撤销党内职务", D(2024, 2, 29)) == D(2026, 2, 28)
    # 48 months on it is a leap year again: the corresponding day exists
    assert add_months(D(2024, 2, 29), 48) == D(2028, 2, 29)


def test_month_end_into_a_leap_february():
    assert until(G, "警告", D(2027, 8, 31)) == D(2028, 2, 29)
    assert until(G, "警告", D(2026, 8, 31)) == D(2027, 2, 28)
    assert until(G, "记大过", D(2026, 8, 31)) == D(2028, 2, 29)


def test_thirty_first_into_a_thirty_day_month():
    assert until(G, "警告", D(2025, 10, 31)) == D(2026, 4, 30)


def test_the_last_day_is_in_effect_and_the_next_is_not():
    s = Sanction(kind=G, category="警告", decided_on=D(2026, 1, 31))
    assert effect_period(s, D(2026, 7, 31)).until == D(2026, 7, 31)
    assert in_effect([s], D(2026, 1, 31))  # the first day
    assert in_effect([s], D(2026, 7, 31))  # the last day
    assert not in_effect([s], D(2026, 8, 1))
    assert not in_effect([s], D(2026, 1, 30))


def test_periods_do_not_move_for_holidays():
    # 2026-10-01 is 国庆节: a deadline would move, an effect period does not
    assert until(G, "警告", D(2026, 4, 1)) == D(2026, 10, 1)


def test_effective_date_other_than_the_decision():
    s = Sanction(kind=G, category="警告", decided_on=D(2026, 3, 1), effective_on=D(2026, 3, 5))
    period = effect_period(s, D(2026, 3, 3))
    assert period.start == D(2026, 3, 5) and period.until == D(2026, 9, 5)
    assert not in_effect([s], D(2026, 3, 3))
    assert in_effect([s], D(2026, 3, 5))


# ---- lifted early, annulled


def test_lifted_early_ends_the_day_before_the_lift():
    s = Sanction(kind=G, category="记大过", decided_on=D(2025, 1, 10), lifted_on=D(2025, 9, 1))
    period = effect_period(s, D(2025, 12, 1))
    assert period.natural_until == D(2026, 7, 10)
    assert period.until == D(2025, 8, 31)
    assert in_effect([s], D(2025, 8, 31))
    assert not in_effect([s], D(2025, 9, 1))


def test_a_lift_after_the_natural_end_changes_nothing():
    s = Sanction(kind=G, category="警告", decided_on=D(2025, 1, 10), lifted_on=D(2025, 12, 1))
    assert effect_period(s, D(2026, 1, 1)).until == D(2025, 7, 10)


def test_lift_on_or_before_the_decision_is_refused():
    for lifted in (D(2025, 1, 10), D(2025, 1, 9)):
        s = Sanction(kind=G, category="警告", decided_on=D(2025, 1, 10), lifted_on=lifted)
        with pytest.raises(RecordError, match="应晚于决定日期"):
            effect_period(s, D(2026, 1, 1))


def test_lifting_ends_even_an_expulsion_with_no_end():
    s = Sanction(kind=G, category="开除", decided_on=D(2020, 1, 1), lifted_on=D(2021, 1, 1))
    assert effect_period(s, D(2022, 1, 1)).until == D(2020, 12, 31)


def test_an_annulled_sanction_counts_for_nothing():
    s = Sanction(kind=P, category="警告", decided_on=D(2018, 6, 1), annulled=True)
    assert effect_period(s, D(2018, 7, 1)) is None
    assert award_blockers([s], 2018, D(2018, 12, 31)) == []
    opinion = draft_opinion(sanctions=[s], clues=[], as_of=D(2018, 7, 1), purpose="评先评优")
    assert opinion.verdict == "无影响" and opinion.eligible_for_award


def test_annulled_later_still_counted_as_of_before_the_annulment():
    s = Sanction(kind=P, category="警告", decided_on=D(2018, 6, 1), annulled_on=D(2018, 9, 1))
    assert in_effect([s], D(2018, 8, 31))
    assert not in_effect([s], D(2018, 9, 1))
    assert award_blockers([s], 2018, D(2018, 8, 31)) == [s]
    assert award_blockers([s], 2018, D(2018, 12, 31)) == []


# ---- 评先评优


def test_seed_001_party_warning_in_june_2018_not_eligible_for_2018():
    s = Sanction(kind=P, category="警告", decided_on=D(2018, 6, 15))
    opinion = draft_opinion(
        sanctions=[s], clues=[], as_of=D(2019, 8, 1), purpose="年度考核", award_year=2018
    )
    assert not opinion.eligible_for_award
    assert "2018年度不能评先评优" in opinion.text()
    # still in effect in 2019-06, not on 2019-08-01
    assert opinion.in_effect == ()
    assert opinion.verdict == "无影响"  # ineligibility decides only for 评先评优
    award = draft_opinion(
        sanctions=[s], clues=[], as_of=D(2019, 8, 1), purpose="评先评优", award_year=2018
    )
    assert award.verdict == "有影响"


def test_award_ineligibility_is_by_calendar_year_of_the_decision():
    dec31 = Sanction(kind=G, category="警告", decided_on=D(2018, 12, 31))
    jan1 = Sanction(kind=G, category="警告", decided_on=D(2019, 1, 1))
    assert award_blockers([dec31, jan1], 2018, D(2019, 12, 31)) == [dec31]
    assert award_blockers([dec31, jan1], 2019, D(2019, 12, 31)) == [jan1]
    assert award_blockers([dec31, jan1], 2020, D(2020, 12, 31)) == []


def test_a_lifted_sanction_still_blocks_that_years_award():
    s = Sanction(kind=G, category="记过", decided_on=D(2025, 2, 1), lifted_on=D(2025, 5, 1))
    assert award_blockers([s], 2025, D(2025, 12, 31)) == [s]


def test_award_year_defaults_to_the_as_of_year():
    s = Sanction(kind=G, category="警告", decided_on=D(2026, 2, 1))
    assert draft_opinion(sanctions=[s], clues=[], as_of=D(2026, 12, 1), purpose="评先评优")\
        .award_year == 2026  # fmt: skip


# ---- as of


def test_as_of_ignores_later_decisions_lifts_and_clues():
    s = Sanction(kind=G, category="记过", decided_on=D(2026, 1, 10), lifted_on=D(2026, 8, 1))
    later = Sanction(kind=P, category="严重警告", decided_on=D(2026, 7, 1))
    clue = ClueMatter(stage="立案审查", decided_on=D(2026, 7, 2))
    before = draft_opinion(sanctions=[s, later], clues=[clue], as_of=D(2026, 6, 30),
                           purpose="提拔任用")  # fmt: skip
    # the lift of 08-01 is not known on 06-30: the natural end is shown
    assert [(p.sanction.category, p.until) for p in before.in_effect] == [("记过", D(2027, 1, 10))]
    assert before.open_matters == ()
    after = draft_opinion(sanctions=[s, later], clues=[clue], as_of=D(2026, 8, 15),
                          purpose="提拔任用")  # fmt: skip
    assert [p.sanction.category for p in after.in_effect] == ["严重警告"]
    assert len(after.open_matters) == 1
    # the same question asked again gives the same answer
    again = draft_opinion(sanctions=[s, later], clues=[clue], as_of=D(2026, 6, 30),
                          purpose="提拔任用")  # fmt: skip
    assert again == before


def test_a_decision_on_the_as_of_day_counts():
    s = Sanction(kind=G, category="警告", decided_on=D(2026, 6, 30))
    assert in_effect([s], D(2026, 6, 30))
    assert not in_effect([s], D(2026, 6, 29))


# ---- open matters


@pytest.mark.parametrize(
    ("stage", "open_"),
    [("初步核实", True), ("立案审查", True), ("谈话函询", False), ("暂存待查", False),
     ("予以了结", False)],
)  # fmt: skip
def test_only_verification_and_case_review_are_open_matters(stage, open_):
    clue = ClueMatter(stage=stage, decided_on=D(2026, 1, 5))
    assert bool(open_matters([clue], D(2026, 6, 1))) is open_


def test_closed_clues_are_not_open_matters_unless_closed_after_the_as_of_date():
    closed = ClueMatter(stage="初步核实", decided_on=D(2026, 1, 5), closed=True)
    assert open_matters([closed], D(2026, 6, 1)) == []
    dated = ClueMatter(stage="初步核实", decided_on=D(2026, 1, 5), closed=True,
                       closed_on=D(2026, 3, 1))  # fmt: skip
    assert open_matters([dated], D(2026, 2, 28)) == [dated]
    assert open_matters([dated], D(2026, 3, 1)) == []


def test_unknown_clue_stage_is_refused():
    with pytest.raises(RecordError, match="处置方式"):
        open_matters([ClueMatter(stage="立案", decided_on=D(2026, 1, 5))], D(2026, 6, 1))


def test_open_matter_makes_the_opinion_have_impact():
    clue = ClueMatter(stage="初步核实", decided_on=D(2026, 1, 5))
    opinion = draft_opinion(sanctions=[], clues=[clue], as_of=D(2026, 6, 1), purpose="提拔任用")
    assert opinion.verdict == "有影响"
    assert "正在核查" in opinion.text()


def test_nothing_found_reads_as_such():
    opinion = draft_opinion(sanctions=[], clues=[], as_of=D(2026, 6, 1), purpose="后备干部")
    assert opinion.verdict == "无影响"
    assert opinion.text() == "未发现影响使用的问题。"


def test_unknown_purpose_is_refused():
    with pytest.raises(RecordError, match="用途"):
        draft_opinion(sanctions=[], clues=[], as_of=D(2026, 6, 1), purpose="晋升")


# ---- the table


def test_every_rule_cites_an_article():
    for table in PERIOD_TABLES:
        for rule in table.rules:
            assert "第" in rule.article and "条" in rule.article, rule
            assert rule.describe()


def test_the_table_in_force_on_the_effective_date_applies():
    old = PERIOD_TABLES[0]
    new = PeriodTable(
        version="test",
        valid_from=D(2030, 1, 1),
        title="test",
        rules=(PeriodRule(G, "警告", 3, "测试第一条", "三个月"),),
        award_article="",
    )
    tables = (old, new)
    assert table_for(D(2029, 12, 31), tables) is old
    assert table_for(D(2030, 1, 1), tables) is new
    before = Sanction(kind=G, category="警告", decided_on=D(2029, 12, 31))
    after = Sanction(kind=G, category="警告", decided_on=D(2030, 1, 1))
    assert effect_period(before, D(2031, 1, 1), tables).until == D(2030, 6, 30)
    assert effect_period(after, D(2031, 1, 1), tables).until == D(2030, 4, 1)


def test_dates_outside_the_calculable_range_are_refused():
    for day in (D(1949, 12, 31), D(2100, 1, 1)):
        with pytest.raises(RecordError, match="超出可计算的范围"):
            effect_period(Sanction(kind=G, category="警告", decided_on=day), D(2026, 1, 1))
        with pytest.raises(RecordError, match="超出可计算的范围"):
            open_matters([ClueMatter(stage="初步核实", decided_on=day)], D(2026, 1, 1))
    # the last calculable day still has its period (开除党籍: 60 months on)
    far = Sanction(kind=P, category="开除党籍", decided_on=D(2099, 12, 31))
    assert effect_period(far, D(2099, 12, 31)).until == D(2104, 12, 31)
