"""``jiandu dossier opinion``: the pure calculator, its format and its row-named errors."""

import json
import subprocess
import sys

from jiandu.core.idnumbers import make
from jiandu.dossiers.opinion_cli import main

A = make("430802", __import__("datetime").date(1975, 3, 2), 11)
B = make("430802", __import__("datetime").date(1980, 7, 9), 22)
C = make("430802", __import__("datetime").date(1969, 1, 30), 33)
HEADER = "id_no,kind,category,decided_on,lifted_on,period_months,status\n"


def run(tmp_path, capsys, body, *extra, header=HEADER):
    path = tmp_path / "records.csv"
    path.write_text(header + body, encoding="utf-8")
    code = main(["--as-of", "2026-06-30", "--purpose", "提拔任用", "--records", str(path),
                 "--json", *extra])  # fmt: skip
    out, err = capsys.readouterr()
    return code, (json.loads(out) if out else None), (json.loads(err) if err else None)


def test_one_entry_per_id_number_with_the_issue_format(tmp_path, capsys):
    body = (
        f"{A},government,记过,2026-01-31,,,\n"
        f"{A},party,留党察看,2025-03-01,,24,\n"
        f"{B},clue,立案审查,2026-05-01,,,open\n"
        f"{B},clue,初步核实,2026-01-01,,,closed\n"
        f"{C},party,警告,2024-01-10,,,\n"
    )
    code, out, _ = run(tmp_path, capsys, body)
    assert code == 0
    assert out["as_of"] == "2026-06-30" and out["purpose"] == "提拔任用"
    people = {p["id_no"]: p for p in out["people"]}
    assert list(people) == [A, B, C]
    assert people[A]["in_effect"] == [
        {"category": "留党察看", "kind": "party", "from": "2025-03-01", "until": "2027-03-01"},
        {"category": "记过", "kind": "government", "from": "2026-01-31", "until": "2027-01-31"},
    ]
    assert people[A]["eligible_for_award"] is False
    assert people[A]["opinion"] == "有影响"
    assert people[B]["open_matters"] == [{"category": "立案审查", "decided_on": "2026-05-01"}]
    assert people[B]["opinion"] == "有影响" and people[B]["eligible_for_award"] is True
    assert people[C] == {
        "id_no": C, "in_effect": [], "open_matters": [], "eligible_for_award": True,
        "opinion": "无影响", "text": "未发现影响使用的问题。",
    }  # fmt: skip


def test_expulsion_has_null_until_and_lift_and_annulment(tmp_path, capsys):
    body = (
        f"{A},government,开除,2020-01-01,,,\n"
        f"{B},government,记大过,2026-01-01,2026-05-01,,\n"
        f"{C},party,严重警告,2026-01-01,,,annulled\n"
    )
    _, out, _ = run(tmp_path, capsys, body)
    people = {p["id_no"]: p for p in out["people"]}
    assert people[A]["in_effect"][0]["until"] is None
    assert people[B]["in_effect"] == []  # lifted 05-01: ended 04-30
    assert people[B]["eligible_for_award"] is False  # received in 2026 all the same
    assert people[C]["opinion"] == "无影响" and people[C]["eligible_for_award"] is True


def test_award_purpose_and_year(tmp_path, capsys):
    path = tmp_path / "r.csv"
    path.write_text(HEADER + f"{A},party,警告,2018-06-15,,,\n", encoding="utf-8")
    main(["--as-of", "2019-08-01", "--purpose", "评先评优", "--award-year", "2018",
          "--records", str(path), "--json"])  # fmt: skip
    out = json.loads(capsys.readouterr().out)
    assert out["award_year"] == 2018
    assert out["people"][0]["opinion"] == "有影响"
    assert "2018年度不能评先评优" in out["people"][0]["text"]


def test_bad_rows_are_named(tmp_path, capsys):
    body = (
        f"{A},army,警告,2026-01-01,,,\n"  # row 2: unknown kind
        f"{A},party,记过,2026-01-01,,,\n"  # row 3: unknown category
        f"{A},government,警告,2026-01-01,2026-01-01,,\n"  # row 4: lift on the decision
        f"{A},government,记过,2026-01-01,,12,\n"  # row 5: period on 记过
        f"{A[:-1]}0,party,警告,2026-01-01,,,\n"  # row 6: bad check digit (or valid by chance)
        f"{A},party,留党察看,2026-01-01,,,\n"  # row 7: probation without period
        f"{A},clue,立案审查,2026-01-01,,,pending\n"  # row 8: bad clue status
        f"{A},party,警告,2026-13-01,,,\n"  # row 9: bad date
    )
    code, out, err = run(tmp_path, capsys, body)
    assert code == 1 and out is None
    lines = err["errors"]
    joined = "\n".join(lines)
    assert "第2行" in joined and "army" in joined
    assert any("第3行" in x and "记过" in x for x in lines)
    assert any("第4行" in x and "解除日期" in x for x in lines)
    assert any("第5行" in x and "只有留党察看" in x for x in lines)
    assert any("第7行" in x and "12 或 24" in x for x in lines)
    assert any("第8行" in x and "open 或 closed" in x for x in lines)
    assert any("第9行" in x and "不是有效日期" in x for x in lines)
    if A[-1] != "0":
        assert any("第6行" in x and "校验位" in x for x in lines)


def test_malformed_id_number_is_named(tmp_path, capsys):
    code, _, err = run(tmp_path, capsys, "43080219750302,party,警告,2026-01-01,,,\n")
    assert code == 1
    assert err["errors"] == ["records.csv 第2行：“id_no”列：身份证号码应为18位，实际为14位"]


def test_bad_header_and_empty_file(tmp_path, capsys):
    code, _, err = run(tmp_path, capsys, "", header="id,kind\n")
    assert code == 1 and "不认识的列" in err["error"] and "缺少列" in err["error"]
    code, _, err = run(tmp_path, capsys, "")
    assert code == 1 and "没有数据行" in err["error"]


def test_optional_columns_may_be_left_out(tmp_path, capsys):
    code, out, _ = run(tmp_path, capsys, f"{A},government,警告,2026-05-01\n",
                       header="id_no,kind,category,decided_on\n")  # fmt: skip
    assert code == 0 and out["people"][0]["in_effect"][0]["until"] == "2026-11-01"


def test_usage_errors_are_json_with_code_2(tmp_path, capsys):
    code = main(["--as-of", "2026-06-30", "--purpose", "升职", "--records", "x.csv", "--json"])
    err = json.loads(capsys.readouterr().err)
    assert code == 2 and err["code"] == 2 and "升职" in err["error"]


def test_text_output_masks_id_numbers(tmp_path, capsys):
    path = tmp_path / "r.csv"
    path.write_text(HEADER + f"{A},party,警告,2026-01-15,,,\n", encoding="utf-8")
    assert main(["--as-of", "2026-06-30", "--purpose", "提拔任用", "--records", str(path)]) == 0
    out = capsys.readouterr().out
    assert A not in out and "有影响" in out and "影响期至2027年1月15日" in out


def test_runs_from_the_jiandu_entry_point_without_django(tmp_path):
    path = tmp_path / "r.csv"
    path.write_text(HEADER + f"{A},government,警告,2026-01-31,,,\n", encoding="utf-8")
    code = (
        "import sys, jiandu.cli as c\n"
        "try:\n    c.main(sys.argv[1:])\nexcept SystemExit as e:\n"
        "    assert 'django' not in sys.modules, 'django imported'\n    raise\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code, "dossier", "opinion", "--as-of", "2026-03-01",
         "--purpose", "年度考核", "--records", str(path), "--json"],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["people"][0]["in_effect"][0]["until"] == "2026-07-31"
