"""The forms of the upward returns (统计报表), as data: a form is a title, a period
kind and rows; a row is a section heading or a figure key. The .xlsx export and the
page both follow the rows in order. Returns store counts only; the ratio rows are
computed from the stored counts (so a consolidated return's rates are its own, not
sums of rates)."""

from __future__ import annotations

from dataclasses import dataclass

from jiandu.statcentre.periods import MONTH, QUARTER

HEADING = "#"


@dataclass(frozen=True)
class FormLayout:
    code: str
    title: str
    period_kind: str
    rows: tuple[str, ...]  # figure keys; "#标题" is a section heading


_PETITIONS = (
    "#一、信访举报",
    "petitions_received",
    "petitions_first",
    "petitions_repeat",
    "petitions_real_name",
    "real_name_share",
    "petitions_closed",
    "closed_rate",
    "petitions_first_closed",
    "first_closed_rate",
    "petitions_backlog",
    "petitions_backlog_resolved",
    "backlog_rate",
)
_CLUES = (
    "#二、问题线索",
    "clues_received",
    "clues_source_petition",
    "clues_source_inspection",
    "clues_source_audit",
    "clues_source_supervision",
    "clues_source_datacheck",
    "clues_source_higher_assigned",
    "clues_source_other",
    "clues_disposed",
    "clues_disposal_talk_inquiry",
    "clues_disposal_preliminary_verification",
    "clues_disposal_shelved",
    "clues_disposal_dismissed",
    "clues_disposal_case_filed",
    "case_filing_rate",
    "clues_closed",
)
_OUTCOMES = (
    "#三、运用四种形态",
    "discipline_forms",
    "discipline_form_1",
    "discipline_form_2",
    "discipline_form_3",
    "discipline_form_4",
    "first_form_share",
)
_SANCTIONS = (
    "#四、处理处分与追缴资金",
    "outcome_criticism",
    "outcome_organisational",
    "outcome_accountability",
    "outcome_party_discipline",
    "outcome_government_sanction",
    "outcome_judicial_transfer",
    "funds_recovered",
)
_EXPOSURE = ("#五、通报曝光", "exposure_batches", "exposure_cases", "exposure_persons")

LAYOUTS: dict[str, FormLayout] = {
    "monthly": FormLayout(
        "monthly", "纪检监察信访举报和监督执纪情况月报表", MONTH, (*_PETITIONS, *_CLUES, *_OUTCOMES)
    ),
    "quarterly": FormLayout(
        "quarterly",
        "纪检监察监督执纪审查情况季报表",
        QUARTER,
        (*_PETITIONS, *_CLUES, *_OUTCOMES, *_SANCTIONS, *_EXPOSURE),
    ),
}


def layout(code: str) -> FormLayout:
    try:
        return LAYOUTS[code]
    except KeyError:
        raise KeyError(f"未知的报表“{code}”") from None
