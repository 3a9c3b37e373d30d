"""导出Excel: the workbook holds exactly the rows of the filtered list, and each export
leaves an audit row naming its filters and row count."""

import datetime as dt
import io

from django.urls import reverse
from openpyxl import load_workbook

from jiandu.clues import services
from jiandu.clues.choices import ClueSource, DisposalMethod
from jiandu.clues.models import DomainTag
from jiandu.core.choices import AuditAction
from jiandu.core.models import AuditLog

D = dt.date(2020, 3, 2)


def _sheet_rows(response):
    assert response["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml"
    )
    assert "attachment;" in response["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    return rows[0], rows[1:]


def test_clue_export_matches_the_filtered_list_and_is_audited(client, world, users):
    city = users["city"]
    roads = DomainTag.objects.create(code="roads", name="交通")
    for i in range(6):
        clue = services.clue_create(
            actor=city,
            source=ClueSource.INSPECTION,
            title=f"线索{i}",
            received_date=D - dt.timedelta(days=i),
            handling_org=world.county,
            domains=[world.poverty if i % 2 else roads],
        )
        if i < 4:
            services.clue_dispose(
                actor=city, clue=clue, method=DisposalMethod.TALK_INQUIRY, on_date=D
            )
    client.force_login(city)
    query = {"status": "disposing", "domain": "poverty"}
    listed = client.get(reverse("clues:clue_list"), query).context["page"].items
    assert [c.title for c in listed] == ["线索1", "线索3"]

    response = client.get(reverse("clues:clue_export"), query)
    header, rows = _sheet_rows(response)
    assert header[:4] == ("编号", "受理日期", "线索来源", "标题")
    assert [row[0] for row in rows] == [c.number for c in listed]
    assert {row[4] for row in rows} == {"扶贫"}
    assert {row[8] for row in rows} == {"处置中"}

    audit = AuditLog.objects.get(action=AuditAction.EXPORT)
    assert audit.actor == city and audit.object_type == "clues.clue"
    assert (
        "2条" in audit.summary and "状态=处置中" in audit.summary and "领域=扶贫" in audit.summary
    )
    assert audit.changes["rows"] == 2


def test_petition_export_matches_the_filtered_list_and_is_audited(client, world, users):
    city = users["city"]
    first = services.petition_register(
        actor=city,
        received_date=D - dt.timedelta(days=30),
        channel="letter",
        title="反映某村低保问题",
        content="……",
        reporter_name="孙某",
        reporter_phone="13700000000",
    )
    repeat = services.petition_register(
        actor=city,
        received_date=D,
        channel="phone",
        title="再次反映某村低保问题",
        content="……",
        reporter_name="孙某",
        reporter_phone="13700000000",
    )
    assert repeat.repeat_of == first
    client.force_login(city)
    listed = client.get(reverse("clues:petition_list"), {"repeat_only": "on"})
    assert [p.number for p in listed.context["page"].items] == [repeat.number]
    assert "重复举报" in listed.content.decode()

    header, rows = _sheet_rows(client.get(reverse("clues:petition_export"), {"repeat_only": "on"}))
    assert [row[0] for row in rows] == [repeat.number]
    assert rows[0][header.index("重复举报于")] == first.number
    assert "孙某" not in str(rows) and "13700000000" not in str(rows)  # never the identity

    audit = AuditLog.objects.get(action=AuditAction.EXPORT)
    assert "1条" in audit.summary and "仅重复举报=是" in audit.summary


def test_an_export_with_bad_filters_is_refused(client, users):
    client.force_login(users["city"])
    response = client.get(reverse("clues:clue_export"), {"received_from": "2020-13-45"})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("clues:clue_list"))
    assert not AuditLog.objects.filter(action=AuditAction.EXPORT).exists()
