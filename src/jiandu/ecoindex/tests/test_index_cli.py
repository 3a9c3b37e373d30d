"""``jiandu index compute`` on real files: the output format and the errors naming rows/keys."""

import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

import jiandu
from jiandu.ecoindex.index_cli import main

SPEC = {
    "months": ["2026-09", "2026-10"],
    "missing": "reweight",
    "regreen_months": 1,
    "tree": {
        "key": "index",
        "name": "政治生态指数",
        "weight": 99,
        "children": [
            {"key": "clean", "name": "公职人员清廉度", "weight": 3, "children": [
                {"key": "cases", "name": "立案数", "weight": 1, "method": "deduction",
                 "points": 10},
                {"key": "petitions", "name": "信访举报件数", "weight": 1, "method": "minmax",
                 "direction": "lower"},
            ]},
            {"key": "fix", "name": "自我净化修复度", "weight": 1, "children": [
                {"key": "rate", "name": "整改完成率", "weight": 1, "method": "thresholds",
                 "breakpoints": [[0, 0], [60, 60], [100, 100]]},
            ]},
        ],
    },
}  # fmt: skip

ROWS = [
    ("甲镇", "2026-09", "cases", "2"),
    ("甲镇", "2026-09", "petitions", "4"),
    ("甲镇", "2026-09", "rate", "50"),
    ("乙镇", "2026-09", "cases", "0"),
    ("乙镇", "2026-09", "信访举报件数", "0"),  # by name
    ("乙镇", "2026-09", "rate", "100"),
    ("甲镇", "2026-10", "cases", "0"),
    ("甲镇", "2026-10", "petitions", "0"),
    ("甲镇", "2026-10", "rate", "90"),
    ("丙局", "2026-10", "cases", "1.5005"),
]


def write(tmp_path, spec=SPEC, rows=ROWS, header="unit,month,indicator,value"):
    s = tmp_path / "spec.json"
    s.write_text(json.dumps(spec, ensure_ascii=False), encoding="utf-8")
    v = tmp_path / "values.csv"
    v.write_text(header + "\n" + "\n".join(",".join(r) for r in rows) + "\n", encoding="utf-8")
    return s, v


def run(*args):
    out, err = io.StringIO(), io.StringIO()
    code = main(list(args), stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


def test_json_output(tmp_path):
    s, v = write(tmp_path)
    code, out, _ = run("--spec", str(s), "--values", str(v), "--json")
    assert code == 0
    data = json.loads(out)
    sept, octo = data["months"]
    assert sept["month"] == "2026-09"
    # 丙局 appears only in October but is a unit of every month: no value → missing
    units = {u["unit"]: u for u in sept["units"]}
    assert set(units) == {"甲镇", "乙镇", "丙局"}
    jia = units["甲镇"]
    # clean = (80 + 0)/2 = 40; fix = 50; index = (3·40 + 50)/4 = 42.5
    assert jia["nodes"] == {"index": 42.5, "clean": 40.0, "cases": 80.0, "petitions": 0.0,
                            "fix": 50.0, "rate": 50.0}  # fmt: skip
    assert jia["index"] == 42.5 and jia["colour"] == "红" and jia["rank"] == 2
    assert units["乙镇"]["index"] == 100.0 and units["乙镇"]["rank"] == 1
    bing = units["丙局"]
    assert bing["index"] is None and bing["colour"] is None and bing["rank"] is None
    assert bing["nodes"]["cases"] is None and bing["regreened"] is False
    assert [u["unit"] for u in sept["units"]] == ["乙镇", "甲镇", "丙局"]
    units = {u["unit"]: u for u in octo["units"]}
    # 丙局: cases 1.5005 → 84.995 → 85.00, 绿 (only leaf with a value)
    assert units["丙局"]["index"] == 85.0 and units["丙局"]["colour"] == "绿"
    # 甲镇: all minmax equal (one unit with a value) → 100; index (3·100 + 90)/4 = 97.5
    assert units["甲镇"]["index"] == 97.5
    assert units["甲镇"]["regreened"] is True  # 红 in September, 绿 in October, k = 1
    assert units["丙局"]["regreened"] is False  # no colour in September


def test_zero_rule(tmp_path):
    s, v = write(tmp_path, spec=SPEC | {"missing": "zero"})
    code, out, _ = run("--spec", str(s), "--values", str(v), "--json")
    assert code == 0
    bing = {u["unit"]: u for u in json.loads(out)["months"][0]["units"]}["丙局"]
    assert bing["index"] == 0.0 and bing["colour"] == "红" and bing["rank"] == 3
    assert bing["nodes"]["cases"] == 0.0


def test_text_output(tmp_path):
    s, v = write(tmp_path)
    code, out, _ = run("--spec", str(s), "--values", str(v))
    assert code == 0
    assert "【2026-10】" in out and "丙局  85.00  绿" in out


@pytest.mark.parametrize(
    ("rows", "fragment"),
    [
        ([("甲镇", "2026-09", "nope", "1")], "第2行，“indicator”列：未知指标“nope”"),
        ([("甲镇", "2026-09", "cases", "abc")], "第2行，“value”列：“abc”不是数字"),
        ([("甲镇", "2026-09", "cases", "-1")], "扣分法指标“立案数”的数值不能为负数"),
        ([("甲镇", "2026-08", "cases", "1")], "第2行，“month”列：2026-08 不在规则文件的 months 中"),
        ([("甲镇", "2026-09", "cases", "1"), ("甲镇", "2026-09", "立案数", "2")],
         "第3行：甲镇 2026-09 “立案数”重复（与第2行重复）"),
    ],
)  # fmt: skip
def test_value_errors_name_the_row(tmp_path, rows, fragment):
    s, v = write(tmp_path, rows=rows)
    code, _, err = run("--spec", str(s), "--values", str(v), "--json")
    assert code == 1
    body = json.loads(err)
    assert body["ok"] is False and body["code"] == 1
    assert any(fragment in e for e in body["errors"]), body["errors"]


@pytest.mark.parametrize(
    ("change", "fragment"),
    [
        ({"tree": {"key": "index", "children": [{"key": "a", "name": "a", "weight": -1,
                                                  "method": "minmax"}]}},
         "“a”：weight（权重）应大于0"),
        ({"tree": {"key": "index", "children": [{"key": "a", "name": "a", "weight": 1}]}},
         "“a”：叶子指标缺少 method"),
        ({"bands": [{"colour": "绿", "min": 85}, {"colour": "黄", "min": 90}]},
         "bands 第2项“黄”：各档的 min 应从高到低严格递减"),
        ({"missing": "skip"}, "missing：\"skip\" 无效"),
    ],
)  # fmt: skip
def test_spec_errors_name_the_key(tmp_path, change, fragment):
    s, v = write(tmp_path, spec=SPEC | change, rows=[("甲镇", "2026-09", "a", "1")])
    code, _, err = run("--spec", str(s), "--values", str(v), "--json")
    assert code == 1
    assert any(fragment in e for e in json.loads(err)["errors"]), err


def test_usage_error_is_json_with_status_2():
    code, _, err = run("--json")
    assert code == 2 and json.loads(err)["code"] == 2


def test_chinese_headers_and_entry_point_without_django(tmp_path):
    s, v = write(tmp_path, header="单位,月份,指标,数值")
    result = subprocess.run(
        [sys.executable, "-c",
         "import sys\nfrom jiandu.cli import main\ntry:\n main(sys.argv[1:])\nfinally:\n"
         " assert 'django' not in sys.modules",
         "index", "compute", "--spec", str(s), "--values", str(v), "--json"],
        capture_output=True, text=True, check=False,
        env={"PYTHONPATH": str(Path(jiandu.__file__).parents[1]), "PATH": ""},
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["months"][1]["month"] == "2026-10"
