"""The round's documents: 巡察进驻通知 with the team and focus items, 巡察反馈意见 from
the findings, both numbered (文号) and issued once per target."""

from __future__ import annotations

import io

import pytest
from django.core.exceptions import ValidationError
from docx import Document as Docx

from jiandu.inspections import services
from jiandu.inspections.choices import RoundStage
from jiandu.inspections.models import FocusItem
from jiandu.inspections.tests.helpers import make_round
from jiandu.oversight.models import ProblemCategory

pytestmark = pytest.mark.django_db


def text_of(document) -> str:
    with document.file.open("rb") as handle:
        data = handle.read()
    return "\n".join(p.text for p in Docx(io.BytesIO(data)).paragraphs)


def test_entry_notice_and_feedback(rw, actor, pool):
    w = rw.world
    item = make_round(rw, actor, targets=[w.county])
    services.round_draw(actor=actor, round=item, seed=2)
    notice = services.entry_notice_issue(actor=actor, round=item, org=w.county)
    assert notice.number and "巡" in notice.number
    text = text_of(notice)
    assert "巡察进驻通知" in text and "五华区纪委监委：" in text
    leader = item.draws.get(adopted=True).assignments.get(role="leader").person.name
    assert f"组长：{leader}" in text
    assert "脱贫攻坚和乡村振兴政策落实" in text
    assert services.entry_notice_issue(actor=actor, round=item, org=w.county).pk == notice.pk

    services.round_advance(actor=actor, round=item, to_stage=RoundStage.STATIONED)
    for text_ in ("扶贫项目资金拨付滞后", "村集体资产台账不全"):
        services.finding_add(actor=actor, round=item, org=w.county, description=text_,
                             category=ProblemCategory.objects.first(),
                             focus_item=FocusItem.objects.get(key="poverty"))  # fmt: skip
    with pytest.raises(ValidationError, match="反馈阶段"):
        services.feedback_issue(actor=actor, round=item, org=w.county)
    services.round_advance(actor=actor, round=item, to_stage=RoundStage.REPORTING)
    services.round_advance(actor=actor, round=item, to_stage=RoundStage.FEEDBACK)
    feedback = services.feedback_issue(actor=actor, round=item, org=w.county)
    body = text_of(feedback)
    assert "巡察反馈意见" in body and "发现的2个问题" in body
    for link in item.problems.all():
        assert link.problem.number in body
    assert feedback.number != notice.number


def test_download_entry_notice_on_the_page(client, rw, actor, pool):
    from django.urls import reverse

    w = rw.world
    item = make_round(rw, actor, targets=[w.county])
    services.round_draw(actor=actor, round=item, seed=2)
    client.force_login(actor)
    url = reverse("inspections:target_document", args=[item.pk, w.county.pk, "entry"])
    assert url in client.get(reverse("inspections:round_detail", args=[item.pk])).content.decode()
    response = client.post(url)
    assert response.status_code == 200
    assert "巡察进驻通知" in "\n".join(
        p.text for p in Docx(io.BytesIO(response.content)).paragraphs
    )
    early = client.post(reverse("inspections:target_document", args=[item.pk, w.county.pk,
                                                                     "feedback"]))  # fmt: skip
    assert early.status_code == 302
    client.force_login(rw.accounts["dongchuan"])
    assert client.post(url).status_code in (403, 404)


def test_problem_sheet_is_formula_safe(client, rw, actor, pool):
    from django.urls import reverse
    from openpyxl import load_workbook

    w = rw.world
    item = make_round(rw, actor, targets=[w.county])
    services.round_draw(actor=actor, round=item, seed=2)
    services.round_advance(actor=actor, round=item, to_stage=RoundStage.STATIONED)
    services.finding_add(actor=actor, round=item, org=w.county, description="=HYPERLINK(1)",
                         category=ProblemCategory.objects.first())  # fmt: skip
    client.force_login(actor)
    response = client.get(reverse("inspections:problem_sheet", args=[item.pk]))
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("问题编号", "被巡察单位", "重点事项")
    assert rows[1][1] == "五华区纪委监委" and rows[1][4] == "=HYPERLINK(1)"
    assert sheet.cell(row=2, column=5).data_type == "s"
    client.force_login(rw.accounts["wuhua"])
    assert client.get(reverse("inspections:problem_sheet", args=[item.pk])).status_code == 403
