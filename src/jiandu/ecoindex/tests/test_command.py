"""``jiandu index close`` and the background task of the close button: same service, the
result as text or JSON, refusals as command errors, progress reported."""

import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from jiandu.core.models import Task
from jiandu.ecoindex.models import IndexSnapshot
from jiandu.ecoindex.tasks import run_close
from jiandu.ecoindex.tests.conftest import report_all
from jiandu.ecoindex.tests.test_close import units, yellow

pytestmark = pytest.mark.django_db


def test_close_command_json_and_refusals(world):
    report_all(actor=world.users["city"], month="2026-09", orgs=units(world),
               overrides=yellow(world))  # fmt: skip
    out = io.StringIO()
    call_command("index", "close", "--month", "2026-09", "--json", stdout=out)
    data = json.loads(out.getvalue())
    assert data["month"] == "2026-09" and data["version"] == 1 and data["tree_version"] == 1
    assert data["colours"]["yellow"] == 1 and data["warnings"][0]["org"] == "市民政局"
    with pytest.raises(CommandError, match="重新结账须写明原因"):
        call_command("index", "close", "--month", "2026-09", stdout=io.StringIO())
    with pytest.raises(CommandError, match="没有政治生态指数的结账权限"):
        call_command("index", "close", "--month", "2026-10", "--user", "county",
                     stdout=io.StringIO())  # fmt: skip
    with pytest.raises(CommandError, match="第7版不存在"):
        call_command("index", "close", "--month", "2026-10", "--tree-version", "7",
                     stdout=io.StringIO())  # fmt: skip
    text = io.StringIO()
    call_command("index", "close", "--month", "2026-09", "--reason", "复核", stdout=text)
    assert "第2版" in text.getvalue() and "绿2个，黄1个" in text.getvalue()
    listing = io.StringIO()
    call_command("index", "trees", stdout=listing)
    assert "第1版" in listing.getvalue()


def test_task_reports_progress_and_links_the_month(world):
    report_all(actor=world.users["city"], month="2026-09", orgs=units(world),
               skip={(world.township.pk, "study_rate")})  # fmt: skip
    task = Task.objects.create(kind="ecoindex.close", params={"month": "2026-09"},
                               created_by=world.users["city"])  # fmt: skip
    steps = []
    result = run_close(task, lambda fraction, message="": steps.append((fraction, message)))
    assert steps[0][0] < steps[-1][0] == 1.0 and steps[-1][1] == "结账完成"
    assert result["版本"] == "第1版" and result["参评单位"] == 3
    assert "宣传部：红云街道" in result["缺报"]
    assert result["url"].endswith("?month=2026-09")
    assert IndexSnapshot.objects.filter(month="2026-09").count() == 1


def test_new_tree_version_from_a_month_keeps_closed_months(world, tmp_path):
    report_all(actor=world.users["city"], month="2026-09", orgs=units(world),
               overrides=yellow(world))  # fmt: skip
    call_command("index", "close", "--month", "2026-09", stdout=io.StringIO())
    out = io.StringIO()
    call_command("index", "export-tree", stdout=out)
    document = json.loads(out.getvalue())
    assert len(document["tree"]["children"]) == 7
    document["tree"]["children"][2]["weight"] = 0.0001  # 选人用人公信度 almost nothing
    path = tmp_path / "tree.json"
    path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    done = io.StringIO()
    call_command("index", "new-version", "--file", str(path), "--from", "2026-10",
                 "--reason", "调整板块权重", stdout=done)  # fmt: skip
    assert "第2版，2026年10月起适用" in done.getvalue()
    with pytest.raises(CommandError, match="已有从2026年10月起适用的版本"):
        call_command("index", "new-version", "--file", str(path), "--from", "2026-10",
                     "--reason", "再来", stdout=io.StringIO())  # fmt: skip
    leaf = document["tree"]["children"][0]["children"][0]["children"][0]
    leaf["source"], leaf["statistic"] = "computed", "no_such_count"
    path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(CommandError, match="statistic 应为平台能统计的口径之一"):
        call_command("index", "new-version", "--file", str(path), "--from", "2026-11",
                     "--reason", "错", stdout=io.StringIO())  # fmt: skip
    # September keeps version 1 when closed again; October is computed with version 2.
    again = io.StringIO()
    call_command("index", "close", "--month", "2026-09", "--reason", "复核", "--json",
                 stdout=again)  # fmt: skip
    assert json.loads(again.getvalue())["tree_version"] == 1
    report_all(actor=world.users["city"], month="2026-10", orgs=units(world))
    october = io.StringIO()
    call_command("index", "close", "--month", "2026-10", "--json", stdout=october)
    assert json.loads(october.getvalue())["tree_version"] == 2
