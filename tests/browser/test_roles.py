"""The role–job matrix (docs/roles.md), one test per row: each logs in as the account
shaped like the demo's (same unit kind, same roles: ``jiandu.testing.build_role_world``)
and does the jobs of its first day through the pages. A refused step (403, 404, a
missing button or choice) fails the test.

The three administrator rows (系统管理员, 安全管理员, 审计管理员) are walked in
``test_admin_roles.py``.

Every page and fragment a walk loads is scanned for text that looks like code
(``no_code_like_text`` in conftest.py): the test fails naming the page and the text."""

from __future__ import annotations

import datetime as dt
import re
import uuid
from pathlib import Path

import pytest

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("no_code_like_text"),
]

ROOT = Path(__file__).resolve().parents[2]
ADMIN_ACCOUNTS = {"sysadmin", "secadmin", "auditor"}


@pytest.fixture
def rw():
    from jiandu.testing import build_role_world

    return build_role_world()


def _ok(response) -> None:
    """A page reached by navigation was served (not refused)."""
    assert response is not None and response.status < 400, response and response.status


def _goto(page, url: str) -> None:
    _ok(page.goto(url))


def _open(page, summary: str, field: str) -> None:
    """Open the action panel named ``summary`` (a page opens a lone panel by itself)."""
    if not page.locator(field).is_visible():
        page.locator("summary", has_text=summary).click()


def _follow(page, name: str, url: str) -> None:
    """Click the link named ``name`` and land on a page whose path matches ``url``."""
    page.get_by_role("link", name=name).click()
    page.wait_for_url(re.compile(rf".*{url}$"))


def _act(page, summary: str, fields: dict, button: str, done: str) -> None:
    """Open the action panel whose summary matches ``summary``, choose or fill its
    fields (name → value), press ``button`` and wait for ``done`` on the page."""
    page.locator("summary", has_text=re.compile(summary)).click()
    for name, value in fields.items():
        field = page.locator(f"[name={name}]")
        if field.evaluate("element => element.tagName") == "SELECT":
            field.select_option(value)
        else:
            field.fill(value)
    page.get_by_role("button", name=button).click()
    page.wait_for_selector(done)


def _approve_triage(title: str) -> None:
    """Sign the petition's pending 分办 呈批件 through its route (the signers' own walk
    is in the tests of 呈批 below)."""
    from jiandu.approvals.models import ApprovalRequest
    from jiandu.clues.models import Petition
    from jiandu.testing import approve_request

    petition = Petition.objects.get(title=title)
    approve_request(
        ApprovalRequest.objects.get(
            target_type="clues.petition", target_id=petition.pk, status="pending"
        )
    )


def _submit_assignment_to_wuhua(page, world) -> None:
    """On the open petition's page: 呈批 its 交办 to 五华区纪委监委."""
    _act(
        page,
        "^交办$",
        {"assign-to_org": str(world.county.pk), "assign-reason": "属地管理，交五华区纪委监委办理"},
        "呈批交办",
        "text=已呈批：交办",
    )


def _register_petition(
    page, base: str, *, title: str, org, channel="letter", content="", person=""
) -> int:
    """Register a petition about ``org`` (naming ``person``, found with the picker) and
    land on it; returns its id."""
    _goto(page, f"{base}/clues/petitions/new/")
    page.select_option("select[name=channel]", channel)
    page.fill("input[name=title]", title)
    page.fill("textarea[name=content]", content or f"群众来信：{title}。")
    page.select_option("select[name=subject_orgs]", str(org.pk))
    if person:
        page.fill("#subject_people-picker input[type=search]", person)
        page.get_by_role("button", name=f"＋ {person}").click()
        page.wait_for_selector("#subject_people-chips .person-chip")
    page.get_by_role("button", name="登记", exact=True).click()
    page.wait_for_url(re.compile(r".*/clues/petitions/\d+/$"))
    return int(page.url.rstrip("/").rsplit("/", 1)[1])


def _approve_pending(clue_pk: int) -> None:
    """The clue's request under way signed by its route's signers (their own walks are
    ``test_room1head_…``, ``test_wuhualeader_…``)."""
    from jiandu.approvals.models import ApprovalRequest
    from jiandu.testing import approve_request

    # A petition and a clue may share an id: the request names its target's type too.
    approve_request(
        ApprovalRequest.objects.get(target_type="clues.clue", target_id=clue_pk, status="pending")
    )


def _clue_pk(page) -> int:
    return int(re.search(r"/clues/clues/(\d+)/", page.url).group(1))


def _dispose_and_close(page, *, method: str, done: str) -> None:
    """On a clue's page: 呈批 处置 by ``method``; once approved ``done`` shows; then 呈批
    办结 as not substantiated, approved."""
    _act(page, "^处置$", {"dispose-method": method}, "呈批处置", "text=已呈批")
    _approve_pending(_clue_pk(page))
    page.reload()
    page.wait_for_selector(done)
    _act(
        page,
        "^办结$",
        {
            "close-conclusion": "unsubstantiated",
            "close-conclusion_text": "经谈话函询，反映问题不属实",
        },
        "呈批办结",
        "text=已呈批",
    )
    _approve_pending(_clue_pk(page))
    page.reload()
    page.wait_for_selector("#clue-workflow >> text=已办结")


def _person(rw, name: str, org, sequence: int):
    from jiandu.core import idnumbers
    from jiandu.people.services import person_create

    return person_create(
        actor=rw.world.users["city"],
        name=name,
        registered_org=org,
        id_number=idnumbers.make("530102", dt.date(1968, 4, 9), sequence),
    )


def _officer(org):
    """An officer of ``org`` (the statistics count a clue for the unit that received it)."""
    from jiandu.accounts import roles
    from jiandu.testing import make_user

    return make_user(f"officer{org.pk}-{uuid.uuid4().hex[:6]}", org, roles.ROLE_CLUES)


def _clue(rw, *, actor, org, title: str, received: dt.date, subject_people=()):
    from jiandu.clues.choices import ClueSource
    from jiandu.clues.services import clue_create

    return clue_create(
        actor=actor,
        source=ClueSource.SUPERVISION,
        title=title,
        received_date=received,
        handling_org=org,
        subject_people=list(subject_people),
    )


def _warned_board(rw, *, warned, other, key: str):
    """A board over two units on which ``warned`` is last (strictly: ``other`` received
    clues, it did not) in January and February 2020, both months closed by ``stats``:
    February's close issues ``warned`` a 工作预警通知书."""
    from jiandu.boards.models import Indicator
    from jiandu.boards.services import board_close, board_create, board_install_builtins

    stats = rw.accounts["stats"]
    board_install_builtins(actor=stats, owner=rw.world.city)
    for month in (1, 2):
        _clue(
            rw,
            actor=_officer(other),
            org=other,
            title=f"{other.name}{month}月问题线索",
            received=dt.date(2020, month, 10),
        )
    board = board_create(
        actor=stats,
        key=key,
        title=f"{warned.name}等单位监督执纪工作情况",
        owner_org=rw.world.city,
        indicators=[(Indicator.objects.get(key="clues_received"), "")],
        participant_orgs=[warned, other],
        top_n=1,
        consecutive_months=2,
        quarter_interview=False,
        bottom_month=None,
    )
    for month in ("2020-01", "2020-02"):
        outcome = board_close(actor=stats, board=board, month=month)
    (warning,) = [w for w in outcome.warnings if w.org_id == warned.pk]
    return board, warning


def _indicator_pk(key: str) -> int:
    from jiandu.boards.models import Indicator

    return Indicator.objects.get(key=key).pk


def _problem_link(warning) -> str:
    """The link to the problem the warning opened in the rectification loop."""
    from django.urls import reverse

    from jiandu.oversight.models import Problem

    problem = Problem.objects.get(origin_type="boards.boardwarning", origin_id=warning.pk)
    return f"a[href='{reverse('oversight:problem_detail', args=[problem.pk])}']"


def _sign_and_report(page, base: str, warning) -> None:
    """As the warned unit: find the warning in the list, 签收, report the rectification;
    the warning leads to the unit's problem in the rectification loop."""
    _goto(page, f"{base}/boards/warnings/")
    page.locator(f"a[href='/boards/warnings/{warning.pk}/']").first.click()
    page.wait_for_url(re.compile(rf".*/boards/warnings/{warning.pk}/$"))
    assert page.locator(_problem_link(warning)).count() == 1
    page.get_by_role("button", name="确认签收").click()
    page.wait_for_selector("text=已签收")
    _open(page, "报送整改报告", "input[name=file]")
    page.locator("textarea[name=note]").fill("已召开专题会议，逐项整改")
    page.set_input_files(
        "input[name=file]",
        files=[{"name": "整改情况报告.txt", "mimeType": "text/plain", "buffer": "整改".encode()}],
    )
    page.get_by_role("button", name="确认报送整改报告").click()
    page.wait_for_selector("text=已收到整改报告，跟踪完成。")
    assert "整改情况报告.txt" in page.content()


# --- the rows ---------------------------------------------------------------------


def _open_awaiting(page, number: str) -> None:
    """Open, from 待我审批 on the workbench, the request about the record ``number``."""
    page.locator("#awaiting-approvals").get_by_role("link", name=re.compile(number)).click()
    page.wait_for_url(re.compile(r".*/approvals/\d+/$"))


def _agree(page, opinion: str, done: str) -> None:
    """Sign the open request: 同意, with ``opinion``; wait for the page to say ``done``."""
    page.get_by_label("同意").check()
    page.fill("textarea[name=opinion]", opinion)
    page.get_by_role("button", name="提交签批").click()
    page.wait_for_selector(f"text={done}")


def test_stats_defines_a_board_closes_months_delivers_a_warning_and_downloads_the_bulletin(
    rw, page, log_in
):
    from jiandu.boards.models import Board, BoardWarning
    from jiandu.boards.services import board_install_builtins

    world = rw.world
    board_install_builtins(actor=rw.accounts["stats"], owner=world.city)
    for month in (1, 2):
        _clue(
            rw,
            actor=world.users["outsider"],  # 盘龙区's officer: counted for 盘龙区
            org=world.other_county,
            title=f"盘龙区{month}月问题线索",
            received=dt.date(2020, month, 10),
        )
    base = log_in("stats")

    # The commission's boards are the office's boards.
    _goto(page, f"{base}/boards/")
    _follow(page, "各派驻机构、各监督检查室扶贫领域监督执纪问责工作情况", r"/boards/\d+/")

    # Define a board over the two county commissions, on 受理问题线索.
    _goto(page, f"{base}/boards/new/")
    page.fill("input[name=key]", "counties-clues")
    page.fill("input[name=title]", "县区受理问题线索情况")
    page.select_option("select[name=owner_org]", str(world.city.pk))
    page.check("input[name=participant_rule][value=explicit]")
    page.select_option(
        "select[name=participant_orgs]", [str(world.county.pk), str(world.other_county.pk)]
    )
    received = _indicator_pk("clues_received")
    page.fill(f"input[name=position_{received}]", "1")
    page.fill("input[name=top_n]", "1")
    page.fill("input[name=consecutive_months]", "2")
    page.uncheck("input[name=quarter_interview]")
    page.fill("input[name=bottom_month]", "")
    page.check("input[name=visibility][value=whole]")
    page.get_by_role("button", name=re.compile("保存|新建")).click()
    page.wait_for_url(re.compile(r".*/boards/\d+/$"))
    board = Board.objects.get(key="counties-clues")

    # Close January and February on the page.
    for month in ("2020-01", "2020-02"):
        _goto(page, f"{base}/boards/{board.pk}/?month=2020-01")
        page.fill("#close input[name=month]", month)
        page.get_by_role("button", name="开始结账").click()
        page.wait_for_url(re.compile(r".*/tasks/\d+/$"))
        page.wait_for_selector("text=已完成")

    # February's close warned 五华区 (last two months running): deliver the notice.
    warning = BoardWarning.objects.get(board=board, org=world.county)
    _goto(page, f"{base}/boards/warnings/{warning.pk}/")
    page.get_by_role("button", name="确认送达").click()
    page.wait_for_selector("text=已送达")
    assert page.locator(_problem_link(warning)).count() == 1
    # 签发 the notice (it takes its 文号, after a confirmation) and download it.
    page.on("dialog", lambda dialog: dialog.accept())
    with page.expect_download() as notice:
        page.get_by_role("button", name="签发工作预警通知书（Word）").click()
    assert notice.value.suggested_filename.endswith(".docx")
    _goto(page, f"{base}/boards/warnings/{warning.pk}/")
    with page.expect_download() as again:
        page.get_by_role("link", name="下载工作预警通知书（Word）").click()
    assert again.value.suggested_filename == notice.value.suggested_filename

    # 签发 and download the month's 通报.
    _goto(page, f"{base}/boards/{board.pk}/?month=2020-02")
    with page.expect_download() as bulletin:
        page.get_by_role("button", name=re.compile("签发2020年2月通报")).click()
    assert bulletin.value.suggested_filename.endswith(".docx")
    _goto(page, f"{base}/boards/{board.pk}/?month=2020-02")
    assert page.get_by_role("link", name=re.compile("下载2020年2月通报")).count() == 1


def test_petition_registers_about_any_unit_assigns_transfers_and_converts(rw, page, log_in):
    from jiandu.clues.models import Clue, Petition

    world = rw.world
    _person(rw, "李建国", world.township, 135)
    base = log_in("petition")

    # 1. About a street of 五华区, naming the person: 交办 to 五华区纪委监委.
    _register_petition(
        page,
        base,
        title="反映红云街道干部截留低保金",
        content="群众来信反映李建国截留低保金六千元。",
        org=world.township,
        person="李建国",
    )
    first = Petition.objects.get(title="反映红云街道干部截留低保金")
    assert list(first.subject_orgs.all()) == [world.township]
    _submit_assignment_to_wuhua(page, world)
    _approve_triage(first.title)
    page.reload()
    page.wait_for_selector("text=交办：信访室 → 五华区纪委监委")
    first.refresh_from_db()
    assert first.handling_org == world.county

    # ... and, the matter being specific, convert it into a clue for 五华区.
    page.reload()
    _act(
        page,
        "转为问题线索",
        {
            "convert-handling_org": str(world.county.pk),
            "convert-reason": "反映问题具体，转五华区纪委监委办理",
        },
        "呈批转为问题线索",
        "text=已呈批：转为问题线索",
    )
    _approve_triage(first.title)
    assert Clue.objects.get(petition=first).handling_org == world.county

    # 2. About 市财政局: a clue for the 派驻组 that supervises it.
    second = _register_petition(page, base, title="反映市财政局违规发放补贴", org=world.unit_a)
    _act(
        page,
        "转为问题线索",
        {"convert-handling_org": str(world.group1.pk), "convert-reason": "由监督该局的派驻组办理"},
        "呈批转为问题线索",
        "text=已呈批：转为问题线索",
    )
    _approve_triage("反映市财政局违规发放补贴")
    assert Clue.objects.get(petition_id=second).handling_org == world.group1

    # 3. Not a discipline matter: 转办 to the 信访局.
    _register_petition(page, base, title="反映市民政局办事窗口态度差", org=world.unit_b)
    _act(
        page,
        "^转办$",
        {"transfer-transferred_to": "市信访局", "transfer-reason": "不属于纪检监察机关受理范围"},
        "呈批转办",
        "text=已呈批：转办",
    )
    _approve_triage("反映市民政局办事窗口态度差")
    page.reload()
    page.wait_for_selector("text=/转办至市信访局/")


def test_casemgmt_registers_assigns_and_supervises_clues(rw, page, log_in):
    from jiandu.clues.models import Clue

    world = rw.world
    # A county's clue, received weeks ago and not yet disposed: overdue.
    overdue = _clue(
        rw,
        actor=world.users["county"],
        org=world.county,
        title="五华区久拖未处置的问题线索",
        received=dt.date(2020, 1, 6),
    )
    base = log_in("casemgmt")

    # Register a clue handed over by the 巡察 and hand it to 第一监督检查室.
    _goto(page, f"{base}/clues/clues/new/")
    page.select_option("select[name=source]", "inspection")
    page.fill("input[name=title]", "巡察移交：某局违规发放津补贴")
    page.get_by_role("button", name=re.compile("^(受理|登记)$")).click()
    page.wait_for_url(re.compile(r".*/clues/clues/\d+/$"))
    clue = Clue.objects.get(title="巡察移交：某局违规发放津补贴")
    assert clue.handling_org == rw.case_management_room
    _act(
        page,
        "^交办$",
        {"assign_down-to_org": str(world.room1.pk), "assign_down-note": "按监督检查室分工交办"},
        "呈批交办",
        "text=已呈批",
    )
    # 分办 is a 呈批 too: it takes effect once approved.
    _approve_pending(clue.pk)
    page.reload()
    page.wait_for_selector("text=交办：案件监督管理室 → 第一监督检查室")
    clue.refresh_from_db()
    assert clue.handling_org == world.room1

    # Supervise: the overdue list of the whole commission holds the county's clue.
    _goto(page, f"{base}/clues/clues/?overdue=on")
    assert page.get_by_role("link", name=overdue.number).count() == 1
    _follow(page, overdue.number, f"/clues/clues/{overdue.pk}/")
    assert "五华区久拖未处置的问题线索" in page.content()


def test_room1_disposes_and_closes_a_clue_of_a_county_it_supervises(rw, page, log_in):
    world = rw.world
    clue = _clue(
        rw,
        actor=world.users["city"],
        org=world.room1,
        title="五华区某街道违规发放补贴",
        received=dt.date(2020, 3, 2),
    )
    base = log_in("room1")
    _goto(page, f"{base}/clues/clues/")
    _follow(page, clue.number, f"/clues/clues/{clue.pk}/")
    _dispose_and_close(page, method="talk_inquiry", done="text=处置：谈话函询")


def test_trial_records_the_outcome_of_a_case_of_a_room(rw, page, log_in):
    from jiandu.clues.models import Outcome
    from jiandu.clues.services import clue_dispose

    world = rw.world
    person = _person(rw, "王某某", world.township, 157)
    clue = _clue(
        rw,
        actor=world.users["city"],
        org=world.room1,
        title="王某某套取扶贫资金案",
        received=dt.date(2020, 3, 2),
        subject_people=[person],
    )
    clue_dispose(
        actor=world.users["room"], clue=clue, method="case_filed", on_date=dt.date(2020, 3, 9)
    )
    base = log_in("trial")
    _goto(page, f"{base}/clues/clues/{clue.pk}/")
    page.locator("summary", has_text="录入处理结果").click()
    page.locator("#outcomes").get_by_label("王某某").first.check()
    page.select_option("select[name=outcome-kind]", "party_discipline")
    page.wait_for_selector(
        "select[name=outcome-subtype] option[value=party_warning]", state="attached"
    )
    page.select_option("select[name=outcome-subtype]", "party_warning")
    with page.expect_response(
        lambda r: r.url.endswith(f"/clues/clues/{clue.pk}/outcomes/") and r.request.method == "POST"
    ) as saved:
        page.get_by_role("button", name="保存处理结果").click()
    _ok(saved.value)
    outcome = Outcome.objects.get(clue=clue)
    assert (outcome.person, outcome.kind) == (person, "party_discipline")


def test_group1_handles_a_clue_and_answers_its_warning(rw, page, log_in):
    from jiandu.boards.services import warning_send_notice

    world = rw.world
    room_board, _ = _warned_board(rw, warned=world.room1, other=world.county, key="rooms")
    board, warning = _warned_board(rw, warned=world.group1, other=world.room1, key="groups")

    warning_send_notice(actor=rw.accounts["stats"], warning=warning, note="已送达")
    clue = _clue(
        rw,
        actor=world.users["city"],
        org=world.group1,
        title="市财政局某科长违规收受礼金",
        received=dt.date(2020, 3, 2),
    )
    base = log_in("group1")

    # Its clue about a unit it supervises.
    _goto(page, f"{base}/clues/clues/{clue.pk}/")
    _act(
        page,
        "^处置$",
        {"dispose-method": "preliminary_verification"},
        "呈批处置",
        "text=已呈批",
    )
    _approve_pending(clue.pk)
    page.reload()
    page.wait_for_selector("text=处置：初步核实")

    # Its own row on the board, and the warning: sign it, report the rectification.
    _goto(page, f"{base}/boards/{board.pk}/?month=2020-02")
    assert world.group1.name in page.content()
    _sign_and_report(page, base, warning)
    # A board it is not on does not exist for it.
    assert page.goto(f"{base}/boards/{room_board.pk}/").status == 404


def test_wuhua_registers_converts_disposes_and_closes_within_its_county(rw, page, log_in):
    from jiandu.clues.models import Clue

    world = rw.world
    _person(rw, "赵某某", world.township, 171)
    elsewhere = _clue(
        rw,
        actor=world.users["outsider"],
        org=world.other_county,
        title="盘龙区的问题线索",
        received=dt.date(2020, 3, 2),
    )
    base = log_in("wuhua")

    # A letter received by the county, about one of its streets.
    _register_petition(
        page,
        base,
        channel="visit",
        title="反映红云街道违规发放临时救助",
        content="来访群众反映赵某某违规发放临时救助金。",
        org=world.township,
        person="赵某某",
    )
    _act(
        page,
        "转为问题线索",
        {"convert-reason": "反映问题具体，本区办理"},
        "呈批转为问题线索",
        "text=已呈批：转为问题线索",
    )
    _approve_triage("反映红云街道违规发放临时救助")
    clue = Clue.objects.get(title="反映红云街道违规发放临时救助")
    assert clue.handling_org == world.county

    # Dispose and close it.
    _goto(page, f"{base}/clues/clues/{clue.pk}/")
    _dispose_and_close(page, method="talk_inquiry", done="text=处置：谈话函询")

    # Another county's clue does not exist for it.
    assert page.goto(f"{base}/clues/clues/{elsewhere.pk}/").status == 404


def test_dongchuan_answers_its_warning_and_verifies_the_hits_assigned_to_it(
    rw, page, log_in, settings, tmp_path
):
    from jiandu.boards.services import warning_send_notice
    from jiandu.datacheck.models import Hit
    from jiandu.datacheck.services import dataset_import, hit_assign, run_start

    world = rw.world
    board, warning = _warned_board(rw, warned=rw.dongchuan, other=world.county, key="c")
    warning_send_notice(actor=rw.accounts["stats"], warning=warning, note="已送达")
    settings.JIANDU_DATA_DIR = tmp_path / "data"
    data = rw.accounts["data"]
    versions = [
        dataset_import(actor=data, dataset=name, region_code="530100", path=path)
        for name, path in _paid_after_death(tmp_path, "530113").items()
    ]
    run = run_start(actor=data, rules=["R01"], versions=versions, region_code="530100")
    hit = Hit.objects.filter(run=run, region_code__startswith="530113").order_by("pk").first()
    hit_assign(actor=data, hit=hit, handling_org=rw.dongchuan, reason="请核查")
    base = log_in("dongchuan")

    # The board: its own row.
    _goto(page, f"{base}/boards/")
    _follow(page, board.title, f"/boards/{board.pk}/")
    assert rw.dongchuan.name in page.content()
    _sign_and_report(page, base, warning)

    # The comparison hit assigned to it: confirm the problem after checking.
    _goto(page, f"{base}/datacheck/hits/")
    page.locator(f"a[href='/datacheck/hits/{hit.pk}/']").first.click()
    page.wait_for_url(re.compile(rf".*/datacheck/hits/{hit.pk}/$"))
    _open(page, "确认问题", "textarea[name=confirm-reason]")
    page.locator("textarea[name=confirm-reason]").fill("经入户核查，死亡后仍领取低保金")
    page.get_by_role("button", name="确认问题").last.click()
    page.wait_for_selector("#hit-workflow >> text=已确认")


def _paid_after_death(folder, county: str) -> dict:
    """A payments and a deaths file: one person of ``county`` paid for April and May
    2024 after dying in March (R01 finds it)."""
    from jiandu.datacheck.tests.platform_data import payment, valid_id, write_csv

    person = valid_id(county, dt.date(1941, 7, 3), 31)
    payments = [payment(f"P{m}", person, f"2024-0{m}", county) for m in (3, 4, 5)]
    deaths = [{"id_no": person, "name": "李四", "death_date": "2024-03-10", "source": "民政"}]
    return {
        "payments": write_csv(folder / "files" / "payments.csv", payments),
        "deaths": write_csv(folder / "files" / "deaths.csv", deaths),
    }


def test_leader_reads_everything_in_the_jurisdiction(rw, page, log_in):
    from jiandu.boards.services import board_install_builtins
    from jiandu.clues.services import petition_register

    world = rw.world
    board_install_builtins(actor=rw.accounts["stats"], owner=world.city)
    county_clue = _clue(
        rw,
        actor=world.users["county"],
        org=world.township,
        title="红云街道某社区违规发放补贴",
        received=dt.date(2020, 3, 2),
    )
    group_clue = _clue(
        rw,
        actor=world.users["group"],
        org=world.group1,
        title="市财政局某科长违规收受礼金",
        received=dt.date(2020, 3, 3),
    )
    petition = petition_register(
        actor=world.users["outsider"],
        received_date=dt.date(2020, 3, 4),
        channel="letter",
        title="反映盘龙区某局违规招录",
        content="……",
    )
    base = log_in("leader")
    _goto(page, f"{base}/clues/clues/")
    for clue in (county_clue, group_clue):
        assert page.get_by_role("link", name=clue.number).count() == 1
    _follow(page, county_clue.number, f"/clues/clues/{county_clue.pk}/")
    assert "办理操作" not in page.content()  # reads, does not handle
    _goto(page, f"{base}/clues/petitions/")
    _follow(page, petition.number, f"/clues/petitions/{petition.pk}/")
    _goto(page, f"{base}/boards/")
    _follow(page, "各派驻机构、各监督检查室扶贫领域监督执纪问责工作情况", r"/boards/\d+/")
    _goto(page, f"{base}/datacheck/runs/")
    _goto(page, f"{base}/orgs/{world.township.pk}/")
    assert "红云街道" in page.content()


def test_data_imports_runs_and_assigns_a_hit_to_a_county(rw, page, log_in, settings, tmp_path):
    from jiandu.datacheck.models import Hit, Run
    from jiandu.datacheck.services import dataset_import

    settings.JIANDU_DATA_DIR = tmp_path / "data"
    files = _paid_after_death(tmp_path, "530113")
    dataset_import(
        actor=rw.accounts["data"], dataset="payments", region_code="530100", path=files["payments"]
    )
    base = log_in("data")

    # Import the deaths register: upload, check the column mapping, import.
    _goto(page, f"{base}/datacheck/datasets/upload/")
    page.select_option("select[name=dataset]", "deaths")
    page.select_option("select[name=region_code]", "530100")
    page.set_input_files("input[name=file]", str(files["deaths"]))
    page.get_by_role("button", name="上传并对应列").click()
    page.wait_for_url(re.compile(r".*/datacheck/datasets/upload/[^/]+/$"))
    page.get_by_role("button", name="导入").click()
    page.wait_for_url(re.compile(r".*/datacheck/datasets/versions/\d+/$"))

    # Run R01 (paid after death) over the latest versions.
    _goto(page, f"{base}/datacheck/runs/new/")
    for box in page.locator("input[name=rules]").all():
        box.uncheck()
    page.check("input[name=rules][value=R01]")
    page.select_option("select[name=region_code]", "530100")
    page.get_by_role("button", name="发起比对").click()
    page.wait_for_url(re.compile(r".*/datacheck/runs/\d+/$"))
    run = Run.objects.get()
    page.wait_for_selector("text=/疑点/")
    hit = Hit.objects.filter(run=run, region_code__startswith="530113").first()
    assert hit is not None, "R01 found 东川区's payee"

    # Assign the 东川区 hit to 东川区纪委监委 for verification.
    _goto(page, f"{base}/datacheck/hits/{hit.pk}/")
    _open(page, "分派核查", "select[name=assign-handling_org]")
    page.select_option("select[name=assign-handling_org]", str(rw.dongchuan.pk))
    page.fill("textarea[name=assign-reason]", "请核查是否死亡后仍领取")
    page.get_by_role("button", name="分派核查").last.click()
    page.wait_for_selector("#hit-workflow >> text=已分派")
    hit.refresh_from_db()
    assert hit.handling_org == rw.dongchuan


def test_the_walk_names_a_page_that_shows_code_and_the_text(rw, page, log_in, no_code_like_text):
    """The scan every walk runs: a record whose title reads like code is caught on the
    page that shows it, named with the text (cleared here: it was shown on purpose)."""
    clue = _clue(
        rw,
        actor=rw.world.users["city"],
        org=rw.world.room1,
        title="means_tested = ['低保'] is True",
        received=dt.date(2020, 3, 2),
    )
    base = log_in("leader")
    _goto(page, f"{base}/clues/clues/{clue.pk}/")
    found = dict(no_code_like_text.found)
    texts = found[f"GET {base}/clues/clues/{clue.pk}/"]
    assert {"means_tested", "['", "True"} <= set(texts)
    assert f"/clues/clues/{clue.pk}/: means_tested" in no_code_like_text.report()
    no_code_like_text.found.clear()


# --- the matrix itself ------------------------------------------------------------


def test_rectify_signs_plans_and_reports_the_problem_of_its_unit(rw, page, log_in):
    from jiandu.oversight.models import ProblemCategory, ProblemSource
    from jiandu.oversight.services import problem_create

    world = rw.world
    problem = problem_create(
        actor=rw.accounts["group1"],
        org=world.unit_a,
        description="公务接待超标准，接待清单不全",
        category=ProblemCategory.objects.get(name="作风建设（四风）"),
        source=ProblemSource.objects.get(key="supervision"),
        found_on=dt.date.today() - dt.timedelta(days=3),
        supervising_org=world.group1,
    )
    base = log_in("rectify")

    # Its unit's problem in the list; 签收, 整改方案, 整改报告 with a file.
    _goto(page, f"{base}/oversight/problems/")
    page.get_by_role("link", name=problem.number).click()
    page.wait_for_url(re.compile(rf".*/oversight/problems/{problem.pk}/$"))
    for action, fields in (
        ("sign", {}),
        ("plan", {"text": "制定接待清单制度，逐笔核对"}),
    ):
        form = page.locator(f"form[data-action={action}]")
        if not form.is_visible():
            page.locator(f"details:has(form[data-action={action}]) > summary").click()
        for name, value in fields.items():
            form.locator(f"[name={name}]").fill(value)
        form.locator("button[type=submit]").click()
        page.wait_for_load_state()
    assert "正在整改" in page.content()
    page.locator("details:has(form[data-action=submit]) > summary").click()
    form = page.locator("form[data-action=submit]")
    form.locator("input[type=file]").set_input_files(
        {"name": "整改报告.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4 report"}
    )
    form.locator("[name=text]").fill("已建立接待清单制度")
    form.locator("button[type=submit]").click()
    page.wait_for_load_state()
    assert "已整改（待验收）" in page.content()
    # Acceptance is the supervising group's: no button for the unit.
    assert page.locator("form[data-action=accept]").count() == 0


def test_room1head_reviews_a_request_of_its_room_and_the_leader_approves_it(rw, page, log_in):
    """The whole route through the pages: room1 drafts, room1head reviews, the city
    leader approves as 分管领导, and only then the disposal takes effect."""
    from jiandu.clues.models import Clue

    world = rw.world
    clue = _clue(
        rw,
        actor=world.users["city"],
        org=world.room1,
        title="五华区某局违规公款吃喝",
        received=dt.date(2020, 3, 2),
    )
    base = log_in("room1")
    _goto(page, f"{base}/clues/clues/{clue.pk}/")
    _act(
        page,
        "^处置$",
        {"dispose-method": "talk_inquiry", "dispose-note": "反映问题较具体，拟谈话函询"},
        "呈批处置",
        "text=已呈批",
    )
    assert Clue.objects.get(pk=clue.pk).status == "received"

    # The room head finds it on the workbench, reads it and agrees.
    log_in("room1head")
    _open_awaiting(page, clue.number)
    assert "拟谈话函询" in page.content() and "待签" in page.content()
    _agree(page, "拟同意，呈领导审批", "已签批")
    assert Clue.objects.get(pk=clue.pk).status == "received"

    # The leader approves as 分管领导: the disposal takes effect now.
    log_in("leader")
    _open_awaiting(page, clue.number)
    _agree(page, "同意", "已批准")
    clue.refresh_from_db()
    assert (clue.status, clue.disposal_method) == ("disposing", "talk_inquiry")
    _follow(page, f"{clue.number} {clue.title}", f"/clues/clues/{clue.pk}/")
    page.wait_for_selector("text=处置：谈话函询")


def test_casemgmthead_reviews_a_take_up_drafted_by_its_office_and_the_leader_approves_it(
    rw, page, log_in
):
    """提级查办 drafted at the city by the 案件监督管理室 (``casemgmt``): taking a clue up
    is the commission's decision, along the drafter's office's route — its 室主任
    ``casemgmthead`` reviews, the city ``leader`` approves as 分管领导 — and only then the
    county's clue is the city's."""
    from jiandu.approvals.models import ApprovalRequest
    from jiandu.clues.models import Clue

    world = rw.world
    clue = _clue(
        rw,
        actor=world.users["county"],
        org=world.county,
        title="五华区某局领导干部插手工程项目",
        received=dt.date(2020, 3, 2),
    )
    base = log_in("casemgmt")
    _goto(page, f"{base}/clues/clues/{clue.pk}/")
    _act(
        page,
        "^提级查办$",
        {
            "escalate-to_org": str(world.city.pk),
            "escalate-note": "涉及县管干部，案情重大，拟提级查办",
        },
        "呈批提级查办",
        "text=已呈批",
    )
    request = ApprovalRequest.objects.get(target_type="clues.clue", target_id=clue.pk)
    assert request.org == rw.case_management_room
    # The clue page names the step it waits at and who signs it.
    page.wait_for_selector("text=/待室主任审核（签批人：/")
    assert Clue.objects.get(pk=clue.pk).handling_org == world.county

    # The office's head finds it on the workbench and agrees.
    log_in("casemgmthead")
    _open_awaiting(page, clue.number)
    facts = page.locator(".desc-list").first.inner_text()
    assert re.search(r"承办单位\s*案件监督管理室", facts), facts
    assert "拟提级查办" in page.content() and "待签" in page.content()
    _agree(page, "拟同意，呈领导审批", "已签批")
    assert Clue.objects.get(pk=clue.pk).handling_org == world.county

    # The leader approves as 分管领导: the city takes the clue up now.
    log_in("leader")
    _open_awaiting(page, clue.number)
    _agree(page, "同意", "已批准")
    clue.refresh_from_db()
    assert (clue.handling_org, clue.is_escalated) == (world.city, True)

    # The drafter sees the clue taken up.
    log_in("casemgmt")
    _goto(page, f"{base}/clues/clues/{clue.pk}/")
    workflow = page.locator("#clue-workflow .desc-list").first.inner_text()
    assert re.search(rf"承办单位\s*{world.city}", workflow), workflow
    assert re.search(r"办理方式\s*提级查办", workflow), workflow
    page.wait_for_selector(f"text=提级查办：{world.county} → {world.city}")


def test_petitionhead_reviews_a_triage_of_the_petition_office_and_the_leader_approves_it(
    rw, page, log_in
):
    """信访室's 分办 through the pages: ``petition`` drafts a 交办 to 五华区, the office's
    室主任 ``petitionhead`` finds it in 待我审批 and agrees, the city ``leader`` approves as
    分管领导, and only then is the petition 五华区's."""
    from jiandu.clues.models import Petition

    world = rw.world
    base = log_in("petition")
    _register_petition(page, base, title="反映红云街道某社区干部优亲厚友", org=world.township)
    petition = Petition.objects.get(title="反映红云街道某社区干部优亲厚友")
    _submit_assignment_to_wuhua(page, world)
    petition.refresh_from_db()
    assert petition.handling_org == world.petition_room

    log_in("petitionhead")
    _open_awaiting(page, petition.number)
    assert "属地管理，交五华区纪委监委办理" in page.content() and "待签" in page.content()
    _agree(page, "拟同意，呈领导审批", "已签批")
    petition.refresh_from_db()
    assert petition.handling_org == world.petition_room

    log_in("leader")
    _open_awaiting(page, petition.number)
    _agree(page, "同意", "已批准")
    petition.refresh_from_db()
    assert petition.handling_org == world.county


def test_group1head_reviews_a_disposal_of_its_group_and_the_leader_approves_it(rw, page, log_in):
    """派驻第一纪检监察组 (``group1``) drafts a 处置 of a clue it handles: its route's first
    step is the group's own review — for a 派驻组 its 组长 (``group1head``), the step
    reads “组长审核” — then the city ``leader`` approves as 分管领导, and only then the
    disposal takes effect."""
    from jiandu.approvals.models import ApprovalRequest
    from jiandu.clues.models import Clue

    world = rw.world
    clue = _clue(
        rw,
        actor=world.users["city"],
        org=world.group1,
        title="市财政局某科长违规收受礼金",
        received=dt.date(2020, 3, 2),
    )
    base = log_in("group1")
    _goto(page, f"{base}/clues/clues/{clue.pk}/")
    _act(
        page,
        "^处置$",
        {"dispose-method": "preliminary_verification", "dispose-note": "反映问题具体，拟初步核实"},
        "呈批处置",
        "text=已呈批",
    )
    request = ApprovalRequest.objects.get(target_type="clues.clue", target_id=clue.pk)
    assert request.org == world.group1
    # The clue page names the step it waits at and who signs it: the group's 组长.
    head = rw.accounts["group1head"]
    page.wait_for_selector(f"text=待组长审核（签批人：{head.display_name}）")
    assert Clue.objects.get(pk=clue.pk).status == "received"

    # The group's head finds it on the workbench and agrees.
    log_in("group1head")
    awaiting = page.locator("#awaiting-approvals")
    assert "组长审核" in awaiting.inner_text()
    awaiting.get_by_role("link", name=re.compile(clue.number)).click()
    page.wait_for_url(re.compile(r".*/approvals/\d+/$"))
    facts = page.locator(".desc-list").first.inner_text()
    assert re.search(r"承办单位\s*派驻第一纪检监察组", facts), facts
    assert "拟初步核实" in page.content() and "待签" in page.content()
    _agree(page, "拟同意，呈领导审批", "已签批")
    assert Clue.objects.get(pk=clue.pk).status == "received"

    # The leader approves as 分管领导: the disposal takes effect now.
    log_in("leader")
    _open_awaiting(page, clue.number)
    _agree(page, "同意", "已批准")
    clue.refresh_from_db()
    assert (clue.status, clue.disposal_method) == ("disposing", "preliminary_verification")

    # The drafter sees the disposal in effect.
    log_in("group1")
    _goto(page, f"{base}/clues/clues/{clue.pk}/")
    page.wait_for_selector("text=处置：初步核实")


def test_wuhualeader_approves_a_disposal_of_the_county(rw, page, log_in):
    from jiandu.approvals.models import ApprovalRoute, ApprovalRouteStep
    from jiandu.clues.decisions import clue_request_action

    world = rw.world
    # 五华区's route: the one step of its 分管领导 (as in the demo).
    route = ApprovalRoute.objects.create(
        org=world.county, kind="clues.dispose", created_by=world.users["county"]
    )
    ApprovalRouteStep.objects.create(route=route, order=1, signer_role="leader")
    clue = _clue(
        rw,
        actor=world.users["county"],
        org=world.county,
        title="红云街道某干部违规领取补贴",
        received=dt.date(2020, 3, 2),
    )
    clue_request_action(
        actor=rw.accounts["wuhua"], clue=clue, action="dispose", method="shelved", note="暂存"
    )
    elsewhere = _clue(
        rw,
        actor=world.users["outsider"],
        org=world.other_county,
        title="盘龙区的问题线索",
        received=dt.date(2020, 3, 2),
    )
    other = clue_request_action(
        actor=world.users["outsider"], clue=elsewhere, action="dispose", method="shelved", note="x"
    )
    base = log_in("wuhualeader")
    _goto(page, f"{base}/approvals/")
    page.locator("#awaiting").get_by_role("link", name=re.compile(clue.number)).click()
    page.get_by_label("同意").check()
    page.get_by_role("button", name="提交签批").click()
    page.wait_for_selector("text=已批准")
    clue.refresh_from_db()
    assert clue.disposal_method == "shelved"
    # Another county's request does not exist for it.
    assert page.goto(f"{base}/approvals/{other.pk}/").status == 404


def test_the_matrix_rows_are_the_demo_accounts_and_each_has_its_test():
    from jiandu.demo.accounts import account_specs

    listed = [s.username for s in account_specs(counties=[], rooms=[], groups=[]) if s.listed]
    text = (ROOT / "docs" / "roles.md").read_text(encoding="utf-8")
    rows = re.findall(r"^\| `(\w+)` \|", text, flags=re.M)
    assert rows == listed
    # Five cells a row (account, unit, roles, jobs, tests), none left dangling.
    for line in re.findall(r"^\| `\w+` \|.*$", text, flags=re.M):
        assert line.endswith("|") and line.count("|") == 6, line[:40]
    here = Path(__file__).read_text(encoding="utf-8")
    admin = (Path(__file__).parent / "test_admin_roles.py").name
    for username in listed:
        if username in ADMIN_ACCOUNTS:
            assert admin in text
            continue
        assert re.search(rf"^def test_{username}_", here, flags=re.M), username


def test_xuncha_draws_with_avoidance_advances_records_a_finding_and_reads_statistics(
    rw, page, log_in
):
    """市委巡察办 (acting for the commission): the team drawn on the page with 回避 (a
    declared relative in the target is never on its team), the round moved to 进驻, a
    finding recorded into the 整改闭环, and the cross-round statistics read down to the
    finding."""
    from django.utils import timezone

    from jiandu.inspections import services
    from jiandu.inspections.models import TeamAssignment
    from jiandu.people.choices import ManagementLevel
    from jiandu.people.models import Person, Post

    w = rw.world
    xuncha = rw.accounts["xuncha"]
    homes = [w.unit_a, w.unit_b, w.other_county, w.city, w.group1]
    people = []
    for i in range(8):
        person = Person.objects.create(name=f"巡察人才{i}", registered_org=w.city)
        Post.objects.create(person=person, org=homes[i % len(homes)], title="干部",
                            management_level=ManagementLevel.GENERAL,
                            start_date=dt.date(2020, 1, 1))  # fmt: skip
        services.talent_set(actor=xuncha, person=person, skills=["财务"], can_lead=i < 4)
        people.append(person)
    related = people[0]
    services.conflict_declare(actor=xuncha, person=related, org=w.county, reason="relative",
                              note="配偶在该单位任职")  # fmt: skip
    today = timezone.localdate()
    item = services.round_create(
        actor=xuncha, name="市县统合巡察第一轮", form="sector", level="joint", starts_on=today,
        ends_on=today + dt.timedelta(days=45), targets=[w.county], team_size=3,
        required_skills=["财务"],
    )  # fmt: skip

    log_in("xuncha")
    page.click("nav >> text=巡察")
    page.click("text=市县统合巡察第一轮")
    page.wait_for_url(re.compile(rf".*/inspections/{item.pk}/$"))
    page.fill("input[name=seed]", "11")
    page.click("button:has-text('抽取巡察组')")
    page.wait_for_selector("text=组队成功（已采用）")
    team = set(TeamAssignment.objects.filter(draw__round=item).values_list("person", flat=True))
    assert len(team) == 3 and related.pk not in team
    assert related.name not in page.inner_text("section:has-text('被巡察单位和巡察组')")
    page.click("button:has-text('进入“进驻”阶段')")
    page.wait_for_selector("text=已进入“进驻”阶段")
    page.select_option("select[name=target]", label="五华区纪委监委")
    page.select_option("select[name=category]", index=1)
    page.fill("textarea[name=description]", "村集体资产出租未经民主程序")
    page.click("button:has-text('登记问题')")
    page.wait_for_selector("text=进入整改闭环")
    problem = item.problems.get().problem

    page.click("nav >> text=巡察统计")
    page.wait_for_url(re.compile(r".*/inspections/statistics/$"))
    row = page.locator("#round-statistics tr", has_text="市县统合巡察第一轮")
    assert row.locator("td").nth(1).inner_text() == "1"
    page.click("a:has-text('按对象类别')")
    row = page.locator("#round-statistics tr", has_text="单位")
    row.locator("td").nth(1).locator("a").click()
    page.wait_for_url(re.compile(r".*/inspections/statistics/records/\?.*"))
    assert "共1条" in page.content()
    page.click(f"a:has-text('{problem.number}')")
    page.wait_for_url(re.compile(rf".*/oversight/problems/{problem.pk}/$"))
    assert "村集体资产出租未经民主程序" in page.content()
