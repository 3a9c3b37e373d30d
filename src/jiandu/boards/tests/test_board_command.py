"""``jiandu board close|rank|list|install-builtins``."""

import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from jiandu.boards import rank_cli
from jiandu.boards.management.commands.board import Command
from jiandu.boards.models import Board, BoardSnapshot
from jiandu.orgs.choices import OrgKind
from jiandu.orgs.services import org_create


def _run(*args):
    out = io.StringIO()
    call_command("board", *args, stdout=out)
    return out.getvalue()


def test_close_prints_json_and_recompute_needs_a_reason(bw):
    for month in (1, 2):
        bw.receive(bw.world.county, month, 1)
        bw.receive(bw.dongchuan, month, 1)
        data = json.loads(
            _run("close", "--board", "poverty-counties", "--month", f"2020-{month:02d}", "--json")
        )
    assert (data["month"], data["version"], data["units"]) == ("2020-02", 1, 3)
    assert [w["org"] for w in data["warnings"]] == ["禄劝县纪委监委"]
    with pytest.raises(CommandError, match="重新计算须填写原因"):
        _run("close", "--board", "poverty-counties", "--month", "2020-02")
    text = _run(
        "close",
        "--board",
        "poverty-counties",
        "--month",
        "2020-02",
        "--reason",
        "复核",
        "--user",
        "city",
    )
    assert "已结账：9个有脱贫攻坚任务的县区扶贫领域监督执纪问责工作情况 2020年2月（第2版" in text
    assert BoardSnapshot.objects.get(month="2020-02", version=2).created_by == bw.users["city"]


def test_close_says_why_no_warning_was_issued_when_units_tie_at_last(bw):
    bw.receive(bw.world.county, 1, 1)
    text = _run("close", "--board", "poverty-counties", "--month", "2020-01")
    assert "2020年1月末位并列2个单位，未发预警" in text


def test_close_refuses_unknown_boards_and_users_without_the_permission(bw):
    with pytest.raises(CommandError, match="多色榜“nope”不存在"):
        _run("close", "--board", "nope", "--month", "2020-01")
    with pytest.raises(CommandError, match="没有该多色榜的结账权限"):
        _run("close", "--board", "poverty-counties", "--month", "2020-01", "--user", "leader")


def test_list_and_install_builtins(world):
    org_create(actor=world.users["city"], name="另一市纪委监委", kind=OrgKind.COMMISSION)
    with pytest.raises(CommandError, match="找不到唯一的顶级纪委监委"):
        _run("install-builtins")
    installed = json.loads(_run("install-builtins", "--owner", str(world.city.pk), "--json"))
    assert [b["key"] for b in installed] == ["poverty-stationed", "poverty-counties"]
    assert Board.objects.count() == 2
    listing = json.loads(_run("list", "--json"))
    assert [(b["key"], b["latest_month"]) for b in listing] == [
        ("poverty-stationed", None),
        ("poverty-counties", None),
    ]


def _two_unit_board(tmp_path):
    """A one-month, one-indicator board of two units, as the calculator's files."""
    spec = tmp_path / "spec.json"
    spec.write_text(
        json.dumps({"months": ["2019-09"], "indicators": [{"key": "a", "name": "受理"}]}),
        encoding="utf-8",
    )
    values = tmp_path / "values.csv"
    values.write_text(
        "unit,month,indicator,value\n甲,2019-09,a,3\n乙,2019-09,a,1\n", encoding="utf-8"
    )
    return spec, values


def test_rank_passes_its_arguments_to_the_file_calculator(tmp_path, capsys):
    spec, values = _two_unit_board(tmp_path)
    with pytest.raises(SystemExit) as exited:
        Command().run_from_argv(
            ["jiandu", "board", "rank", "--spec", str(spec), "--values", str(values), "--json"]
        )
    assert exited.value.code == 0
    result = json.loads(capsys.readouterr().out)
    assert [r["unit"] for r in result["cumulative"]["units"]] == ["甲", "乙"]


def test_rank_through_call_command_writes_the_calculator_output_unchanged(tmp_path):
    spec, values = _two_unit_board(tmp_path)
    args = ["--spec", str(spec), "--values", str(values), "--json"]
    expected = io.StringIO()
    assert rank_cli.main(args, stdout=expected) == 0
    out = io.StringIO()
    call_command("board", "rank", "--", *args, stdout=out)
    assert out.getvalue() == expected.getvalue()
    err = io.StringIO()
    with pytest.raises(CommandError, match="计算未完成"):
        call_command("board", "rank", "--", "--spec", str(spec), "--values", "nope.csv", stderr=err)
    assert err.getvalue().startswith("错误：") and err.getvalue().endswith(
        "No such file or directory\n"
    )
