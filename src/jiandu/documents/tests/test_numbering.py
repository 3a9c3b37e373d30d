"""The 文号 register: one sequence per organ, type and year; a record keeps its number;
a void number stays void and is never handed out again; every issue and void audited."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from jiandu.core.models import AuditLog
from jiandu.documents.choices import DocumentStatus, DocumentType
from jiandu.documents.models import Document, NumberCounter
from jiandu.documents.services import (
    document_file_read,
    document_issue,
    document_void,
    numbering_rule_set,
)

pytestmark = pytest.mark.django_db
T = DocumentType


def issue(world, *, organ=None, kind=T.WARNING_NOTICE, day=dt.date(2026, 3, 2), record=""):
    seen = {}

    def render(number, on):
        seen["number"], seen["on"] = number, on
        return f"{number}|{on.isoformat()}".encode()

    document = document_issue(
        actor=world.users["city"],
        organ=organ or world.city,
        document_type=kind,
        title="关于某单位的工作预警通知书",
        render=render,
        file_name="通知书.docx",
        issued_on=day,
        record_type="boards.boardwarning" if record else "",
        record_id=record,
    )
    return document, seen


def test_numbers_follow_the_rule_per_organ_type_and_year(world):
    numbering_rule_set(
        actor=world.users["city"],
        organ=world.city,
        document_type=T.WARNING_NOTICE,
        organ_prefix="昆纪",
        type_character="预",
    )
    first, _ = issue(world)
    second, _ = issue(world)
    third, seen = issue(world)
    assert [first.number, second.number, third.number] == [
        "昆纪预〔2026〕1号",
        "昆纪预〔2026〕2号",
        "昆纪预〔2026〕3号",
    ]
    # the renderer got the number it prints, and the stored file is what it rendered
    assert seen == {"number": "昆纪预〔2026〕3号", "on": dt.date(2026, 3, 2)}
    data = document_file_read(actor=world.users["city"], document=third)
    assert data == "昆纪预〔2026〕3号|2026-03-02".encode()
    assert AuditLog.objects.filter(action="export", object_id=str(third.pk)).count() == 1
    # another type, another organ, another year: each its own sequence
    bulletin, _ = issue(world, kind=T.BULLETIN)
    county, _ = issue(world, organ=world.county)
    next_year, _ = issue(world, day=dt.date(2027, 1, 4))
    assert bulletin.number == "昆明市纪委监委通〔2026〕1号"  # no rule: the organ's name
    assert county.sequence == 1 and county.number == "五华区纪委监委预〔2026〕1号"
    assert next_year.number == "昆纪预〔2027〕1号"
    assert (first.organ, first.document_type, first.year, first.sequence) == (
        world.city,
        T.WARNING_NOTICE,
        2026,
        1,
    )


def test_a_record_keeps_its_number_and_a_void_one_is_never_reused(world):
    first, _ = issue(world, record="41")
    again, seen = issue(world, record="41")
    assert again.pk == first.pk and seen == {}  # nothing rendered, nothing numbered
    with pytest.raises(ValidationError, match="原因"):
        document_void(actor=world.users["city"], document=first, reason="  ")
    document_void(actor=world.users["city"], document=first, reason="主送单位名称有误")
    first.refresh_from_db()
    assert first.status == DocumentStatus.VOID and first.void_reason == "主送单位名称有误"
    with pytest.raises(ValidationError, match="已于此前作废"):
        document_void(actor=world.users["city"], document=first, reason="再次")
    reissued, _ = issue(world, record="41")
    other, _ = issue(world)
    assert reissued.pk != first.pk
    assert [first.sequence, reissued.sequence, other.sequence] == [1, 2, 3]
    assert Document.objects.filter(number=first.number).count() == 1
    assert NumberCounter.objects.get(organ=world.city, year=2026).last_sequence == 3
    actions = list(
        AuditLog.objects.filter(object_type="documents.document")
        .order_by("sequence")
        .values_list("action", "object_id")
    )
    assert actions == [
        ("create", str(first.pk)),
        ("transition", str(first.pk)),
        ("create", str(reissued.pk)),
        ("create", str(other.pk)),
    ]


def test_bad_input_is_refused_and_nothing_is_numbered(world):
    with pytest.raises(ValidationError, match="标题"):
        document_issue(
            actor=world.users["city"],
            organ=world.city,
            document_type=T.BULLETIN,
            title=" ",
            render=lambda n, d: b"x",
            file_name="a.docx",
        )

    def broken(number, day):
        raise RuntimeError("render failed")

    with pytest.raises(RuntimeError):
        document_issue(
            actor=world.users["city"],
            organ=world.city,
            document_type=T.BULLETIN,
            title="通报",
            render=broken,
            file_name="a.docx",
        )
    # the failed issue rolled back with its counter: the next number is still 1
    assert not NumberCounter.objects.filter(last_sequence__gt=0).exists()
    assert issue(world, kind=T.BULLETIN)[0].sequence == 1


def test_changing_a_rule_keeps_issued_numbers(world):
    numbering_rule_set(
        actor=world.users["city"],
        organ=world.city,
        document_type=T.WARNING_NOTICE,
        organ_prefix="昆纪",
        type_character="预",
    )
    before, _ = issue(world)
    numbering_rule_set(
        actor=world.users["city"],
        organ=world.city,
        document_type=T.WARNING_NOTICE,
        organ_prefix="昆纪监",
        type_character="警",
    )
    after, _ = issue(world)
    before.refresh_from_db()
    assert before.number == "昆纪预〔2026〕1号" and after.number == "昆纪监警〔2026〕2号"


@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite has no row locks")
def test_the_counter_row_is_locked_for_update(world):
    issue(world)
    with CaptureQueriesContext(connection) as queries:
        issue(world)
    assert any("documents_numbercounter" in q["sql"] and "FOR UPDATE" in q["sql"] for q in queries)
