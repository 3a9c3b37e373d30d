"""The vectorised GB 11643 check agrees with jiandu.core.idnumbers on every backend."""

import datetime as dt
import random

import pyarrow as pa
import pyarrow.parquet as pq

from jiandu.core import idnumbers
from jiandu.datacheck.engine.idcheck import id_birth_date, id_is_valid


def _sample() -> list[str | None]:
    rng = random.Random(11643)
    numbers: list[str | None] = []
    for _ in range(400):
        birth = dt.date(1900, 1, 1) + dt.timedelta(days=rng.randrange(45000))
        number = idnumbers.make("330803", birth, rng.randrange(1000))
        kind = rng.randrange(6)
        if kind == 1:
            number = number[:17] + rng.choice("0123456789X")  # maybe a wrong check digit
        elif kind == 2:
            number = number[:10] + "13" + number[12:]  # month 13
        elif kind == 3:
            first17 = number[:10] + "0229" + number[14:17]  # 29 February, leap or not
            number = first17 + idnumbers.check_char(first17)
        elif kind == 4:
            number = number[:5]  # too short
        numbers.append(number)
    numbers += [None, "", "18990101" + "0" * 10, "ABCDEFGHIJKLMNOPQR", "11010519491231002X"]
    return numbers


def test_matches_python_check(engine, tmp_path):
    numbers = _sample()
    path = tmp_path / "ids.parquet"
    pq.write_table(pa.table({"id_no": pa.array(numbers, pa.string())}), path)
    table = engine.read_parquet(path, table_name=f"ids_{engine.name}_{id(tmp_path)}")
    result = engine.to_pyarrow(
        table.select("id_no", ok=id_is_valid(table.id_no), birth=id_birth_date(table.id_no))
    ).to_pylist()
    by_number = {r["id_no"]: r for r in result}
    for number in numbers:
        expected = number is not None and idnumbers.is_valid(number)
        assert bool(by_number[number]["ok"]) is expected, number
        if expected:
            assert by_number[number]["birth"] == idnumbers.parse(number).birth_date
        else:
            assert by_number[number]["birth"] is None
    assert sum(bool(r["ok"]) for r in result) > 150
