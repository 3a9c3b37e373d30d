"""API schemas of the political-ecology index (names prefixed Eco: unique across apps)."""

from __future__ import annotations

from ninja import Schema


class EcoNodeOut(Schema):
    key: str
    name: str
    level: int
    parent: str | None
    weight: float
    method: str
    direction: str
    source: str
    statistic: str
    department: str
    unit: str
    definition: str
    points: float | None
    floor: float | None
    breakpoints: list[list[float]]


class EcoTreeOut(Schema):
    version: int
    name: str
    effective_from: str
    missing: str
    bands: list[dict]
    regreen_months: int
    reason: str


class EcoTreeDetailOut(EcoTreeOut):
    nodes: list[EcoNodeOut]


class EcoSnapshotOut(Schema):
    id: int
    month: str
    version: int
    tree_version: int
    reason: str
    created_at: str
    units: int
    colours: dict[str, int]
    missing_reported: list[dict]


class EcoScoreOut(Schema):
    org_id: int
    org: str
    index: float | None
    colour: str
    colour_label: str
    rank: int | None
    regreened: bool
    nodes: dict[str, float | None]


class EcoSnapshotDetailOut(EcoSnapshotOut):
    scores: list[EcoScoreOut]


class EcoSeriesPointOut(Schema):
    month: str
    snapshot_version: int
    tree_version: int
    index: float | None
    colour: str
    rank: int | None
    regreened: bool
    nodes: dict[str, float | None]
    values: dict[str, str]


class EcoSeriesOut(Schema):
    org_id: int
    org: str
    points: list[EcoSeriesPointOut]
