"""Integer keys beside the text: equal keys exactly when the text is equal."""

import random

import pyarrow as pa
import pyarrow.parquet as pq

from jiandu.datacheck.engine.datasets import (
    DATASETS,
    KEY_COLUMNS,
    canonical_parquet_ok,
    household_keys,
    id_keys,
    table_from_rows,
    write_parquet,
)
from jiandu.datacheck.engine.runner import prepare_dataset, run_suite

from .engine_support import A, B, C, D, enrol, person

BROKEN_A = A[:-1] + ("0" if A[-1] != "0" else "1")  # standard form, wrong check digit


def test_standard_numbers_map_exactly_and_x_is_ten():
    body = "33080319800101001"
    keys = id_keys(pa.array([body + "0", body + "9", body + "X", A, BROKEN_A])).to_pylist()
    assert keys[:3] == [int(body) * 11, int(body) * 11 + 9, int(body) * 11 + 10]
    assert keys[3] != keys[4]  # a wrong check digit is a different number, keyed exactly
    assert all(0 <= k < 11 * 10**17 for k in keys)


def test_malformed_numbers_are_negative_and_stable():
    values = ["12345", "3308031980010100", "12345", "33080319800101001Y", None, "12345 "]
    keys = id_keys(pa.array(values)).to_pylist()
    assert keys[0] == keys[2] and keys[0] < 0
    assert keys[4] is None
    assert len({keys[0], keys[1], keys[3], keys[5]}) == 4
    # Computed from the text alone: the same number gets the same key in every file.
    assert id_keys(pa.array(["12345"])).to_pylist() == [keys[0]]


def _random_numbers(rng, count):
    """Standard numbers that differ in one character, malformed text, NULL."""
    body = "".join(rng.choice("0123456789") for _ in range(17))
    out = []
    for _ in range(count):
        kind = rng.random()
        if kind < 0.6:
            digits = list(body)
            digits[rng.randrange(17)] = rng.choice("0123456789")
            out.append("".join(digits) + rng.choice("0123456789X"))
        elif kind < 0.95:
            out.append("".join(rng.choice("0123456789Xx -") for _ in range(rng.randrange(21))))
        else:
            out.append(None)
    return out


def test_keys_equal_exactly_when_numbers_equal():
    numbers = _random_numbers(random.Random(11643), 4000)
    keys = id_keys(pa.array(numbers, pa.string())).to_pylist()
    assert [k is None for k in keys] == [n is None for n in numbers]
    by_key: dict[int, set[str]] = {}
    for number, key in zip(numbers, keys, strict=True):
        if number is not None:
            by_key.setdefault(key, set()).add(number)
    assert all(len(texts) == 1 for texts in by_key.values())
    assert len(by_key) == len({n for n in numbers if n is not None})


def test_household_codes_are_exact_within_the_register():
    keys = household_keys(pa.chunked_array([["H1", "H2"], [None, "H1", "H3"]])).to_pylist()
    assert keys == [0, 1, None, 0, 2]


def test_every_table_and_file_carries_the_keys(tmp_path):
    table = table_from_rows(dataset="persons", rows=[person(A, household="H9")])
    assert table.column("id_key").to_pylist() == id_keys(pa.array([A])).to_pylist()
    assert table.column("household_key").to_pylist() == [0]
    path = tmp_path / "persons.parquet"
    write_parquet(table, path)
    assert canonical_parquet_ok(path, DATASETS["persons"])
    column = pq.ParquetFile(path).metadata.row_group(0).column(table.column_names.index("id_key"))
    assert column.compression == "LZ4" and "RLE_DICTIONARY" not in column.encodings
    assert {
        "id_key",
        "relative_id_key",
        "account_holder_id_key",
        "owner_id_key",
        "household_key",
    } == KEY_COLUMNS


def test_key_columns_written_elsewhere_are_not_trusted(tmp_path):
    """Integer columns of the right names in a file this code did not key (no metadata
    mark) are computed again before a run; the typed columns are taken as they are."""
    rows = [{"id_no": A, "name": "张三", "death_date": "2023-01-01"}]
    table = table_from_rows(dataset="deaths", rows=rows)
    path = tmp_path / "deaths.parquet"
    write_parquet(table, path)
    assert canonical_parquet_ok(path, DATASETS["deaths"])
    wrong = table.set_column(table.column_names.index("id_key"), "id_key", pa.array([7]))
    pq.write_table(wrong.replace_schema_metadata(None), path)
    assert not canonical_parquet_ok(path, DATASETS["deaths"])

    scratch = tmp_path / "scratch"
    scratch.mkdir()
    prepared = prepare_dataset(name="deaths", source=path, scratch=scratch)
    assert prepared.path == scratch / "deaths.parquet" and prepared.rows == 1
    assert canonical_parquet_ok(prepared.path, DATASETS["deaths"])
    again = pq.read_table(prepared.path)
    assert again.column("id_key").to_pylist() == id_keys(pa.array([A])).to_pylist()
    assert again.column("name").to_pylist() == ["张三"]


def test_a_canonical_file_without_keys_is_keyed_first(tmp_path):
    """A Parquet file with the canonical columns but without the keys (a version
    imported before them) is keyed at run time, so R04 still finds the relative."""
    data = tmp_path / "data"
    data.mkdir()
    cadre = {
        "id_no": A,
        "name": "干部",
        "org_name": "上方镇人民政府",
        "region_code": "330803001",
        "position": "副镇长",
        "is_village_cadre": False,
        "start_date": "2020-01-01",
    }
    rows = {
        "persons": [person(A, household="H1"), person(B, household="H1")],
        "cadres": [cadre],
        "relations": [{"id_no": C, "relative_id_no": D, "relation": "配偶"}],
        "beneficiaries": [enrol(B, "2021-03-01")],
    }
    for name, items in rows.items():
        table = table_from_rows(dataset=name, rows=items)
        if name == "persons":
            table = table.drop_columns(["household_key"])
        elif name == "beneficiaries":
            table = table.drop_columns(["id_key"])
        pq.write_table(table, data / f"{name}.parquet")
    summary = run_suite(data_dir=data, out_dir=tmp_path / "out", rules=["R04"])
    assert summary["rules"]["R04"]["hits"] == 1
