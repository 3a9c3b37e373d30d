"""``jiandu inspection draw`` on real files: shapes, exit codes, row-named errors."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

from jiandu.inspections.draw_cli import main

ROOT = Path(__file__).resolve().parents[4]

POOL = """person_id,name,home_org,skills,can_lead
P1,张一,O-A,财务;审计,1
P2,李二,O-B,财务,1
P3,王三,O-C,审计,0
P4,赵四,O-D,工程,0
P5,钱五,O-T1,财务,1
P6,孙六,O-E,法律;审计,0
P7,周七,O-F,,1
P8,吴八,O-G,财务,0
"""
TARGETS = """org_id,name,covers
O-T1,一号单位,O-T1;O-T1a
O-T2,二号单位,O-T2
"""


def files(tmp_path, pool=POOL, targets=TARGETS, avoid=None, history=None, encoding="utf-8"):
    paths = {}
    for name, text in (("pool", pool), ("targets", targets), ("avoid", avoid),
                       ("history", history)):  # fmt: skip
        if text is None:
            continue
        path = tmp_path / f"{name}.csv"
        path.write_text(text, encoding=encoding)
        paths[name] = path
    args = []
    for name, path in paths.items():
        args += [f"--{name}", str(path)]
    return args


def run(capsys, args):
    code = main(args)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_json_teams(tmp_path, capsys):
    options = ["--team-size", "3", "--skills", "财务,审计", "--seed", "7", "--as-of", "2026-10-01"]
    args = [*files(tmp_path), *options, "--json"]
    code, out, _ = run(capsys, args)
    assert code == 0
    data = json.loads(out)
    assert data["seed"] == 7
    assert [t["target"] for t in data["teams"]] == ["O-T1", "O-T2"]
    everyone = []
    for team in data["teams"]:
        assert [m["role"] for m in team["members"]] == ["组长", "组员", "组员"]
        assert set(team["members"][0]) == {"person_id", "role"}
        everyone += [m["person_id"] for m in team["members"]]
    assert len(set(everyone)) == 6
    t1 = {m["person_id"] for m in data["teams"][0]["members"]}
    assert "P5" not in t1  # own unit
    # Same files, same seed: same output.
    assert run(capsys, args)[1] == out


def test_avoid_and_history_apply_to_subordinate_units(tmp_path, capsys):
    avoid = "person_id,org_id\nP1,O-T1a\nP2,O-T1a\n"
    history = "person_id,org_id,ended_on\nP7,O-T1a,2025-06-30\n"
    targets = "org_id,name,covers\nO-T1,一号单位,O-T1a\n"
    options = ["--team-size", "2", "--seed", "1", "--as-of", "2026-10-01", "--json"]
    args = [*files(tmp_path, targets=targets, avoid=avoid, history=history), *options]
    code, out, err = run(capsys, args)
    # Leaders: P1, P2 (conflicts), P5 (own unit), P7 (cool-down): nobody can lead.
    assert code == 1, err
    data = json.loads(out)
    assert data["infeasible"][0]["target"] == "O-T1"
    assert "组长" in data["infeasible"][0]["reason"]
    # With no cool-down P7 may lead again.
    code, out, _ = run(capsys, [*args, "--cooldown-months", "0"])
    assert code == 0
    assert json.loads(out)["teams"][0]["members"][0]["person_id"] == "P7"


def test_infeasible_names_each_target(tmp_path, capsys):
    args = [*files(tmp_path), "--team-size", "5", "--skills", "工程", "--seed", "3", "--json"]
    code, out, _ = run(capsys, args)
    assert code == 1
    data = json.loads(out)
    assert set(data) == {"infeasible"}
    rows = {r["target"]: r["reason"] for r in data["infeasible"]}
    assert set(rows) == {"O-T2"} or set(rows) == {"O-T1", "O-T2"}
    assert all(rows.values())


@pytest.mark.parametrize(
    ("pool", "targets", "extra", "words"),
    [
        (POOL.replace("P3,王三,O-C,审计,0", "P3,王三,O-C,审计,是"), TARGETS, [],
         "pool.csv 第4行 can_lead 列"),
        (POOL.replace("P4,", "P1,", 1), TARGETS, [],
         "pool.csv 第5行 person_id 列：人员编号 P1 与第2行重复"),
        (POOL.replace("home_org", "unit"), TARGETS, [], "pool.csv 第1行（表头）"),
        (POOL, TARGETS + "O-T2,重复,\n", [], "targets.csv 第4行 org_id 列"),
        (POOL, TARGETS, ["--as-of", "2026/10/01"], "--as-of"),
        (POOL, TARGETS, ["--team-size", "0"], "每组人数至少为1"),
        (POOL.replace("P8,吴八,O-G,财务,0", "P8,吴八,,财务,0"), TARGETS, [],
         "pool.csv 第9行 home_org 列：不能为空"),
    ],
)  # fmt: skip
def test_bad_rows_exit_2_naming_the_row(tmp_path, capsys, pool, targets, extra, words):
    args = [*files(tmp_path, pool=pool, targets=targets), "--team-size", "2", "--json", *extra]
    code, out, err = run(capsys, args)
    assert code == 2
    assert out == ""
    body = json.loads(err)
    assert body["code"] == 2 and words in body["error"]


def test_avoid_and_history_rows_checked(tmp_path, capsys):
    args = [*files(tmp_path, avoid="person_id,org_id\nP99,O-T1\n"), "--team-size", "2", "--json"]
    code, _, err = run(capsys, args)
    assert code == 2 and "avoid.csv 第2行 person_id 列：人员编号 P99 不在人才库" in err
    history = "person_id,org_id,ended_on\nP1,O-T1,昨天\n"
    args = [*files(tmp_path, history=history), "--team-size", "2", "--json"]
    code, _, err = run(capsys, args)
    assert code == 2 and "history.csv 第2行 ended_on 列" in err


def test_gb18030_and_text_output(tmp_path, capsys):
    args = [*files(tmp_path, encoding="gb18030"), "--team-size", "2", "--seed", "5"]
    code, out, _ = run(capsys, args)
    assert code == 0
    assert out.startswith("随机种子：5")
    assert "一号单位：组长" in out


def test_seed_chosen_when_missing(tmp_path, capsys):
    code, out, _ = run(capsys, [*files(tmp_path), "--team-size", "2", "--json"])
    assert code == 0 and isinstance(json.loads(out)["seed"], int)


def test_entry_point_runs_without_django(tmp_path):
    args = ["inspection", "draw", *files(tmp_path), "--team-size", "2", "--seed", "9", "--json"]
    code = (
        "import sys, json\nfrom jiandu.cli import main\ntry:\n    main(sys.argv[1:])\n"
        "except SystemExit as e:\n    sys.__stderr__.write('RC=%s;' % e.code)\n"
        "sys.__stderr__.write('DJ=%s' % ('django' in sys.modules))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={"PYTHONPATH": str(ROOT / "src"), "PATH": "/usr/bin:/bin"},
        timeout=120,
    )
    assert "RC=0;" in done.stderr and "DJ=False" in done.stderr, done.stderr
    assert json.loads(done.stdout)["seed"] == 9
