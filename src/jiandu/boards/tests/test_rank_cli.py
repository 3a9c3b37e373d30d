"""``jiandu board rank`` on real files."""

import json

import pytest

from jiandu.boards.rank_cli import main

SPEC = {
    "title": "派驻机构扶贫领域监督执纪问责工作情况",
    "months": ["2019-08", "2019-09"],
    "indicators": [
        {"key": "accepted", "name": "问题受理", "unit": "件"},
        {"key": "handled", "name": "处置办结", "unit": "件"},
        {
            "key": "exposure",
            "name": "通报曝光",
            "unit": "批次/人次",
            "components": [{"key": "batches", "name": "批次"}, {"key": "persons", "name": "人次"}],
        },
    ],
    "yellow_units": {"第一纪检组": "牵头单位纪检组"},
}

FIGURES = {
    # unit: (accepted, handled, batches, persons) for August and September
    "第一纪检组": [(6, 5, 1, 2), (4, 4, 1, 1)],
    "第二纪检组": [(3, 3, 1, 3), (5, 5, 0, 0)],
    "第三纪检组": [(1, 1, 0, 0), (1, 0, 0, 0)],
    "第四纪检组": [(4, 2, 2, 2), (2, 2, 1, 4)],
}


def write_inputs(tmp_path, *, rows=None, spec=SPEC, header="unit,month,indicator,value"):
    spec_path = tmp_path / "spec.json"
    spec_path.write_text(json.dumps(spec, ensure_ascii=False), encoding="utf-8")
    if rows is None:
        rows = []
        for unit, months in FIGURES.items():
            for month, (a, h, b, p) in zip(SPEC["months"], months, strict=True):
                rows += [
                    f"{unit},{month},accepted,{a}",
                    f"{unit},{month},处置办结,{h}",
                    f"{unit},{month},exposure.batches,{b}",
                    f"{unit},{month},通报曝光.人次,{p}",
                ]
    values_path = tmp_path / "values.csv"
    values_path.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8-sig")
    return ["--spec", str(spec_path), "--values", str(values_path)]


def test_json_output(tmp_path, capsys):
    assert main([*write_inputs(tmp_path), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert [p["key"] for p in data["months"]] == ["2019-08", "2019-09"]
    assert data["cumulative"]["label"] == "2019年8—9月"
    august = {u["unit"]: u for u in data["months"][0]["units"]}
    first = august["第一纪检组"]
    assert first["yellow"] == "牵头单位纪检组"
    assert first["cells"]["accepted"] == {
        "value": 6,
        "display": "6",
        "rank": 1,
        "colour": "red",
        "points": 5,
        "missing_as_zero": False,
    }
    # 通报曝光 ranks on 批次, then 人次: 第四 2/2, 第二 1/3, 第一 1/2, 第三 0/0.
    ranks = {u: august[u]["cells"]["exposure"]["rank"] for u in august}
    assert ranks == {"第四纪检组": 1, "第二纪检组": 2, "第一纪检组": 3, "第三纪检组": 4}
    assert august["第三纪检组"]["cells"]["exposure"]["colour"] == "white"
    assert august["第三纪检组"]["overall_rank"] == 4
    assert august["第一纪检组"]["composite"] == 15
    assert data["settings"]["colours"] == {
        "red_points": 5,
        "blue_points": 3,
        "white_points": 1,
        "top_n": 3,
    }
    cumulative = {u["unit"]: u for u in data["cumulative"]["units"]}
    assert cumulative["第一纪检组"]["cells"]["accepted"]["value"] == 10


def test_text_output_is_a_readable_table(tmp_path, capsys):
    assert main(write_inputs(tmp_path)) == 0
    out = capsys.readouterr().out
    assert "【2019年8月】按当月数值排名" in out
    assert "【2019年8—9月】按各月数值累加排名" in out
    assert "通报曝光（批次/人次）" in out
    line = next(x for x in out.splitlines() if "第三纪检组" in x)
    assert "白1" in line
    assert "牵头单位纪检组" in out


def test_bad_rows_are_named_by_row_and_column(tmp_path, capsys):
    rows = [
        "第一纪检组,2019-08,accepted,6",
        "第一纪检组,2019-13,accepted,6",
        "第一纪检组,2019-08,exposure,1",
        "第一纪检组,2019-08,handled,abc",
        "第一纪检组,2019-08,accepted,7",
        "第一纪检组,2019-08,unknown,1",
    ]
    assert main(write_inputs(tmp_path, rows=rows)) == 1
    err = capsys.readouterr().err
    assert "values.csv 第3行，“month”列：“2019-13”中的月份应在1到12之间" in err
    assert "第4行，“indicator”列：“通报曝光”是复合指标" in err
    assert "第5行，“value”列：“abc”不是数字" in err
    assert "第6行，“unit”列：同一单位、月份、指标的数据重复（与第2行重复）" in err
    assert "第7行，“indicator”列：指标“unknown”不在规则中" in err


def test_bad_header_is_named(tmp_path, capsys):
    args = write_inputs(
        tmp_path, rows=["a,2019-08,accepted,1,x"], header="unit,month,indicator,component"
    )
    assert main(args) == 1
    err = capsys.readouterr().err
    assert "第1行第4列：不认识的列“component”" in err
    assert "缺少列 value" in err


def test_chinese_headers_and_gb18030_files_are_read(tmp_path, capsys):
    args = write_inputs(tmp_path, header="单位,月份,指标,数值")
    values = tmp_path / "values.csv"
    values.write_bytes(values.read_text(encoding="utf-8-sig").encode("gb18030"))
    assert main([*args, "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["months"][0]["units"]


def test_missing_values_fail_unless_counted_as_zero(tmp_path, capsys):
    args = write_inputs(tmp_path)
    values = tmp_path / "values.csv"
    lines = values.read_text(encoding="utf-8-sig").splitlines()
    values.write_text("\n".join(x for x in lines if not x.startswith("第三纪检组,2019-09")))
    assert main(args) == 1
    err = capsys.readouterr().err
    assert "第三纪检组（2019年9月：问题受理、处置办结、通报曝光·批次、通报曝光·人次）" in err
    assert "--missing zero" in err

    assert main([*args, "--missing", "zero", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["settings"]["missing"] == "zero"
    assert len(data["months"][1]["missing_as_zero"]) == 4
    assert main([*args, "--missing", "zero"]) == 0
    assert "缺少的数据已按0计" in capsys.readouterr().out


def test_bad_spec_is_reported(tmp_path, capsys):
    args = write_inputs(tmp_path, spec={"months": ["2019-08"], "indicators": []})
    assert main(args) == 1
    assert "spec.json：indicators：应为非空的指标列表" in capsys.readouterr().err
    (tmp_path / "spec.json").write_text('{"months": [', encoding="utf-8")
    assert main(args) == 1
    assert "不是有效的 JSON（第1行" in capsys.readouterr().err


def test_missing_file_and_usage_errors(tmp_path, capsys):
    assert main(["--spec", str(tmp_path / "none.json"), "--values", "x.csv"]) == 1
    assert "无法读取文件" in capsys.readouterr().err
    assert main(["--values", "x.csv"]) == 2


@pytest.mark.parametrize("mode", ["sum_values", "sum_points"])
def test_cumulative_mode_from_the_spec(tmp_path, capsys, mode):
    assert main([*write_inputs(tmp_path, spec={**SPEC, "cumulative_mode": mode}), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["cumulative"]["basis"] == ("points" if mode == "sum_points" else "values")


def test_the_spec_decides_who_is_last_when_units_tie(tmp_path, capsys):
    spec = {
        "months": ["2019-08", "2019-09"],
        "indicators": [
            {"key": "accepted", "name": "问题受理"},
            {"key": "handled", "name": "处置办结"},
        ],
        "last_place": {"tie_breakers": ["处置办结", "previous_rank"], "max_tied": 1},
    }
    # (accepted, handled) in August and September: 甲 and 乙 tie at the bottom both months;
    # 处置办结 tells them apart in August only.
    figures = {"甲": [(5, 1), (1, 1)], "乙": [(1, 5), (1, 1)], "丙": [(3, 3), (3, 3)]}
    rows = [
        f"{unit},{month},{key},{value}"
        for unit, months in figures.items()
        for month, pair in zip(spec["months"], months, strict=True)
        for key, value in zip(("accepted", "handled"), pair, strict=True)
    ]
    args = write_inputs(tmp_path, rows=rows, spec=spec)
    assert main(args) == 0
    text = capsys.readouterr().out
    assert "依次比较“处置办结”、上期综合排名，较差者为末位；仍并列末位的单位多于1个时" in text
    august, september, cumulative = text.split("【")[1:]
    assert "末位：甲（2个单位综合得分同为最低，依次比较“处置办结”后排在最后）" in august
    # September: equal on 处置办结, and both shared the 2nd place in August.
    assert "末位：末位并列2个单位，不确定末位" in september
    # 1—2月: 甲 and 乙 tie again; 处置办结 summed, 甲 2 against 乙 6.
    assert "末位：甲（2个单位综合得分同为最低，依次比较“处置办结”后排在最后）" in cumulative
    assert main([*args, "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["settings"]["last_place"] == {
        "tie_breakers": ["handled", "previous_rank"],
        "max_tied": 1,
    }
    assert data["last"]["2019-08"]["units"] == ["甲"]
    assert data["last"]["2019-09"] == {
        "units": [],
        "participants": 3,
        "tied": 2,
        "remaining": 2,
        "decided_by": [],
        "tie_break": "",
        "all_equal": False,
    }


def test_bottom_k_is_cut_by_the_specs_tie_breakers_as_the_close_cuts_it(tmp_path, capsys):
    spec = {
        "months": ["2019-08", "2019-09"],
        "indicators": [
            {"key": "accepted", "name": "问题受理"},
            {"key": "handled", "name": "处置办结"},
        ],
        "last_place": {"tie_breakers": ["处置办结", "previous_rank"]},
    }
    # 1—2月 summed: 甲 (6, 2), 乙 (2, 6), 丙 (6, 6): 甲 and 乙 both on 6 points, 丙 10.
    figures = {"甲": [(5, 1), (1, 1)], "乙": [(1, 5), (1, 1)], "丙": [(3, 3), (3, 3)]}
    rows = [
        f"{unit},{month},{key},{value}"
        for unit, months in figures.items()
        for month, pair in zip(spec["months"], months, strict=True)
        for key, value in zip(("accepted", "handled"), pair, strict=True)
    ]
    args = write_inputs(tmp_path, rows=rows, spec=spec)
    assert main([*args, "--bottom", "1"]) == 0
    text = capsys.readouterr().out
    assert text.rstrip().endswith(
        "2019年8—9月后1名：甲（甲：2个单位综合得分同为6分，依次比较“处置办结”后列入后1名）"
    )
    assert main([*args, "--bottom", "2", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert (data["bottom"]["units"], data["bottom"]["note"]) == (["甲", "乙"], "")

    # Without tie-breakers nothing tells them apart: the list stops above the tie.
    args = write_inputs(tmp_path, rows=rows, spec={**spec, "last_place": {}})
    assert main([*args, "--bottom", "1"]) == 0
    assert (
        capsys.readouterr()
        .out.rstrip()
        .endswith(
            "2019年8—9月后1名：倒数第1名处有2个单位综合得分同为6分、并列第2位，"
            "无法确定谁在名单内，均不列入，名单为空"
        )
    )
    assert main([*args, "--bottom", "1", "--json"]) == 0
    bottom = json.loads(capsys.readouterr().out)["bottom"]
    assert (bottom["units"], bottom["tied"]) == ([], 2)
    assert main([*args, "--bottom", "0", "--json"]) == 2
    assert json.loads(capsys.readouterr().err)["error"] == "--bottom：后几名的名数应至少为1"
