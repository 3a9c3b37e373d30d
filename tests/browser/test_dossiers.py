"""One 廉政意见 batch from upload to the .docx, in Debian's chromium driven by
Playwright, as the demo accounts that do the job: ``stats`` (党风政风监督室) receives the
organisation department's request and uploads the name list (a bad list first: the rows
are named and nothing is created), reviews the drafted opinions (one override with its
reason); ``leader`` approves; ``stats`` issues the 函复 with a 文号 and downloads it."""

from __future__ import annotations

import datetime as dt
import re

import pytest

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("no_code_like_text"),
]


def _list(tmp_path, name, rows):
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "名单"
    ws.append(["姓名", "身份证号码"])
    for row in rows:
        ws.append(list(row))
    path = tmp_path / name
    wb.save(path)
    return path


def test_stats_answers_a_request_and_the_leader_approves_the_reply(page, log_in, tmp_path):
    from docx import Document as DocxDocument

    from jiandu.accounts.models import User
    from jiandu.clues.choices import ClueSource, DisposalMethod, OutcomeKind, OutcomeSubtype
    from jiandu.clues.services import clue_create, clue_dispose, outcome_record
    from jiandu.core.idnumbers import make
    from jiandu.dossiers.models import OpinionBatch
    from jiandu.people.services import person_create, post_add
    from jiandu.testing import build_role_world

    roles = build_role_world()
    world = roles.world
    system = User.objects.get(username="system-setup")
    ids = {"张明": make("530102", dt.date(1975, 3, 2), 11),
           "王强": make("530102", dt.date(1969, 1, 30), 33)}  # fmt: skip
    people = {}
    for name, number in ids.items():
        person = person_create(actor=system, name=name, registered_org=world.unit_a,
                               id_number=number)  # fmt: skip
        post_add(actor=system, person=person, org=world.unit_a, title="副局长",
                 management_level="city_managed", start_date=dt.date(2015, 1, 1))  # fmt: skip
        people[name] = person
    city = world.users["city"]
    clue = clue_create(actor=city, source=ClueSource.PETITION, title="反映张明收受礼金",
                       received_date=dt.date(2018, 3, 1), handling_org=world.city,
                       subject_people=[people["张明"]])  # fmt: skip
    clue_dispose(actor=city, clue=clue, method=DisposalMethod.CASE_FILED,
                 on_date=dt.date(2018, 4, 1))  # fmt: skip
    outcome_record(actor=city, clue=clue, kind=OutcomeKind.PARTY_DISCIPLINE,
                   subtype=OutcomeSubtype.PARTY_WARNING, decision_date=dt.date(2018, 6, 15),
                   person=people["张明"])  # fmt: skip

    base = log_in("stats")
    page.goto(f"{base}/dossiers/batches/new/")

    def fill(path):
        page.fill("input[name=requester]", "市委组织部")
        page.fill("input[name=request_ref]", "昆组函〔2019〕8号")
        page.select_option("select[name=purpose]", "评先评优")
        page.fill("input[name=as_of]", "2018-12-31")
        page.fill("input[name=award_year]", "2018")
        page.fill("input[name=received_on]", "2019-01-10")
        page.set_input_files("input[name=people_file]", str(path))
        page.click("button:has-text('起草意见')")

    fill(_list(tmp_path, "bad.xlsx", [("张明", ids["张明"]), ("王小强", ids["王强"])]))
    page.wait_for_selector("text=名单有误，未建立批次")
    assert "第3行" in page.content() and "不一致" in page.content()
    assert not OpinionBatch.objects.exists()

    fill(_list(tmp_path, "good.xlsx", [("张明", ids["张明"]), ("王强", ids["王强"])]))
    page.wait_for_url(re.compile(r".*/dossiers/batches/\d+/$"))
    batch = OpinionBatch.objects.get()
    assert "2018年度不能评先评优" in page.content()
    wang = batch.lines.get(name="王强")
    page.select_option(f"select[name=v{wang.pk}]", "有影响")
    page.fill(f"input[name=r{wang.pk}]", "群众反映问题正在了解")
    page.click("button:has-text('审核完成')")
    page.wait_for_selector("text=已审核")
    assert page.locator("button:has-text('审批同意')").count() == 0

    log_in("leader")
    page.goto(f"{base}/dossiers/batches/{batch.pk}/")
    page.click("button:has-text('审批同意')")
    page.wait_for_selector("text=已审批")

    log_in("stats")
    page.goto(f"{base}/dossiers/batches/{batch.pk}/")
    page.click("button:has-text('印发函复')")
    page.wait_for_selector("text=函复文号")
    batch.refresh_from_db()
    assert batch.status == "issued"
    with page.expect_download() as download:
        page.click("text=下载函复（Word）")
    assert download.value.suggested_filename.endswith(".docx")
    document = DocxDocument(str(download.value.path()))
    text = "\n".join(p.text for p in document.paragraphs)
    assert batch.document.number in text and "张明" in text and "群众反映问题正在了解" in text
    with page.expect_download() as annex:
        page.click("text=下载明细表（Excel）")
    assert annex.value.suggested_filename.endswith(".xlsx")

    page.goto(f"{base}/dossiers/?q=张明")
    page.click("a:text-is('张明')")
    page.fill("input[name=reason]", "廉政意见复核")
    page.click("button:has-text('查阅档案')")
    page.wait_for_selector("text=评定等次")
    assert "黑色" in page.content() and "影响期与未了事项" in page.content()
    page.goto(f"{base}/dossiers/warnings/")
    page.wait_for_selector("text=预黑预警")
    assert "张明" in page.content()  # the case clue is still under 立案审查
    page.goto(f"{base}/dossiers/tables/")
    page.wait_for_selector("text=新增颜色表版本")
