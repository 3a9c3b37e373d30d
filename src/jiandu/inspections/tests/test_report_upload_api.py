"""双报告 files through the API (``POST /api/v1/inspections/reports/{id}/files``,
multipart): the round's 巡察办 and its team members upload the signed report in 报告阶段;
size (413) and type (415, by ending and content) are checked; the inspected county sees
the round but may not upload (403); another county gets 404; outside 报告阶段 409."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from jiandu.accounts import roles as r
from jiandu.inspections import services
from jiandu.inspections.choices import RoundStage
from jiandu.inspections.models import ReportFile, TeamAssignment
from jiandu.inspections.tests.helpers import make_round
from jiandu.people.models import Person
from jiandu.testing import make_user

pytestmark = pytest.mark.django_db
API = "/api/v1/inspections"
PDF = b"%PDF-1.4 signed report"


@pytest.fixture
def report(rw, actor, pool):
    item = make_round(rw, actor, targets=[rw.world.county], focus_items={})
    assert services.round_draw(actor=actor, round=item, seed=4).feasible
    services.round_advance(actor=actor, round=item, to_stage=RoundStage.STATIONED)
    services.round_advance(actor=actor, round=item, to_stage=RoundStage.REPORTING)
    return services.report_file(actor=actor, round=item, org=rw.world.county,
                                kind="inspection", text="总体情况")  # fmt: skip


def _upload(client, report, name, data, content_type="application/pdf"):
    upload = SimpleUploadedFile(name, data, content_type=content_type)
    return client.post(f"{API}/reports/{report.pk}/files", {"file": upload})


def test_the_office_uploads_and_bad_files_are_refused(client, rw, actor, report, settings):
    client.force_login(actor)
    done = _upload(client, report, "巡察报告.pdf", PDF)
    assert done.status_code == 201, done.content
    body = done.json()
    assert body["name"] == "巡察报告.pdf" and body["size"] == len(PDF)
    stored = ReportFile.objects.get(pk=body["id"])
    assert stored.report_id == report.pk and stored.file.read() == PDF
    assert client.get(f"{API}/reports/{report.pk}").json()["files"] == ["巡察报告.pdf"]
    # Type: by ending, and a renamed file by its content.
    exe = _upload(client, report, "报告.exe", b"MZ\x90\x00", "application/octet-stream")
    assert exe.status_code == 415 and ".pdf" in exe.json()["detail"]
    renamed = _upload(client, report, "报告.pdf", b"PK\x03\x04 not a pdf")
    assert renamed.status_code == 415 and "不是 .pdf 文件" in renamed.json()["detail"]
    docx = _upload(
        client,
        report,
        "专题报告.docx",
        b"PK\x03\x04 word",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    )
    assert docx.status_code == 201
    empty = _upload(client, report, "空.pdf", b"")
    assert empty.status_code == 422
    settings.JIANDU_MAX_UPLOAD_BYTES = 1024
    big = _upload(client, report, "大.pdf", PDF + b"x" * 2048)
    assert big.status_code == 413 and "超过大小上限" in big.json()["detail"]
    assert client.post(f"{API}/reports/{report.pk}/files", {}).status_code == 422  # no file
    assert report.files.count() == 2
    # After 报告阶段: 409, nothing stored.
    services.round_advance(actor=actor, round=report.round, to_stage=RoundStage.FEEDBACK)
    assert _upload(client, report, "迟到.pdf", PDF).status_code == 409
    assert report.files.count() == 2


def test_a_team_member_uploads_others_may_not(client, rw, report):
    person = Person.objects.get(
        pk=TeamAssignment.objects.filter(draw__round=report.round).first().person_id
    )
    member = make_user("member", rw.world.other_county, r.ROLE_CLUES)
    member.person = person
    member.save()
    client.force_login(member)
    assert _upload(client, report, "巡察报告.pdf", PDF).status_code == 201
    # The inspected county sees the round and its reports but files nothing.
    client.force_login(rw.accounts["wuhua"])
    assert client.get(f"{API}/reports/{report.pk}").status_code == 200
    assert _upload(client, report, "巡察报告.pdf", PDF).status_code == 403
    # Another county, and a colleague of the member who is not on the team: no such report.
    client.force_login(rw.accounts["dongchuan"])
    assert _upload(client, report, "巡察报告.pdf", PDF).status_code == 404
    colleague = make_user("colleague", rw.world.other_county, r.ROLE_CLUES)
    colleague.person = Person.objects.create(name="局外人", registered_org=rw.world.other_county)
    colleague.save()
    client.force_login(colleague)
    assert _upload(client, report, "巡察报告.pdf", PDF).status_code == 404
    assert client.post(f"{API}/reports/999999/files",
                       {"file": SimpleUploadedFile("a.pdf", PDF)}).status_code == 404  # fmt: skip
    assert report.files.count() == 1
