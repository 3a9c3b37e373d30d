"""Identity resolution: who was probably meant by a missing or invalid ID number.

For each record (a payment or enrolment whose id_no is missing or fails the check) the
population register is searched within the record's region (and birth date, when the
record states one). Candidates are scored on the name's characters and its pinyin (王丽
and 王莉 sound the same), on the birth date written in the broken number and on how
close the broken number is to the candidate's. The result is a ranked suggestion with
reasons in Chinese for a person to confirm: nothing is ever merged automatically.

Scoring is vectorised with ``rapidfuzz.process.cdist`` over each block, so millions of
candidate pairs are scored per second.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
from rapidfuzz import process
from rapidfuzz.distance import Levenshtein

from jiandu.core import idnumbers

from .datasets import pinyin_of

WEIGHT_NAME = 0.45
WEIGHT_PINYIN = 0.25
WEIGHT_ID = 0.20
WEIGHT_BIRTH = 0.10
DEFAULT_MIN_SCORE = 0.55


@dataclass(frozen=True)
class Record:
    """Someone to identify, as a department wrote them."""

    name: str
    region_code: str | None = None
    id_no: str | None = None
    birth_date: dt.date | None = None
    key: Any = None  # the caller's reference (payment_id, row number, ...)


@dataclass(frozen=True)
class Candidate:
    """A registered person proposed for a record, with the score and the reasons."""

    id_no: str
    name: str
    region_code: str
    birth_date: dt.date | None
    score: float
    reasons: tuple[str, ...]


@dataclass
class Suggestion:
    """The candidates for one record, best first (possibly none)."""

    record: Record
    candidates: list[Candidate] = field(default_factory=list)

    @property
    def best(self) -> Candidate | None:
        return self.candidates[0] if self.candidates else None


def _birth_from_broken(number: str | None) -> dt.date | None:
    """The birth date in an ID number even when its check digit is wrong."""
    if not number:
        return None
    text = idnumbers.normalize(number)
    if len(text) < 14 or not text[6:14].isdigit():
        return None
    try:
        day = dt.datetime.strptime(text[6:14], "%Y%m%d").date()
    except ValueError:
        return None
    return day if day.year >= 1900 else None


class PersonIndex:
    """The population register prepared for blocking: sorted by region code.

    ``persons`` is a pyarrow table (or anything convertible) with id_no, name,
    region_code, birth_date and optionally name_pinyin.
    """

    def __init__(self, persons: pa.Table | Any) -> None:
        if not isinstance(persons, pa.Table):
            persons = pa.Table.from_pandas(persons) if hasattr(persons, "to_numpy") else persons
        table = persons.select(
            [
                c
                for c in ("id_no", "name", "region_code", "birth_date", "name_pinyin")
                if c in persons.column_names
            ]
        )
        table = table.sort_by([("region_code", "ascending")])
        self.id_no = np.asarray(table.column("id_no").to_pylist(), dtype=object)
        self.name = np.asarray(table.column("name").to_pylist(), dtype=object)
        self.region = np.asarray(table.column("region_code").to_pylist(), dtype=object)
        births = table.column("birth_date")
        births = births.cast(pa.date32()) if births.type != pa.date32() else births
        self.birth_days = pc.fill_null(births.cast(pa.int32()), -(10**6)).to_numpy()
        self.birth = births
        if "name_pinyin" in table.column_names:
            pinyin = table.column("name_pinyin").to_pylist()
            missing = [i for i, v in enumerate(pinyin) if v is None]
            if missing:
                filled = pinyin_of(self.name[i] for i in missing)
                for i, v in zip(missing, filled, strict=True):
                    pinyin[i] = v
        else:
            pinyin = pinyin_of(self.name.tolist())
        self.pinyin = np.asarray(pinyin, dtype=object)
        self.region_sorted = self.region.astype(str)

    def block(self, region_prefix: str) -> slice:
        """Rows whose region code starts with ``region_prefix`` (a contiguous slice)."""
        lo = int(np.searchsorted(self.region_sorted, region_prefix, side="left"))
        hi = int(np.searchsorted(self.region_sorted, region_prefix + "\uffff", side="left"))
        return slice(lo, hi)


def _region_of(record: Record) -> str:
    if record.region_code:
        return record.region_code
    if record.id_no and len(idnumbers.normalize(record.id_no)) >= 6:
        return idnumbers.normalize(record.id_no)[:6]
    return ""


def score_block(records: list[Record], index: PersonIndex, rows: slice | np.ndarray) -> np.ndarray:
    """Scores (records × candidates in ``rows``) in [0, 1], vectorised."""
    names = index.name[rows].tolist()
    pinyins = index.pinyin[rows].tolist()
    ids = index.id_no[rows].tolist()
    births = index.birth_days[rows]
    query_names = [r.name for r in records]
    query_pinyin = pinyin_of(query_names)
    name_sim = process.cdist(
        query_names, names, scorer=Levenshtein.normalized_similarity, workers=-1
    )
    pinyin_sim = process.cdist(
        query_pinyin, pinyins, scorer=Levenshtein.normalized_similarity, workers=-1
    )
    score = WEIGHT_NAME * name_sim + WEIGHT_PINYIN * pinyin_sim
    has_id = [i for i, r in enumerate(records) if r.id_no]
    if has_id:
        query_ids = [idnumbers.normalize(records[i].id_no) for i in has_id]
        id_sim = process.cdist(query_ids, ids, scorer=Levenshtein.normalized_similarity, workers=-1)
        score[has_id] += WEIGHT_ID * id_sim
    for i, record in enumerate(records):
        birth = record.birth_date or _birth_from_broken(record.id_no)
        if birth is not None:
            days = (birth - dt.date(1970, 1, 1)).days
            score[i] += WEIGHT_BIRTH * (births == days)
    # Records without an ID number cannot earn the ID weight: rescale to [0, 1].
    for i, record in enumerate(records):
        available = WEIGHT_NAME + WEIGHT_PINYIN
        if record.id_no:
            available += WEIGHT_ID
        if record.birth_date or _birth_from_broken(record.id_no):
            available += WEIGHT_BIRTH
        score[i] /= available
    return score


def _reasons(record: Record, index: PersonIndex, row: int) -> tuple[str, ...]:
    reasons = []
    name = index.name[row]
    if record.name == name:
        reasons.append("姓名完全一致")
    else:
        query_pinyin = pinyin_of([record.name])[0]
        if query_pinyin == index.pinyin[row]:
            reasons.append(f"姓名读音相同（{query_pinyin}）：{record.name} / {name}")
        else:
            same = sum(1 for a, b in zip(record.name, name, strict=False) if a == b)
            reasons.append(f"姓名相近：{record.name} / {name}（{same}个字相同）")
    region = index.region[row]
    if record.region_code:
        if region == record.region_code:
            reasons.append("行政区划相同")
        else:
            reasons.append(f"同属行政区划 {record.region_code}")
    birth = record.birth_date or _birth_from_broken(record.id_no)
    if birth is not None and index.birth_days[row] == (birth - dt.date(1970, 1, 1)).days:
        reasons.append(f"出生日期一致（{birth.isoformat()}）")
    if record.id_no:
        distance = Levenshtein.distance(idnumbers.normalize(record.id_no), index.id_no[row])
        if distance == 0:
            reasons.append("身份证号码相同")
        elif distance <= 2:
            reasons.append(f"身份证号码仅{distance}位不同")
    return tuple(reasons)


def suggest_identities(
    *,
    records: Iterable[Record | Mapping[str, Any]],
    persons: PersonIndex | pa.Table | Any,
    limit: int = 3,
    min_score: float = DEFAULT_MIN_SCORE,
    block_chars: int = 9,
) -> list[Suggestion]:
    """Candidates from the register for each record, best first, with reasons.

    Blocking: same region (the record's region code cut to ``block_chars`` digits, i.e.
    the township by default; the county when only the ID's region is known) and, when
    the record states a birth date, the same birth date. A suggestion, never a merge.
    """
    index = persons if isinstance(persons, PersonIndex) else PersonIndex(persons)
    items = [r if isinstance(r, Record) else Record(**dict(r)) for r in records]
    suggestions = [Suggestion(record=r) for r in items]
    blocks: dict[str, list[int]] = {}
    for i, record in enumerate(items):
        blocks.setdefault(_region_of(record)[:block_chars], []).append(i)
    for prefix, members in blocks.items():
        rows = index.block(prefix)
        if rows.stop <= rows.start:
            continue
        block_records = [items[i] for i in members]
        scores = score_block(records=block_records, index=index, rows=rows)
        for local, i in enumerate(members):
            record = items[i]
            row_scores = scores[local]
            if record.birth_date is not None:
                days = (record.birth_date - dt.date(1970, 1, 1)).days
                row_scores = np.where(index.birth_days[rows] == days, row_scores, -1.0)
            if limit < len(row_scores):
                top = np.argpartition(-row_scores, limit)[:limit]
            else:
                top = np.arange(len(row_scores))
            top = top[np.argsort(-row_scores[top], kind="stable")]
            for position in top:
                value = float(row_scores[position])
                if value < min_score:
                    continue
                row = rows.start + int(position)
                if record.id_no and index.id_no[row] == idnumbers.normalize(record.id_no):
                    continue  # the record's own (valid, registered) number: nothing to resolve
                suggestions[i].candidates.append(
                    Candidate(
                        id_no=index.id_no[row],
                        name=index.name[row],
                        region_code=index.region[row],
                        birth_date=index.birth[row].as_py(),
                        score=round(value, 4),
                        reasons=_reasons(record, index, row),
                    )
                )
    return suggestions
