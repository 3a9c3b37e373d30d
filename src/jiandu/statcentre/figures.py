"""The statistics centre's own figures over the case registry (petitions, clues,
outcomes, 通报曝光). Each 口径 here is the text shown on hover and copied into
docs/glossary.md and docs/user-guide/statistics.md; the condition below it is the same
rule in code. Dates are closed ranges [start, end]; a petition's 办结时间 is a moment,
compared with the start of the day after ``end`` in the platform's time zone."""

from __future__ import annotations

import datetime as dt

from django.db.models import Q
from django.utils import timezone

from jiandu.clues.choices import ClueSource, DisciplineForm, DisposalMethod, OutcomeKind
from jiandu.clues.models import Clue, ExposureBatch, ExposureCase, Outcome, Petition
from jiandu.core.figures import CountFigure, RatioFigure, register

PETITIONS = "信访举报"
CLUES = "问题线索"
OUTCOMES = "四种形态与处理处分"
EXPOSURE = "通报曝光"


def day_start(day: dt.date) -> dt.datetime:
    """The first moment of ``day`` in the platform's time zone."""
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def _received(start: dt.date, end: dt.date, **extra: object) -> Q:
    return Q(received_date__range=(start, end), **extra)


def _closed_by(end: dt.date) -> Q:
    return Q(closed_at__lt=day_start(end + dt.timedelta(days=1)))


def _backlog(start: dt.date, end: dt.date) -> Q:
    return Q(received_date__lt=start) & (
        Q(closed_at__isnull=True) | Q(closed_at__gte=day_start(start))
    )


def _backlog_resolved(start: dt.date, end: dt.date) -> Q:
    return _backlog(start, end) & Q(closed_at__gte=day_start(start)) & _closed_by(end)


def _petition(key: str, label: str, definition: str, condition, **kw: object) -> CountFigure:  # type: ignore[no-untyped-def]
    return CountFigure(
        key=key,
        label=label,
        unit="件",
        group=PETITIONS,
        definition=definition,
        model=Petition,
        org_field="received_org",
        date_field="received_date",
        date_label="受理日期",
        condition=condition,
        **kw,  # type: ignore[arg-type]
    )


def _register_petitions() -> None:
    register(_petition(
        "petitions_received", "检举控告", "受理日期在期间内登记的信访举报件数（本平台登记的信访件均为检举控告类），按登记单位计。",  # noqa: E501
        lambda s, e: _received(s, e),
    ))  # fmt: skip
    register(_petition(
        "petitions_first", "初信初访", "其中初信初访的件数：同一举报人（或同一被反映人且标题相似）此前一年内没有信访件。",  # noqa: E501
        lambda s, e: _received(s, e, is_first_time=True),
    ))  # fmt: skip
    register(_petition(
        "petitions_repeat", "重复举报", "其中被识别为重复举报（指向一年内更早的同一事项）的件数。",
        lambda s, e: _received(s, e, repeat_of__isnull=False),
    ))  # fmt: skip
    register(_petition(
        "petitions_real_name", "实名举报", "其中实名举报的件数。",
        lambda s, e: _received(s, e, is_real_name=True),
    ))  # fmt: skip
    register(RatioFigure(
        key="real_name_share", label="实名举报占比（鼓励实名）", group=PETITIONS,
        numerator="petitions_real_name", denominator="petitions_received",
        definition="实名举报 ÷ 检举控告。",
    ))  # fmt: skip
    register(_petition(
        "petitions_closed", "检举控告办结", "受理日期在期间内、且在期末之前办结（转为问题线索、转办或存档了结）的件数。",  # noqa: E501
        lambda s, e: _received(s, e) & _closed_by(e), daily=False,
    ))  # fmt: skip
    register(RatioFigure(
        key="closed_rate", label="检举控告办结率", group=PETITIONS,
        numerator="petitions_closed", denominator="petitions_received",
        definition="检举控告办结 ÷ 检举控告。",
    ))  # fmt: skip
    register(_petition(
        "petitions_first_closed", "初信初访办结", "受理日期在期间内的初信初访中，在期末之前办结的件数。",  # noqa: E501
        lambda s, e: _received(s, e, is_first_time=True) & _closed_by(e), daily=False,
    ))  # fmt: skip
    register(RatioFigure(
        key="first_closed_rate", label="初信初访办结率", group=PETITIONS,
        numerator="petitions_first_closed", denominator="petitions_first",
        definition="初信初访办结 ÷ 初信初访。",
    ))  # fmt: skip
    # its own envelope, same scan; composed from daily parts (statcentre.aggregate)
    backlog = {"query_key": "backlog", "envelope": _backlog, "daily": False}
    register(CountFigure(
        key="petitions_backlog", label="信访积案", unit="件", group=PETITIONS,
        definition="期初积案：受理日期在期间开始之前、到期间开始时仍未办结的信访件数，按登记单位计。",
        model=Petition, org_field="received_org", date_field="received_date", date_label="受理日期",
        condition=_backlog, **backlog,  # type: ignore[arg-type]
    ))  # fmt: skip
    register(CountFigure(
        key="petitions_backlog_resolved", label="积案化解", unit="件", group=PETITIONS,
        definition="期初积案中在期间内办结的件数。",
        model=Petition, org_field="received_org", date_field="closed_at", date_label="办结时间",
        condition=_backlog_resolved, **backlog,  # type: ignore[arg-type]
    ))  # fmt: skip
    register(RatioFigure(
        key="backlog_rate", label="积案化解率", group=PETITIONS,
        numerator="petitions_backlog_resolved", denominator="petitions_backlog",
        definition="积案化解 ÷ 信访积案。",
    ))  # fmt: skip


def _clue(key: str, label: str, definition: str, field: str, date_label: str,
          org_field: str, **extra: object) -> CountFigure:  # fmt: skip
    def condition(start: dt.date, end: dt.date) -> Q:
        return Q(**{f"{field}__range": (start, end)}, **extra)

    return CountFigure(
        key=key,
        label=label,
        unit="件",
        group=CLUES,
        definition=definition,
        model=Clue,
        org_field=org_field,
        date_field=field,
        date_label=date_label,
        condition=condition,
    )


def _register_clues() -> None:
    register(_clue("clues_received", "受理问题线索", "受理日期在期间内的问题线索件数，按登记单位计。",  # noqa: E501
                   "received_date", "受理日期", "registered_org"))  # fmt: skip
    for source in ClueSource:
        register(_clue(
            f"clues_source_{source.value}", f"其中来源：{source.label}",
            f"受理问题线索中线索来源为“{source.label}”的件数（各来源之和等于受理问题线索）。",
            "received_date", "受理日期", "registered_org", source=source.value,
        ))  # fmt: skip
    register(_clue("clues_disposed", "处置问题线索", "处置日期（首次作出处置决定）在期间内的问题线索件数，按承办单位计。",  # noqa: E501
                   "disposed_at", "处置日期", "handling_org"))  # fmt: skip
    for method in DisposalMethod:
        register(_clue(
            f"clues_disposal_{method.value}", f"其中处置方式：{method.label}",
            f"处置问题线索中当前处置方式为“{method.label}”的件数（各处置方式之和等于处置问题线索）。",
            "disposed_at", "处置日期", "handling_org", disposal_method=method.value,
        ))  # fmt: skip
    register(RatioFigure(
        key="case_filing_rate", label="成案率", group=CLUES,
        numerator=f"clues_disposal_{DisposalMethod.CASE_FILED.value}", denominator="clues_disposed",
        definition="处置方式为立案审查的问题线索 ÷ 处置问题线索（同一期间、按处置日期）。",
    ))  # fmt: skip
    register(_clue("clues_closed", "办结问题线索", "办结日期在期间内的问题线索件数，按承办单位计。",
                   "closed_at", "办结日期", "handling_org"))  # fmt: skip


def _outcome(key: str, label: str, definition: str, unit: str = "人次", sum_field: str = "",
             **extra: object) -> CountFigure:  # fmt: skip
    def condition(start: dt.date, end: dt.date) -> Q:
        return Q(decision_date__range=(start, end), archived_at__isnull=True, **extra)

    return CountFigure(
        key=key,
        label=label,
        unit=unit,
        group=OUTCOMES,
        definition=definition,
        model=Outcome,
        org_field="decided_by",
        date_field="decision_date",
        date_label="决定日期",
        condition=condition,
        sum_field=sum_field,
    )


FORM_KEYS = [f"discipline_form_{form.value}" for form in DisciplineForm]
KIND_KEYS = [
    OutcomeKind.CRITICISM,
    OutcomeKind.ORGANISATIONAL,
    OutcomeKind.ACCOUNTABILITY,
    OutcomeKind.PARTY_DISCIPLINE,
    OutcomeKind.GOVERNMENT_SANCTION,
    OutcomeKind.JUDICIAL_TRANSFER,
]


def _register_outcomes() -> None:
    register(_outcome(
        "discipline_forms", "运用四种形态", "决定日期在期间内、未作废的处理结果中计入四种形态的人次，按决定单位计（澄清正名、诬告陷害查处不计形态）。",  # noqa: E501
        discipline_form__isnull=False,
    ))  # fmt: skip
    for form in DisciplineForm:
        register(_outcome(
            f"discipline_form_{form.value}", f"其中{form.label}",
            f"运用四种形态中属于{form.label}的人次（四种形态之和等于运用四种形态）。",
            discipline_form=form.value,
        ))  # fmt: skip
    register(RatioFigure(
        key="first_form_share", label="第一种形态占比", group=OUTCOMES,
        numerator="discipline_form_1", denominator="discipline_forms",
        definition="第一种形态 ÷ 运用四种形态。",
    ))  # fmt: skip
    for kind in KIND_KEYS:
        register(_outcome(
            f"outcome_{kind.value}", f"处理：{kind.label}",
            f"决定日期在期间内、未作废的处理类别为“{kind.label}”的处理结果人次，按决定单位计。",
            kind=kind.value,
        ))  # fmt: skip
    register(_outcome(
        "funds_recovered", "追缴挽回资金", "决定日期在期间内、未作废的处理结果登记的追缴挽回资金之和（元，保留两位小数），按决定单位计。",  # noqa: E501
        unit="元", sum_field="funds_recovered",
    ))  # fmt: skip


def _register_exposure() -> None:
    register(CountFigure(
        key="exposure_batches", label="通报曝光批次", unit="批", group=EXPOSURE,
        definition="通报日期在期间内的通报曝光批次数，按通报单位计。",
        model=ExposureBatch, org_field="org", date_field="published_on", date_label="通报日期",
        condition=lambda s, e: Q(published_on__range=(s, e)),
    ))  # fmt: skip
    register(CountFigure(
        key="exposure_cases", label="通报曝光典型问题", unit="起", group=EXPOSURE,
        definition="通报日期在期间内的批次中的典型问题起数，按通报单位计。",
        model=ExposureCase, org_field="batch__org", date_field="batch__published_on",
        date_label="通报日期",
        condition=lambda s, e: Q(batch__published_on__range=(s, e)),
    ))  # fmt: skip
    through = ExposureCase.persons.through
    register(CountFigure(
        key="exposure_persons", label="通报曝光人次", unit="人次", group=EXPOSURE,
        definition="通报日期在期间内的典型问题所涉人员人次（一人在两起问题中计两次），按通报单位计。",
        model=through, org_field="exposurecase__batch__org",
        date_field="exposurecase__batch__published_on", date_label="通报日期",
        condition=lambda s, e: Q(exposurecase__batch__published_on__range=(s, e)),
    ))  # fmt: skip


_register_petitions()
_register_clues()
_register_outcomes()
_register_exposure()
