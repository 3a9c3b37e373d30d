"""``jiandu datacheck …`` hands everything after ``datacheck`` to the engine's command
line (rules, run, import, generate) and exits with its status."""

import json

import pytest
from django.core.management import call_command, execute_from_command_line

from jiandu.datacheck.engine.rules import RULES


def test_rules_as_json(capsys):
    execute_from_command_line(["jiandu", "datacheck", "rules", "--json"])
    assert [r["code"] for r in json.loads(capsys.readouterr().out)] == list(RULES)


def test_usage_error_exits_with_the_engines_status(capsys):
    with pytest.raises(SystemExit) as exit_info:
        execute_from_command_line(["jiandu", "datacheck", "run"])
    assert exit_info.value.code == 2
    assert "用法错误" in capsys.readouterr().err


def test_call_command(capsys):
    call_command("datacheck", "rules")
    assert "R02 死亡后部分停发" in capsys.readouterr().out
