"""Department files: normalisation, row-level rejections and kept broken ID numbers."""

import pyarrow.parquet as pq
import pytest

from jiandu.datacheck.engine.datasets import DatasetError, DatasetStore, read_dataset

from .engine_support import A, B

HEADER = "id_no,name,death_date,source\n"


def _write(path, text, *, bom=False):
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + text.encode("utf-8"))
    return path


def test_normalises_full_width_and_keeps_broken_check_digits(tmp_path):
    broken = A[:-1] + "8"
    full_width = "".join(chr(ord(c) + 0xFEE0) for c in B)  # ３３０８０３...
    path = _write(
        tmp_path / "deaths.csv",
        HEADER + f"{broken}, 王丽 ,2023-01-31,公安注销\n{full_width},李　四,2023-02-01,\n",
        bom=True,
    )
    result = read_dataset(dataset="deaths", path=path)
    rows = result.table.to_pylist()
    assert [r["id_no"] for r in rows] == [broken, B]
    assert [r["name"] for r in rows] == ["王丽", "李 四"]
    assert [r["id_valid"] for r in rows] == [False, True]
    assert rows[0]["name_pinyin"] == "wang li"
    assert result.rows_rejected == 0
    assert result.warnings[0].row == 2 and "校验位" in result.warnings[0].message


def test_bad_values_are_rejected_with_row_and_column(tmp_path):
    path = _write(
        tmp_path / "payments.csv",
        "payment_id,program,id_no,name,period,paid_on,amount,account_no,account_holder_id_no,"
        "region_code\n"
        f"P1,低保,{A},张三,2023-04,2023-04-15,780.00,6201,,330803001001\n"
        f"P2,低保,{A},张三,2023-13,2023-04-15,780.00,6201,,330803001001\n"
        f"P3,低保,{A},张三,2023-05,2023-02-30,780.00,6201,,330803001001\n"
        f"P4,低保,{A},张三,2023-06,2023-06-15,七百八,6201,,330803001001\n"
        f"P5,低保,,张三,2023-07,2023-07-15,780.00,6201,,3308\n",
    )
    result = read_dataset(dataset="payments", path=path)
    assert result.table.num_rows == 1
    assert result.rows_rejected == 4
    found = {(e.row, e.column) for e in result.errors}
    assert found == {
        (3, "period"),
        (4, "paid_on"),
        (5, "amount"),
        (6, "id_no"),
        (6, "region_code"),
    }
    money = next(e for e in result.errors if e.column == "amount")
    assert "金额" in money.message


def test_wrong_headers_refuse_the_file(tmp_path):
    path = _write(tmp_path / "deaths.csv", f"身份证号,姓名,日期\n{A},张三,2023-01-01\n")
    with pytest.raises(DatasetError) as caught:
        read_dataset(dataset="deaths", path=path)
    message = str(caught.value)
    assert "deaths.csv" in message and "第1行" in message and "id_no" in message


def test_mapping_renames_headers(tmp_path):
    path = _write(tmp_path / "swdj.csv", f"身份证号,姓名,死亡日期\n{A},张三,2023-01-01\n")
    mapping = {"身份证号": "id_no", "姓名": "name", "死亡日期": "death_date"}
    result = read_dataset(dataset="deaths", path=path, mapping=mapping)
    assert result.table.column("id_no").to_pylist() == [A]


def test_empty_and_unknown(tmp_path):
    empty = _write(tmp_path / "deaths.csv", "")
    with pytest.raises(DatasetError, match="文件为空"):
        read_dataset(dataset="deaths", path=empty)
    header_only = _write(tmp_path / "d2.csv", HEADER)
    with pytest.raises(DatasetError, match="没有数据行"):
        read_dataset(dataset="deaths", path=header_only)
    with pytest.raises(DatasetError, match="未知的数据集"):
        read_dataset(dataset="pets", path=header_only)


def test_oversized_file_refused_before_reading(tmp_path):
    huge = tmp_path / "payments.csv"
    with huge.open("wb") as handle:  # a sparse 2 GB file: nothing to read, only a size
        handle.truncate(2 * 1024**3)
    with pytest.raises(DatasetError, match="超过上限"):
        read_dataset(dataset="payments", path=huge)  # default limit 1 GiB
    small = _write(tmp_path / "deaths.csv", HEADER + f"{A},张三,2023-01-01,\n")
    with pytest.raises(DatasetError, match="超过上限"):
        read_dataset(dataset="deaths", path=small, max_bytes=10)


def test_xlsx_with_dates_and_numeric_ids(tmp_path):
    import datetime as dt

    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["id_no", "name", "death_date", "source"])
    sheet.append([A, "张三", dt.datetime(2023, 1, 31), "公安注销"])
    sheet.append([None, None, None, None])  # blank row: skipped, numbering kept
    sheet.append([float(B[:-1] + "0"), "李四", "2023-02-01", None])  # id stored as a number
    path = tmp_path / "deaths.xlsx"
    workbook.save(path)
    result = read_dataset(dataset="deaths", path=path)
    assert result.table.column("death_date").to_pylist() == [dt.date(2023, 1, 31)]
    assert [(e.row, e.column) for e in result.errors] == [(4, "id_no")]
    assert "精度" in result.errors[0].message


def test_store_versions_and_strict_mode(tmp_path):
    store = DatasetStore(tmp_path / "store")
    good = _write(tmp_path / "deaths.csv", HEADER + f"{A},张三,2023-01-01,\n{B},李四,bad,\n")
    report = store.import_file(dataset="deaths", path=good)
    assert (report.rows_read, report.rows_rejected, report.version) == (2, 1, 1)
    assert report.errors == [(3, "death_date", "日期无效（应为 YYYY-MM-DD，且为真实日期）")]
    assert pq.read_table(report.path).num_rows == 1
    with pytest.raises(DatasetError, match="第3行"):
        store.import_file(dataset="deaths", path=good, strict=True)
    again = store.import_file(dataset="deaths", path=good)
    assert again.version == 2
    assert [v.version for v in store.versions("deaths")] == [1, 2]
    assert store.latest("deaths").path.name == "v0002.parquet"
    leftovers = [p.name for p in (tmp_path / "store").rglob("*") if p.name.endswith(".tmp")]
    assert leftovers == []
