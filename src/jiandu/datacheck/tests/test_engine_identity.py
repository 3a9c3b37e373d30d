"""Identity resolution: typo'd names and broken ID numbers find the right person."""

import datetime as dt
import random
import time

import numpy as np
import pyarrow.parquet as pq
import pytest

from jiandu.datacheck.engine.datasets import pinyin_of
from jiandu.datacheck.engine.generator import GIVEN_CHARS, generate
from jiandu.datacheck.engine.identity import PersonIndex, Record, score_block, suggest_identities


@pytest.fixture(scope="module")
def persons(tmp_path_factory):
    folder = tmp_path_factory.mktemp("people") / "data"
    generate(out_dir=folder, persons=20000, seed=3, anomalies_per_rule=1)
    return pq.read_table(folder / "persons.parquet")


def _homophone(char: str, rng: random.Random) -> str:
    sound = pinyin_of([char])[0]
    same = [c for c in dict.fromkeys(GIVEN_CHARS) if c != char and pinyin_of([c])[0] == sound]
    return rng.choice(same) if same else rng.choice(GIVEN_CHARS)


def _typo_records(persons, count: int, seed: int = 5):
    rng = random.Random(seed)
    rows = persons.to_pylist()
    chosen = rng.sample(rows, count)
    records = []
    for k, person in enumerate(chosen):
        name = person["name"]
        position = rng.randrange(1, len(name))
        name = name[:position] + _homophone(name[position], rng) + name[position + 1 :]
        number = person["id_no"]
        kind = k % 3
        if kind == 0:  # wrong check digit
            id_no = number[:17] + next(c for c in "0123456789X" if c != number[17])
            record = Record(name=name, region_code=person["region_code"], id_no=id_no)
        elif kind == 1:  # missing number, birth date and village known
            record = Record(
                name=name, region_code=person["region_code"], birth_date=person["birth_date"]
            )
        else:  # one digit of the sequence mistyped
            digit = str((int(number[15]) + 1) % 10)
            record = Record(
                name=name,
                region_code=person["region_code"][:9],
                id_no=number[:15] + digit + number[16:],
            )
        records.append((record, number))
    return records


def test_precision_and_recall_on_typo_names(persons):
    cases = _typo_records(persons, 300)
    suggestions = suggest_identities(records=[r for r, _ in cases], persons=persons, limit=3)
    proposed = [s.best for s in suggestions]
    correct = sum(
        1 for p, (_, truth) in zip(proposed, cases, strict=True) if p and p.id_no == truth
    )
    answered = sum(1 for p in proposed if p is not None)
    precision = correct / answered
    recall = correct / len(cases)
    print(
        f"identity resolution: precision {precision:.3f}, recall {recall:.3f} ({len(cases)} cases)"
    )
    assert precision >= 0.95
    assert recall >= 0.90
    best = next(s.best for s in suggestions if s.best and s.record.id_no)
    assert any("身份证号码仅" in reason for reason in best.reasons)
    assert all(0 <= c.score <= 1 for s in suggestions for c in s.candidates)


def test_same_pinyin_is_a_reason(persons):
    target = persons.slice(0, 1).to_pylist()[0]
    record = Record(name=target["name"], region_code=target["region_code"])
    (suggestion,) = suggest_identities(records=[record], persons=persons)
    assert suggestion.best is not None and "姓名完全一致" in suggestion.best.reasons


def test_wang_li_and_wang_li_sound_alike():
    import pyarrow as pa

    table = pa.table(
        {
            "id_no": ["330803199001010011", "330803199001010020"],
            "name": ["王莉", "汪明"],
            "region_code": ["330803001001", "330803001001"],
            "birth_date": pa.array([dt.date(1990, 1, 1)] * 2, pa.date32()),
        }
    )
    (suggestion,) = suggest_identities(
        records=[Record(name="王丽", region_code="330803001001")], persons=table
    )
    assert suggestion.best.name == "王莉"
    assert any("读音相同" in r for r in suggestion.best.reasons)


def test_scoring_throughput(persons):
    index = PersonIndex(persons)
    records = [r for r, _ in _typo_records(persons, 60)]
    started = time.perf_counter()
    scores = score_block(records=records, index=index, rows=slice(0, len(index.id_no)))
    seconds = time.perf_counter() - started
    pairs = scores.size
    print(f"identity scoring: {pairs / seconds:,.0f} pairs/s ({pairs:,} pairs)")
    assert np.isfinite(scores).all()
    assert pairs / seconds > 200_000  # the benchmark measures the real figure
