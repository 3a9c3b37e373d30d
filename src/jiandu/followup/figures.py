"""The follow-up figures of the statistics centre (统计中心): 实名举报满意率 and the 三名
counts 澄清正名 and 严查诬名. Each is the set the follow-up selectors count
(``satisfaction_records``, ``clarification_records``, ``false_accusation_records``), so a
figure and its drill-down are the same records."""

from __future__ import annotations

import datetime as dt

from django.db.models import Q

from jiandu.core.figures import CountFigure, RatioFigure, register
from jiandu.followup.choices import SATISFIED_REPLIES, FeedbackKind
from jiandu.followup.models import Clarification, FalseAccusation, FeedbackStep

PETITIONS = "信访举报"
THREE_NAMES = "三名"


def _replies(start: dt.date, end: dt.date) -> Q:
    return Q(kind=FeedbackKind.RESULT, reply_on__range=(start, end)) & ~Q(reply="")


register(CountFigure(
    key="feedback_replies", label="实名举报人评价", unit="件", group=PETITIONS,
    definition="评价日期在期间内、实名举报人对结果反馈作出的评价（满意、基本满意、不满意）件数，按反馈单位计。",
    model=FeedbackStep, org_field="unit", date_field="reply_on", date_label="评价日期",
    condition=_replies,
))  # fmt: skip
register(CountFigure(
    key="feedback_satisfied", label="满意（含基本满意）评价", unit="件", group=PETITIONS,
    definition="其中评价为满意或基本满意的件数。",
    model=FeedbackStep, org_field="unit", date_field="reply_on", date_label="评价日期",
    condition=lambda s, e: _replies(s, e) & Q(reply__in=SATISFIED_REPLIES),
))  # fmt: skip
register(RatioFigure(
    key="real_name_satisfaction_rate", label="实名举报满意率", group=PETITIONS,
    numerator="feedback_satisfied", denominator="feedback_replies",
    definition="满意（含基本满意）评价 ÷ 实名举报人评价。",
))  # fmt: skip
register(CountFigure(
    key="clarifications", label="澄清正名", unit="次", group=THREE_NAMES,
    definition="澄清日期在期间内为受到不实反映的干部澄清正名的次数（通报或会议），按澄清单位计。",
    model=Clarification, org_field="org", date_field="held_on", date_label="澄清日期",
    condition=lambda s, e: Q(held_on__range=(s, e)),
))  # fmt: skip
register(CountFigure(
    key="false_accusations", label="严查诬名", unit="起", group=THREE_NAMES,
    definition="认定日期在期间内查实的诬告陷害、错告件数，按查处单位计。",
    model=FalseAccusation, org_field="org", date_field="found_on", date_label="认定日期",
    condition=lambda s, e: Q(found_on__range=(s, e)),
))  # fmt: skip
