"""线索大起底 as the 案件监督管理室's ``casemgmt`` (线索管理, docs/roles.md): start a
campaign over the 暂存待查 clues received since 2018 with the page's filters, open it,
keep one clue's disposal and re-dispose another, which goes into its approval route
(a 呈批件 waiting at its first step; the clue unchanged until approved)."""

from __future__ import annotations

import datetime as dt
import re

import pytest

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("no_code_like_text"),
]


@pytest.fixture
def rw():
    from jiandu.testing import build_role_world

    return build_role_world()


def _clue(rw, title, org, received, method):
    from jiandu.clues.choices import ClueSource
    from jiandu.clues.services import clue_create, clue_dispose

    city = rw.world.users["city"]
    clue = clue_create(actor=city, source=ClueSource.PETITION, title=title,
                       received_date=received, handling_org=org)  # fmt: skip
    return clue_dispose(actor=city, clue=clue, method=method, on_date=received)


def test_casemgmt_sweeps_the_shelved_clues_and_a_redisposal_goes_to_its_route(rw, page, log_in):
    from jiandu.approvals.models import ApprovalRequest
    from jiandu.clues.models import Clue
    from jiandu.sweeps.models import Sweep

    world = rw.world
    kept = _clue(rw, "某局违规发放补贴（暂存）", world.room1, dt.date(2019, 4, 1), "shelved")
    redone = _clue(rw, "某街道工程招标问题（暂存）", world.county, dt.date(2021, 6, 1), "shelved")
    _clue(rw, "早年暂存线索", world.county, dt.date(2016, 6, 1), "shelved")
    _clue(rw, "谈话函询中的线索", world.county, dt.date(2021, 6, 1), "talk_inquiry")

    base = log_in("casemgmt")
    page.goto(f"{base}/sweeps/")
    page.fill("input[name=name]", "暂存待查问题线索大起底")
    page.locator("input[name=disposal_method][value=shelved]").check()
    page.fill("input[name=received_from]", "2018-01-01")
    page.get_by_role("button", name="发起").click()
    page.wait_for_url(re.compile(r".*/sweeps/\d+/$"))
    assert "处置方式：暂存待查；受理日期自 2018-01-01" in page.content()
    counts = page.locator("#sweep-counts")
    assert re.search(r"纳入起底\s*2", counts.inner_text())
    sweep = Sweep.objects.get()

    # 维持原处置 for the first clue.
    row = page.locator("tr", has_text=kept.number)
    row.locator("summary", has_text="复核").click()
    row.locator("input[name=decision][value=maintain]").check()
    row.locator("textarea[name=note]").fill("经复核，仍不具备可查性")
    row.get_by_role("button", name="提交复核").click()
    page.wait_for_selector(f"text=已复核 {kept.number}")

    # 重新处置 (初步核实) for the second: submitted on the clue's approval route.
    row = page.locator("tr", has_text=redone.number)
    row.locator("summary", has_text="复核").click()
    row.locator("input[name=decision][value=redispose]").check()
    row.locator("select[name=new_method]").select_option("preliminary_verification")
    row.locator("textarea[name=note]").fill("出现新的问题线索材料，具备初步核实条件")
    row.get_by_role("button", name="提交复核").click()
    page.wait_for_selector(f"text=已复核 {redone.number}")
    assert re.search(r"未复核\s*0", page.locator("#sweep-counts").inner_text())

    page.locator("#sweep-counts a", has_text="重新处置审批中").click()
    row = page.locator("tr", has_text=redone.number)
    assert "重新处置：初步核实" in row.inner_text()
    row.get_by_role("link", name=re.compile("呈批件")).click()
    page.wait_for_url(re.compile(r".*/approvals/\d+/$"))
    steps = page.locator("#approval-steps").inner_text()
    assert "室主任审核" in steps and "分管领导审批" in steps and "待签" in steps
    assert "线索大起底" in page.content()
    request = ApprovalRequest.objects.get()
    assert request.status == "pending" and request.target_id == redone.pk
    clue = Clue.objects.get(pk=redone.pk)
    assert clue.disposal_method == "shelved"  # not before the route approves it
    item = sweep.items.get(clue=redone)
    assert (item.decision, item.new_method, item.request_id) == (
        "redispose", "preliminary_verification", request.pk,
    )  # fmt: skip


def _sign(page, log_in, username: str, number: str, opinion: str) -> None:
    """As ``username``: open the request from the workbench's 待我审批 and sign 同意."""
    log_in(username)
    page.locator("#awaiting-approvals").get_by_role("link", name=re.compile(number)).click()
    page.wait_for_url(re.compile(r".*/approvals/\d+/$"))
    assert "待签" in page.locator("#approval-steps").inner_text()
    page.get_by_label("同意").check()
    page.fill("textarea[name=opinion]", opinion)
    page.get_by_role("button", name="提交签批").click()
    page.wait_for_selector("text=已签批")


def test_casemgmt_redisposes_a_clue_of_room1_its_head_reviews_and_the_leader_approves(
    rw, page, log_in
):
    """The 重新处置 of a 大起底 goes along the route of the clue's handling unit
    (第一监督检查室): its 室主任 ``room1head`` reviews, the city's 分管领导 ``leader``
    approves, and the clue then shows the new disposal — not the route of the
    案件监督管理室 that drafted it, where nobody signs."""
    from jiandu.approvals.models import ApprovalRequest
    from jiandu.clues.models import Clue

    world = rw.world
    clue = _clue(rw, "某局违规兼职取酬（暂存）", world.room1, dt.date(2020, 5, 6), "shelved")

    base = log_in("casemgmt")
    page.goto(f"{base}/sweeps/")
    page.fill("input[name=name]", "第一监督检查室暂存线索大起底")
    page.locator("input[name=disposal_method][value=shelved]").check()
    page.get_by_role("button", name="发起").click()
    page.wait_for_url(re.compile(r".*/sweeps/\d+/$"))
    sweep_url = page.url
    row = page.locator("tr", has_text=clue.number)
    row.locator("summary", has_text="复核").click()
    row.locator("input[name=decision][value=redispose]").check()
    row.locator("select[name=new_method]").select_option("preliminary_verification")
    row.locator("textarea[name=note]").fill("收到新的举报材料，具备初步核实条件")
    row.get_by_role("button", name="提交复核").click()
    page.wait_for_selector(f"text=已复核 {clue.number}")

    # The request: the handling room's, drafted by casemgmt, from this sweep.
    page.locator("#sweep-counts a", has_text="重新处置审批中").click()
    page.locator("tr", has_text=clue.number).get_by_role("link", name=re.compile("呈批件")).click()
    page.wait_for_url(re.compile(r".*/approvals/\d+/$"))
    facts = page.locator(".desc-list").inner_text()
    assert re.search(r"承办单位\s*第一监督检查室", facts)
    assert re.search(r"承办人\s*\S+（案件监督管理室）", facts)
    source = page.locator("#approval-source")
    assert "线索大起底“第一监督检查室暂存线索大起底”" in source.inner_text()
    assert source.get_by_role("link").get_attribute("href") in sweep_url
    request = ApprovalRequest.objects.get(target_type="clues.clue", target_id=clue.pk)
    assert (request.org_id, request.drafted_by.username) == (world.room1.pk, "casemgmt")

    # 室主任审核 by the room's head, then 分管领导审批 by the city's leader.
    _sign(page, log_in, "room1head", clue.number, "拟同意，呈领导审批")
    assert Clue.objects.get(pk=clue.pk).disposal_method == "shelved"
    _sign(page, log_in, "leader", clue.number, "同意")
    assert "已批准" in page.content()

    # The clue now shows the new disposal; the sweep counts it as taken effect.
    log_in("casemgmt")
    page.goto(f"{base}/clues/clues/{clue.pk}/")
    workflow = page.locator("#clue-workflow .desc-list").inner_text()
    assert re.search(r"处置方式\s*初步核实", workflow), workflow
    assert Clue.objects.get(pk=clue.pk).disposal_method == "preliminary_verification"
    page.goto(sweep_url)
    assert re.search(r"重新处置已生效\s*1", page.locator("#sweep-counts").inner_text())
