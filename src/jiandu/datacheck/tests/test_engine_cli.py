"""The ``jiandu datacheck`` command line, called through main(argv)."""

import io
import json

from jiandu.datacheck.engine.cli import main

from .engine_support import A


def _run(*argv):
    out, err = io.StringIO(), io.StringIO()
    status = main(list(argv), stdout=out, stderr=err)
    return status, out.getvalue(), err.getvalue()


def test_rules_json_lists_parameters():
    status, out, _ = _run("rules", "--json")
    rules = {r["code"]: r for r in json.loads(out)}
    assert status == 0 and len(rules) == 11
    assert rules["R11"]["parameters"][0] == {
        "name": "age_thresholds",
        "default": {"高龄津贴": 80},
        "help": rules["R11"]["parameters"][0]["help"],
    }
    assert rules["R01"]["name"] == "死亡后仍发放"


def test_generate_run_and_import(tmp_path):
    status, _, err = _run("generate", "--out", str(tmp_path / "data"), "--persons", "600")
    assert status == 0, err
    status, out, err = _run(
        "datacheck",
        "run",
        "--data",
        str(tmp_path / "data"),
        "--out",
        str(tmp_path / "out"),
        "--rules",
        "R01,R03",
        "--json",
    )
    assert status == 0, err
    summary = json.loads(out)
    assert set(summary["rules"]) == {"R01", "R03"} and summary["rules"]["R03"]["hits"] >= 3
    source = tmp_path / "swdj.csv"
    source.write_text(f"身份证号,姓名,死亡日期\n{A},张三,2023-01-01\n", encoding="utf-8")
    mapping = json.dumps({"身份证号": "id_no", "姓名": "name", "死亡日期": "death_date"})
    status, out, err = _run(
        "import",
        "--dataset",
        "deaths",
        "--file",
        str(source),
        "--store",
        str(tmp_path / "s"),
        "--mapping",
        mapping,
        "--json",
    )
    assert status == 0, err
    assert json.loads(out)["version"] == 1


def test_errors_are_one_line_with_non_zero_exit(tmp_path):
    bad = tmp_path / "deaths.csv"
    bad.write_text("id_no,name\n1,2\n", encoding="utf-8")
    status, _, err = _run("import", "--dataset", "deaths", "--file", str(bad), "--store", "x")
    assert status == 1
    assert err.count("\n") == 1 and "deaths.csv" in err and "第1行" in err
    status, _, err = _run("run", "--data", str(tmp_path))
    assert status == 2 and "--out" in err
    status, _, err = _run(
        "import", "--dataset", "deaths", "--file", str(bad), "--store", "x", "--mapping", "{bad"
    )
    assert status == 2 and "JSON" in err
