"""The rules of the follow-up work, in one place (docs/user-guide/followup.md states
them in words). The periods themselves are rows of the deadline table (core), added by
:mod:`jiandu.followup.reference`; here are their step names and which outcomes they
apply to."""

from __future__ import annotations

from jiandu.clues.choices import Conclusion, OutcomeKind, OutcomeSubtype

ACCEPTANCE_STEP = "followup.acceptance_notice"
RESULT_STEP = "followup.result_feedback"
PERSONNEL_STEP = "followup.personnel_change"
VISIT_STEP = "followup.visit"

# Outcomes followed through (处分执行, 回访教育): the two kinds of sanction.
SANCTION_KINDS = (OutcomeKind.PARTY_DISCIPLINE, OutcomeKind.GOVERNMENT_SANCTION)

# 降级 and above: the sanctions after which the person's post (级别) and pay change.
# 政务处分: 降级, 撤职, 开除. 党纪处分: 撤销党内职务, 留党察看 and 开除党籍 — each removes
# the person's posts (党内职务 at once; the 党外职务 by the proposal the rules require)
# and with them the pay of the post, so the same changes follow.
PERSONNEL_SUBTYPES = (
    OutcomeSubtype.GOV_DEMOTION,
    OutcomeSubtype.GOV_DISMISSAL_FROM_POST,
    OutcomeSubtype.GOV_EXPULSION,
    OutcomeSubtype.PARTY_POST_REVOKED,
    OutcomeSubtype.PARTY_PROBATION,
    OutcomeSubtype.PARTY_EXPULSION,
)

# 澄清正名 follows a finding that what was reported is untrue, in whole or in part.
CLARIFIABLE_CONCLUSIONS = (Conclusion.UNSUBSTANTIATED, Conclusion.PARTLY_SUBSTANTIATED)

# step, label, period kind, length, basis
DEADLINE_RULES = [
    (
        ACCEPTANCE_STEP,
        "实名举报受理告知",
        "workdays",
        15,
        "《纪检监察机关处理检举控告工作规则》：对实名检举控告，应当在收到之日起15个工作日内"
        "告知检举控告人受理情况",
    ),
    (
        RESULT_STEP,
        "实名举报结果反馈",
        "workdays",
        15,
        "《纪检监察机关处理检举控告工作规则》：实名检举控告办理完毕的，应当在办结之日起15个"
        "工作日内向检举控告人反馈办理结果",
    ),
    (
        PERSONNEL_STEP,
        "降级以上处分的职务、工资变更",
        "months",
        1,
        "受到降级、撤职、开除（及撤销党内职务、留党察看、开除党籍）处分的，自处分决定作出之日起"
        "一个月内办理职务、工资及其他有关待遇的变更手续",
    ),
    (
        VISIT_STEP,
        "受处分人员回访教育（建议计划日期）",
        "months",
        6,
        "处分决定作出后6个月内对受处分人员开展回访教育（本平台安排回访时的默认计划日期，可调整）",
    ),
]
