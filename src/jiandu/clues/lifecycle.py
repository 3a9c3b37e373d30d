"""The case registry's lifecycles as data.

One table of legal moves per record type; services consult it and refuse anything else
with a message naming the move. Which fields an outcome needs, and which of the 四种形态
it falls in, are tables too.
"""

from __future__ import annotations

from dataclasses import dataclass

from jiandu.clues.choices import (
    ClueAction,
    ClueStatus,
    DisciplineForm,
    DisposalMethod,
    OutcomeKind,
    OutcomeSubtype,
    PetitionAction,
    PetitionStatus,
)


class TransitionError(Exception):
    """An illegal state change. The message names the move and why it is refused."""


# (status, action) -> new status
PETITION_TRANSITIONS: dict[tuple[str, str], str] = {
    (PetitionStatus.PENDING, PetitionAction.CONVERT): PetitionStatus.CONVERTED,
    (PetitionStatus.PENDING, PetitionAction.ASSIGN): PetitionStatus.PENDING,
    (PetitionStatus.PENDING, PetitionAction.TRANSFER): PetitionStatus.TRANSFERRED,
    (PetitionStatus.PENDING, PetitionAction.FILE): PetitionStatus.FILED,
}

# The triage (分办) actions: everything but registering.
TRIAGE_ACTIONS = frozenset(action for (_status, action) in PETITION_TRANSITIONS)

CLUE_TRANSITIONS: dict[tuple[str, str], str] = {
    (ClueStatus.RECEIVED, ClueAction.DISPOSE): ClueStatus.DISPOSING,
    (ClueStatus.RECEIVED, ClueAction.ESCALATE): ClueStatus.RECEIVED,
    (ClueStatus.RECEIVED, ClueAction.DIRECT_HANDLE): ClueStatus.RECEIVED,
    (ClueStatus.RECEIVED, ClueAction.ASSIGN_DOWN): ClueStatus.RECEIVED,
    (ClueStatus.DISPOSING, ClueAction.CHANGE_DISPOSAL): ClueStatus.DISPOSING,
    (ClueStatus.DISPOSING, ClueAction.ESCALATE): ClueStatus.DISPOSING,
    (ClueStatus.DISPOSING, ClueAction.DIRECT_HANDLE): ClueStatus.DISPOSING,
    (ClueStatus.DISPOSING, ClueAction.CLOSE): ClueStatus.CLOSED,
    # 延期: a later 办理期限 for the stage under way (received: to dispose; disposing).
    (ClueStatus.RECEIVED, ClueAction.EXTEND): ClueStatus.RECEIVED,
    (ClueStatus.DISPOSING, ClueAction.EXTEND): ClueStatus.DISPOSING,
}

# A disposal method may later turn into these (e.g. 初步核实 finds enough to 立案审查).
DISPOSAL_CHANGES: dict[str, frozenset[str]] = {
    DisposalMethod.SHELVED: frozenset(
        {
            DisposalMethod.PRELIMINARY_VERIFICATION,
            DisposalMethod.TALK_INQUIRY,
            DisposalMethod.DISMISSED,
        }
    ),
    DisposalMethod.TALK_INQUIRY: frozenset({DisposalMethod.PRELIMINARY_VERIFICATION}),
    DisposalMethod.PRELIMINARY_VERIFICATION: frozenset(
        {DisposalMethod.CASE_FILED, DisposalMethod.TALK_INQUIRY, DisposalMethod.SHELVED}
    ),
    DisposalMethod.DISMISSED: frozenset(),
    DisposalMethod.CASE_FILED: frozenset(),
}

# The deadline table's step (core.DeadlineRule.step) for each stage: the period itself
# is data (migration clues 0004), read when the stage starts and stored on the clue.
DEADLINE_STEPS: dict[str, str] = {
    ClueStatus.RECEIVED: "clues.received",
    DisposalMethod.TALK_INQUIRY: "clues.talk_inquiry",
    DisposalMethod.PRELIMINARY_VERIFICATION: "clues.preliminary_verification",
    DisposalMethod.SHELVED: "clues.shelved",
    DisposalMethod.DISMISSED: "clues.dismissed",
    DisposalMethod.CASE_FILED: "clues.case_filed",
}


@dataclass(frozen=True)
class CloseRequirement:
    conclusion_required: bool
    outcome_required: bool


# Which fields closing needs, by disposal method.
CLOSE_REQUIREMENTS: dict[str, CloseRequirement] = {
    DisposalMethod.TALK_INQUIRY: CloseRequirement(conclusion_required=True, outcome_required=False),
    DisposalMethod.PRELIMINARY_VERIFICATION: CloseRequirement(True, False),
    DisposalMethod.SHELVED: CloseRequirement(True, False),
    DisposalMethod.DISMISSED: CloseRequirement(True, False),
    DisposalMethod.CASE_FILED: CloseRequirement(True, True),
}

# Outcome kind -> the subtypes it takes (empty = none).
OUTCOME_SUBTYPES: dict[str, tuple[str, ...]] = {
    OutcomeKind.CRITICISM: (
        OutcomeSubtype.REMINDER_TALK,
        OutcomeSubtype.CRITICISM,
        OutcomeSubtype.ORDERED_REVIEW,
        OutcomeSubtype.ADMONISHMENT,
    ),
    OutcomeKind.ORGANISATIONAL: (
        OutcomeSubtype.SUSPENSION,
        OutcomeSubtype.POST_ADJUSTMENT,
        OutcomeSubtype.ORDERED_RESIGNATION,
        OutcomeSubtype.DEMOTION,
        OutcomeSubtype.REMOVAL,
    ),
    OutcomeKind.ACCOUNTABILITY: (
        OutcomeSubtype.ACC_REVIEW,
        OutcomeSubtype.ACC_CIRCULATE,
        OutcomeSubtype.ACC_ADMONISH,
        OutcomeSubtype.ACC_ORGANISATIONAL,
        OutcomeSubtype.ACC_DISCIPLINE,
    ),
    OutcomeKind.PARTY_DISCIPLINE: (
        OutcomeSubtype.PARTY_WARNING,
        OutcomeSubtype.PARTY_SERIOUS_WARNING,
        OutcomeSubtype.PARTY_POST_REVOKED,
        OutcomeSubtype.PARTY_PROBATION,
        OutcomeSubtype.PARTY_EXPULSION,
    ),
    OutcomeKind.GOVERNMENT_SANCTION: (
        OutcomeSubtype.GOV_WARNING,
        OutcomeSubtype.GOV_DEMERIT,
        OutcomeSubtype.GOV_MAJOR_DEMERIT,
        OutcomeSubtype.GOV_DEMOTION,
        OutcomeSubtype.GOV_DISMISSAL_FROM_POST,
        OutcomeSubtype.GOV_EXPULSION,
    ),
    OutcomeKind.JUDICIAL_TRANSFER: (),
    OutcomeKind.NAME_CLEARED: (),
    OutcomeKind.FALSE_ACCUSATION: (),
}

# Outcome kinds that must name a responsibility type (问责).
RESPONSIBILITY_REQUIRED = frozenset({OutcomeKind.ACCOUNTABILITY})
# Outcome kinds about a person other than a registered cadre may leave ``person`` empty.
PERSON_OPTIONAL = frozenset({OutcomeKind.FALSE_ACCUSATION})

# 四种形态: first = 批评教育 and light accountability; second = 党纪轻处分, 组织调整,
# light 政务处分; third = 党纪重处分, 重大职务调整; fourth = 移送司法机关.
FORM_BY_SUBTYPE: dict[str, int] = {
    OutcomeSubtype.REMINDER_TALK: DisciplineForm.FIRST,
    OutcomeSubtype.CRITICISM: DisciplineForm.FIRST,
    OutcomeSubtype.ORDERED_REVIEW: DisciplineForm.FIRST,
    OutcomeSubtype.ADMONISHMENT: DisciplineForm.FIRST,
    OutcomeSubtype.SUSPENSION: DisciplineForm.SECOND,
    OutcomeSubtype.POST_ADJUSTMENT: DisciplineForm.SECOND,
    OutcomeSubtype.ORDERED_RESIGNATION: DisciplineForm.SECOND,
    OutcomeSubtype.DEMOTION: DisciplineForm.THIRD,
    OutcomeSubtype.REMOVAL: DisciplineForm.THIRD,
    OutcomeSubtype.ACC_REVIEW: DisciplineForm.FIRST,
    OutcomeSubtype.ACC_CIRCULATE: DisciplineForm.FIRST,
    OutcomeSubtype.ACC_ADMONISH: DisciplineForm.FIRST,
    OutcomeSubtype.ACC_ORGANISATIONAL: DisciplineForm.SECOND,
    OutcomeSubtype.ACC_DISCIPLINE: DisciplineForm.SECOND,
    OutcomeSubtype.PARTY_WARNING: DisciplineForm.SECOND,
    OutcomeSubtype.PARTY_SERIOUS_WARNING: DisciplineForm.SECOND,
    OutcomeSubtype.PARTY_POST_REVOKED: DisciplineForm.THIRD,
    OutcomeSubtype.PARTY_PROBATION: DisciplineForm.THIRD,
    OutcomeSubtype.PARTY_EXPULSION: DisciplineForm.THIRD,
    OutcomeSubtype.GOV_WARNING: DisciplineForm.SECOND,
    OutcomeSubtype.GOV_DEMERIT: DisciplineForm.SECOND,
    OutcomeSubtype.GOV_MAJOR_DEMERIT: DisciplineForm.SECOND,
    OutcomeSubtype.GOV_DEMOTION: DisciplineForm.THIRD,
    OutcomeSubtype.GOV_DISMISSAL_FROM_POST: DisciplineForm.THIRD,
    OutcomeSubtype.GOV_EXPULSION: DisciplineForm.THIRD,
}
FORM_BY_KIND: dict[str, int | None] = {
    OutcomeKind.JUDICIAL_TRANSFER: DisciplineForm.FOURTH,
    OutcomeKind.NAME_CLEARED: None,
    OutcomeKind.FALSE_ACCUSATION: None,
}


def discipline_form(kind: str, subtype: str) -> int | None:
    if subtype:
        return FORM_BY_SUBTYPE.get(subtype)
    return FORM_BY_KIND.get(kind)


def _label(choices: type, value: str) -> str:
    try:
        return str(choices(value).label)
    except ValueError:
        return value


def next_petition_status(status: str, action: str) -> str:
    try:
        return PETITION_TRANSITIONS[(status, action)]
    except KeyError:
        raise TransitionError(
            f"信访件状态为“{_label(PetitionStatus, status)}”，"
            f"不能执行“{_label(PetitionAction, action)}”"
        ) from None


def next_clue_status(status: str, action: str) -> str:
    try:
        return CLUE_TRANSITIONS[(status, action)]
    except KeyError:
        raise TransitionError(
            f"问题线索状态为“{_label(ClueStatus, status)}”，不能执行“{_label(ClueAction, action)}”"
        ) from None


def check_disposal_change(current: str, new: str) -> None:
    if new == current:
        raise TransitionError(f"处置方式已是“{_label(DisposalMethod, current)}”")
    if new not in DISPOSAL_CHANGES.get(current, frozenset()):
        raise TransitionError(
            f"处置方式不能由“{_label(DisposalMethod, current)}”"
            f"变更为“{_label(DisposalMethod, new)}”"
        )


def allowed_clue_actions(status: str) -> list[str]:
    return [action for (s, action) in CLUE_TRANSITIONS if s == status]


def allowed_petition_actions(status: str) -> list[str]:
    return [action for (s, action) in PETITION_TRANSITIONS if s == status]
