"""The ``jiandu datacheck`` command line, called through main(argv)."""

import contextlib
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
        "label": "项目起始年龄",
        "default": {"高龄津贴": 80},
        "display": "高龄津贴：80周岁",
        "unit": "周岁",
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


def test_chinese_headers_are_taken_as_on_the_web(tmp_path):
    """公民身份号码/姓名/死亡日期 (the labels) and 身份证号 (a common header) need no
    --mapping: the CLI shares the web upload's header table."""
    source = tmp_path / "swdj.csv"
    source.write_text(f"身份证号,姓名,死亡日期,备注\n{A},张三,2023-01-01,x\n", encoding="utf-8")
    status, out, err = _run(
        "import", "--dataset", "deaths", "--file", str(source), "--store", str(tmp_path / "s"),
        "--json",
    )  # fmt: skip
    assert status == 0, err
    assert json.loads(out)["rows_imported"] == 1
    data = tmp_path / "data"
    data.mkdir()
    (data / "payments.csv").write_text(
        "发放记录编号,项目,公民身份号码,姓名,所属月份,发放日期,发放金额,银行账号,行政区划代码\n"
        f"P1,低保,{A},张三,2023-03,2023-03-10,500.00,6222,330803\n"
        f"P2,低保,{A},张三,2023-03,2023-03-20,500.00,6222,330803\n",
        encoding="utf-8",
    )
    status, out, err = _run(
        "run", "--data", str(data), "--out", str(tmp_path / "out"), "--rules", "R03", "--json"
    )
    assert status == 0, err
    assert json.loads(out)["rules"]["R03"]["hits"] == 1


def test_json_errors_are_json_objects(tmp_path):
    bad = tmp_path / "deaths.csv"
    bad.write_text("id_no,name\n1,2\n", encoding="utf-8")
    status, out, err = _run(
        "import", "--dataset", "deaths", "--file", str(bad), "--store", "x", "--json"
    )
    answer = json.loads(err)
    assert status == 1 and out == ""
    assert answer["ok"] is False and answer["code"] == 1 and "deaths.csv" in answer["error"]
    status, _, err = _run("run", "--data", str(tmp_path), "--json")
    answer = json.loads(err)
    assert status == 2 and answer == {"ok": False, "error": answer["error"], "code": 2}
    assert "--out" in answer["error"]


def test_generator_minimum_is_in_the_help_and_the_error(tmp_path, capsys):
    status, _, err = _run("generate", "--out", str(tmp_path / "g"), "--persons", "200", "--json")
    assert status == 2 and json.loads(err)["error"] == "--persons 至少为 300（收到 200）"
    assert not (tmp_path / "g").exists()
    with contextlib.suppress(SystemExit):
        main(["generate", "--help"])
    assert "至少 300" in capsys.readouterr().out


def test_every_option_has_help_text():
    from jiandu.datacheck.engine.cli import _parser

    parser = _parser()
    commands = parser._subparsers._group_actions[0].choices  # type: ignore[union-attr]
    for name, sub in commands.items():
        for action in sub._actions:
            assert action.help, f"{name} {action.option_strings} 没有说明"
