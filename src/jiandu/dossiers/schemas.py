"""API schemas of the 政治生态档案 (names prefixed with Dossier/Opinion: unique across apps)."""

from __future__ import annotations

import datetime as dt

from ninja import Field, Schema


class DossierDotOut(Schema):
    on: dt.date
    colour: str
    colour_label: str
    kind: str
    kind_label: str
    label: str
    until: dt.date | None = None
    deciding: bool


class DossierAnnulledOut(Schema):
    on: dt.date
    kind: str
    kind_label: str
    label: str
    annulled_on: dt.date
    annul_reason: str


class DossierGradeOut(Schema):
    grade: str
    score: int
    counts: dict[str, int]
    window_from: dt.date
    window_to: dt.date
    explanation: str
    table_version: str


class DossierInEffectOut(Schema):
    category: str
    kind: str
    start: dt.date
    until: dt.date | None = None
    article: str


class DossierMatterOut(Schema):
    category: str
    decided_on: dt.date


class DossierOut(Schema):
    subject: str
    as_of: dt.date
    colour_table: str | None = None
    grade: DossierGradeOut | None = None
    dots: list[DossierDotOut]
    in_effect: list[DossierInEffectOut]
    open_matters: list[DossierMatterOut]
    eligible_for_award: bool
    opinion: str
    warnings: list[str]
    annulled: list[DossierAnnulledOut] = []


class OpinionLineOut(Schema):
    id: int
    order: int
    name: str
    is_unit: bool
    post: str
    drafted_verdict: str
    drafted_text: str
    verdict: str
    text: str
    override_reason: str


class OpinionBatchOut(Schema):
    id: int
    requester: str
    request_ref: str
    purpose: str
    as_of: dt.date
    award_year: int
    received_on: dt.date
    status: str
    status_label: str
    document_number: str | None = None
    lines: list[OpinionLineOut] = []


class OpinionBatchIn(Schema):
    requester: str
    request_ref: str = ""
    purpose: str
    as_of: dt.date
    award_year: int | None = None
    received_on: dt.date
    person_ids: list[int] = []
    org_ids: list[int] = []


class OpinionReviewIn(Schema):
    overrides: dict[int, tuple[str, str]] = {}


class OpinionYearOut(Schema):
    year: int
    batches: int
    people: int
    units: int
    people_objections: int
    unit_objections: int
    distinct_people: int
    distinct_units: int


class DossierSanctionIn(Schema):
    effective_on: dt.date | None = None
    period_months: int | None = None
    lifted_on: dt.date | None = None
    lift_reason: str = ""
    annulled_on: dt.date | None = None
    annul_reason: str = ""


class DossierSanctionOut(DossierSanctionIn):
    outcome_id: int
    category: str
    decided_on: dt.date
    until: dt.date | None = None


# --- the versioned colour and grading tables ---------------------------------------------


class DossierColourRuleOut(Schema):
    item_kind: str
    item_kind_label: str
    colour: str
    colour_label: str


class DossierColourTableOut(Schema):
    id: int
    version: str
    valid_from: dt.date
    note: str
    in_force_today: bool
    rules: list[DossierColourRuleOut]


class DossierColourTableIn(Schema):
    version: str = Field(min_length=1, max_length=30)
    valid_from: dt.date
    note: str = Field("", max_length=200)
    # item kind → colour (red / blue / yellow / black); a kind left out gets no colour
    colours: dict[str, str]


class DossierGradingTableOut(Schema):
    id: int
    version: str
    valid_from: dt.date
    note: str
    in_force_today: bool
    window_months: int
    weights: dict[str, int]
    bands: list[tuple[int, str]]
    caps: list[tuple[str, int, str]]
    description: str


class DossierGradingTableIn(Schema):
    version: str = Field(min_length=1, max_length=30)
    valid_from: dt.date
    note: str = Field("", max_length=200)
    window_months: int = Field(ge=1, le=240)
    weights: dict[str, int]
    # [[minimum score, grade], …] best first; the last one is the floor
    bands: list[tuple[int, str]] = Field(min_length=1, max_length=10)
    # [[colour, count, grade], …]: that many dots of the colour hold the grade at most
    caps: list[tuple[str, int, str]] = Field(default_factory=list, max_length=10)
