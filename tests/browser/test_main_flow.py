"""The main flow as a user walks it, in Debian's chromium driven by Playwright:
log in, register a petition, turn it into a clue, dispose it, record an outcome, close
it, and find it in the list."""

from __future__ import annotations

import datetime as dt
import re

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _approve_pending(number: str) -> None:
    from jiandu.approvals.models import ApprovalRequest
    from jiandu.clues.models import Clue
    from jiandu.testing import approve_request

    clue = Clue.objects.get(number=number)
    # A petition and a clue may share an id: the request names its target's type too.
    approve_request(
        ApprovalRequest.objects.get(target_type="clues.clue", target_id=clue.pk, status="pending")
    )


def _approve_triage(title: str) -> str:
    """Approve the petition's pending 分办 呈批件; answers the clue number it made."""
    from jiandu.approvals.models import ApprovalRequest
    from jiandu.clues.models import Clue, Petition
    from jiandu.testing import approve_request

    petition = Petition.objects.get(title=title)
    approve_request(
        ApprovalRequest.objects.get(
            target_type="clues.petition", target_id=petition.pk, status="pending"
        )
    )
    return Clue.objects.get(petition=petition).number


def test_petition_to_closed_clue(live_server, page):
    from jiandu.core import idnumbers
    from jiandu.people.services import person_create
    from jiandu.testing import TEST_PASSWORD, build_world

    world = build_world()
    person_create(
        actor=world.users["city"],
        name="李建国",
        registered_org=world.county,
        id_number=idnumbers.make("530102", dt.date(1968, 4, 9), 135),
    )
    base = live_server.url

    # Log in.
    page.goto(f"{base}/accounts/login/")
    page.fill("input[name=username]", "city")
    page.fill("input[name=password]", TEST_PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(re.compile(r".*/$"))
    assert "工作台" in page.content()

    # Register a petition about 李建国.
    page.goto(f"{base}/clues/petitions/new/")
    page.select_option("select[name=channel]", "letter")
    page.fill("input[name=title]", "反映某村干部截留低保金")
    page.fill("textarea[name=content]", "群众来信反映村干部李建国截留低保金六千元。")
    page.get_by_label("扶贫").check()
    page.fill("#subject_people-picker input[type=search]", "李建国")
    page.get_by_role("button", name="＋ 李建国").click()
    page.wait_for_selector("#subject_people-chips .person-chip")
    page.get_by_role("button", name="登记", exact=True).click()
    page.wait_for_url(re.compile(r".*/clues/petitions/\d+/$"))
    assert "反映某村干部截留低保金" in page.content()

    # Turn it into a clue.
    page.locator("summary", has_text="转为问题线索").click()
    page.fill("textarea[name=convert-reason]", "反映问题具体，转为问题线索办理")
    page.get_by_role("button", name="呈批转为问题线索").click()
    page.wait_for_selector("text=已呈批：转为问题线索")
    # 分办 is 呈批 too: once approved the clue exists.
    number = _approve_triage("反映某村干部截留低保金")

    # Open the clue from the list and dispose it by 立案审查.
    page.goto(f"{base}/clues/clues/?text={number}")
    page.get_by_role("link", name=number).first.click()
    page.wait_for_url(re.compile(r".*/clues/clues/\d+/$"))
    page.locator("summary", has_text=re.compile("^处置$")).click()
    page.select_option("select[name=dispose-method]", "case_filed")
    page.get_by_role("button", name="呈批处置").click()
    page.wait_for_selector("#clue-workflow >> text=已呈批")
    # 呈批: the 室主任 and the 分管领导 approve it (their own walk is in test_roles.py).
    _approve_pending(number)
    page.reload()
    page.wait_for_selector("#clue-workflow >> text=立案审查")

    # Record a 党纪处分 for 李建国.
    page.locator("summary", has_text="录入处理结果").click()
    page.locator("#outcomes").get_by_label("李建国").first.check()
    page.select_option("select[name=outcome-kind]", "party_discipline")
    page.wait_for_selector(
        "select[name=outcome-subtype] option[value=party_warning]", state="attached"
    )
    page.select_option("select[name=outcome-subtype]", "party_warning")
    page.get_by_role("button", name="保存处理结果").click()
    page.wait_for_selector("#outcomes >> text=党纪处分")

    # Close it.
    page.reload()
    page.locator("summary", has_text=re.compile("^办结$")).click()
    page.select_option("select[name=close-conclusion]", "substantiated")
    page.get_by_role("button", name="呈批办结").click()
    page.wait_for_selector("#clue-workflow >> text=已呈批")
    _approve_pending(number)
    page.reload()
    page.wait_for_selector("#clue-workflow >> text=已办结")

    # Find it among the closed clues.
    page.goto(f"{base}/clues/clues/?status=closed")
    assert page.get_by_role("link", name=number).count() == 1
