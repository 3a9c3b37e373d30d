"""Schemas of the statistics API. Values are strings (exact decimals: counts, amounts
with two decimals, ratios and changes with one) or null where there is none ("—")."""

from __future__ import annotations

from ninja import Schema


class FigureOut(Schema):
    key: str
    label: str
    unit: str
    group: str
    definition: str
    date_label: str | None
    is_ratio: bool


class PeriodOut(Schema):
    code: str
    label: str
    start: str
    end: str


class RowOut(Schema):
    key: str
    label: str
    unit: str
    value: str | None
    last_year: str | None
    previous: str | None
    yoy: str | None
    mom: str | None
    change_unit: str


class TableOut(Schema):
    org_id: int
    org: str
    period: PeriodOut
    last_year: PeriodOut
    previous: PeriodOut
    rows: list[RowOut]


class RecordOut(Schema):
    id: int
    text: str
    date: str | None


class RecordsOut(Schema):
    key: str
    label: str
    count: int
    total: str
    date_label: str
    items: list[RecordOut]


class ReturnOut(Schema):
    id: int
    org_id: int
    org: str
    form: str
    form_title: str
    period_start: str
    period_end: str
    status: str
    status_label: str
    values: dict[str, str]
    findings: list[str]


class PrepareIn(Schema):
    form: str
    period: str


class ValuesIn(Schema):
    values: dict[str, str]


class ReopenIn(Schema):
    reason: str
