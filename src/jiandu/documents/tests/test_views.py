"""The register page, downloads, voiding and the 督促整改通知书 of a problem, as the people
who use them: the supervising body issues, the responsible unit reads what was sent to it,
an officer elsewhere finds nothing (404)."""

import datetime as dt
import io

import pytest
from django.urls import reverse
from docx import Document as Docx

from jiandu.core.models import AuditLog
from jiandu.documents.choices import DocumentStatus
from jiandu.documents.models import Document
from jiandu.testing import make_user

from .conftest import grant

pytestmark = pytest.mark.django_db


def _issue_notice(client, user, problem):
    client.force_login(user)
    return client.post(reverse("documents:rectification-notice", args=[problem.pk]))


@pytest.fixture
def issued(world, problem, client):
    group = grant(world.users["group"], "documents.add_document", "documents.view_document")
    response = _issue_notice(client, group, problem)
    assert response.status_code == 302
    client.logout()
    return Document.objects.get()


def test_the_supervising_body_issues_the_notice_once(world, problem, client):
    group = grant(world.users["group"], "documents.add_document", "documents.view_document")
    client.force_login(group)
    url = reverse("documents:rectification-notice", args=[problem.pk])
    page = client.get(url)
    assert page.status_code == 200 and "印发督促整改通知书" in page.content.decode()
    client.post(url)
    client.post(url)
    document = Document.objects.get()
    assert document.number == f"派驻第一纪检监察组改〔{document.issued_on.year}〕1号"
    assert document.recipient_org == world.unit_a and document.organ == world.group1
    assert (document.record_type, document.record_id) == ("oversight.problem", str(problem.pk))
    page = client.get(url).content.decode()
    assert document.number in page and reverse("documents:download", args=[document.pk]) in page
    response = client.get(reverse("documents:download", args=[document.pk]))
    paragraphs = [p.text for p in Docx(io.BytesIO(response.content)).paragraphs]
    text = "\n".join(paragraphs)
    assert document.number in paragraphs and "市财政局：" in paragraphs
    assert "惠民资金发放台账不全" in text
    # 30 days from 09-01 on the calendar: 10-01, 10-02 holidays, weekend, 10-05 holiday
    assert "于2026年10月6日前（30日）完成整改" in text
    assert AuditLog.objects.filter(
        action="export", object_type="documents.document", object_id=str(document.pk)
    ).exists()


def test_only_the_supervising_side_may_issue(world, problem, unit_staff, client):
    grant(unit_staff, "documents.add_document", "documents.view_document")
    assert _issue_notice(client, unit_staff, problem).status_code == 403
    outsider = grant(world.users["outsider"], "documents.add_document")
    assert _issue_notice(client, outsider, problem).status_code == 404
    plain = make_user("plain", world.group1)  # the supervising org, no documents role
    assert _issue_notice(client, plain, problem).status_code == 403
    assert not Document.objects.exists()


def test_register_is_scoped_and_the_recipient_reads_its_notice(world, issued, unit_staff, client):
    download = reverse("documents:download", args=[issued.pk])
    client.force_login(make_user("no-role", world.other_county))
    assert client.get(reverse("documents:register")).status_code == 403
    outsider = grant(world.users["outsider"], "documents.view_document", "documents.void_document")
    client.force_login(outsider)
    page = client.get(reverse("documents:register")).content.decode()
    assert issued.number not in page
    assert client.get(download).status_code == 404
    assert client.get(reverse("documents:void", args=[issued.pk])).status_code == 404

    grant(unit_staff, "documents.view_document", "documents.void_document")
    client.force_login(unit_staff)
    page = client.get(reverse("documents:register")).content.decode()
    assert issued.number in page and "督促整改通知书" in page
    # the recipient is not offered to void the issuer's number (it would answer 403)
    assert reverse("documents:void", args=[issued.pk]) not in page
    assert client.get(download).status_code == 200
    # the recipient cannot void the issuer's number
    response = client.post(reverse("documents:void", args=[issued.pk]), {"reason": "不认可"})
    assert response.status_code == 403
    issued.refresh_from_db()
    assert issued.status == DocumentStatus.ISSUED


def test_void_needs_a_reason_and_keeps_the_number_listed(world, issued, client):
    group = grant(world.users["group"], "documents.void_document", "documents.view_document")
    client.force_login(group)
    url = reverse("documents:void", args=[issued.pk])
    assert f'href="{url}"' in client.get(reverse("documents:register")).content.decode()
    page = client.post(url, {"reason": ""})
    assert page.status_code == 200 and "作废文号必须填写原因" in page.content.decode()
    issued.refresh_from_db()
    assert issued.status == DocumentStatus.ISSUED
    assert client.post(url, {"reason": "责任单位有误"}).status_code == 302
    issued.refresh_from_db()
    assert issued.status == DocumentStatus.VOID and issued.voided_by == group
    page = client.get(reverse("documents:register"), {"year": issued.year}).content.decode()
    assert issued.number in page and "责任单位有误" in page and "已作废" in page
    # the summary counts the void number among the numbers used
    assert "<td>1</td>" in page


def test_register_filters_by_type(world, issued, client):
    group = grant(world.users["group"], "documents.view_document")
    client.force_login(group)
    page = client.get(reverse("documents:register"), {"document_type": "bulletin"})
    assert issued.number not in page.content.decode()


def test_register_ignores_an_organ_out_of_the_id_range(world, issued, client):
    """The organ filter comes from the address: an id no record can have lists all the
    documents, as an unknown one does, instead of failing (500)."""
    group = grant(world.users["group"], "documents.view_document")
    client.force_login(group)
    for organ in ("99999999999999999999999", "0", "-3"):
        page = client.get(reverse("documents:register"), {"organ": organ})
        assert page.status_code == 200, organ
        assert issued.number in page.content.decode()


def test_api_lists_and_reads_within_jurisdiction(world, issued, client):
    group = grant(world.users["group"], "documents.view_document")
    client.force_login(group)
    rows = client.get("/api/v1/documents/", {"year": issued.year}).json()
    assert [r["number"] for r in rows] == [issued.number]
    row = rows[0]
    assert row["document_type_label"] == "督促整改通知书"
    assert row["recipient_org"]["name"] == "市财政局" and row["status_label"] == "已印发"
    assert row["download_url"] == reverse("documents:download", args=[issued.pk])
    assert client.get(f"/api/v1/documents/{issued.pk}").json()["sequence"] == 1
    assert client.get("/api/v1/documents/", {"document_type": "bulletin"}).json() == []
    outsider = grant(world.users["outsider"], "documents.view_document")
    client.force_login(outsider)
    assert client.get("/api/v1/documents/").json() == []
    assert client.get(f"/api/v1/documents/{issued.pk}").status_code == 404
    client.force_login(make_user("no-role", world.county))
    assert client.get("/api/v1/documents/").status_code == 403


def test_warning_card_data_from_an_overdue_rectification(world, problem):
    from jiandu.documents.services import warning_card_from_rectification

    rect = problem.rectification
    card = warning_card_from_rectification(
        rectification=rect,
        level="督导问责组",
        issuer="派驻第一纪检监察组",
        date=dt.date(2026, 10, 9),
    )
    assert card.recipient == "市财政局" and card.due_on == dt.date(2026, 10, 6)
    assert card.reason == "超过整改期限3日未完成整改" and card.status == "待整改"


def test_rules_page_sets_a_rule_for_an_organ_in_jurisdiction(world, client):
    from jiandu.documents.models import NumberingRule

    city = grant(make_user("reader", world.city), "documents.view_document")
    client.force_login(city)
    url = reverse("documents:rules")
    data = {
        "organ": world.city.pk,
        "document_type": "warning_notice",
        "organ_prefix": "昆纪",
        "type_character": "预",
    }
    page = client.get(url).content.decode()
    assert "尚未设置文号规则" in page and "设置文号规则</h2>" not in page
    assert client.post(url, data).status_code == 403
    grant(city, "documents.add_numberingrule")
    assert client.post(url, data).status_code == 302
    assert "昆纪预〔" in client.get(url).content.decode()
    # an organ outside the jurisdiction is not a choice
    county = grant(
        world.users["outsider"], "documents.view_document", "documents.add_numberingrule"
    )
    client.force_login(county)
    page = client.post(url, {**data, "type_character": "警"})
    assert page.status_code == 200 and "organ" in page.context["form"].errors
    assert list(NumberingRule.objects.values_list("type_character", flat=True)) == ["预"]


def test_register_and_api_list_take_the_same_queries_for_more_documents(world, client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from jiandu.documents.choices import DocumentType
    from jiandu.documents.services import document_issue, document_void

    city = grant(world.users["city"], "documents.view_document", "documents.void_document")

    def add(n):
        for _ in range(n):
            document = document_issue(
                actor=city,
                organ=world.city,
                document_type=DocumentType.BULLETIN,
                title="通报",
                render=lambda number, day: number.encode(),
                file_name="通报.docx",
                recipient_org=world.county,
            )
        document_void(actor=city, document=document, reason="重印")

    def count(url):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    client.force_login(city)
    add(1)
    client.get(reverse("documents:register"))  # warm the per-process caches
    few = (count(reverse("documents:register")), count("/api/v1/documents/"))
    add(6)
    many = (count(reverse("documents:register")), count("/api/v1/documents/"))
    assert many == few


def test_register_and_api_name_the_issuer_not_the_login(world, issued, client):
    group = grant(world.users["group"], "documents.view_document", "documents.void_document")
    group.full_name = "李明"
    group.save(update_fields=["full_name"])
    client.force_login(group)
    client.post(reverse("documents:void", args=[issued.pk]), {"reason": "责任单位有误"})
    page = client.get(reverse("documents:register"), {"year": issued.year}).content.decode()
    assert '<td class="nowrap">李明</td>' in page and "李明：责任单位有误" in page
    assert f">{group.username}<" not in page and f"{group.username}：" not in page
    row = client.get(f"/api/v1/documents/{issued.pk}").json()
    assert (row["issued_by"], row["voided_by"]) == ("李明", "李明")
