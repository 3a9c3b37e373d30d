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
