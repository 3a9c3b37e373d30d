"""The 通报 and the 工作预警通知书 take their 文号 from the register when the board's
managers 签发 them (a POST; the blank 〔    〕号 is gone), keep it on later downloads, and
get a new one only after the number is voided. A download (GET) never numbers one: before
it is issued, it sends the reader back to the page."""

import io

from django.urls import reverse
from docx import Document as Docx

from jiandu.boards.services import board_close
from jiandu.documents.choices import DocumentStatus, DocumentType
from jiandu.documents.models import Document
from jiandu.documents.services import document_void, numbering_rule_set


def _paragraphs(response):
    return [p.text for p in Docx(io.BytesIO(response.content)).paragraphs]


def test_warning_notice_prints_its_number_and_keeps_it(bw, client):
    for month in (1, 2):
        for org in (bw.world.county, bw.dongchuan):
            bw.receive(org, month, 1)
        outcome = board_close(
            actor=bw.users["city"], board=bw.counties_board, month=f"2020-{month:02d}"
        )
    (warning,) = outcome.warnings
    numbering_rule_set(
        actor=bw.users["city"],
        organ=bw.counties_board.owner_org,
        document_type=DocumentType.WARNING_NOTICE,
        organ_prefix="昆纪",
        type_character="预",
    )
    client.force_login(bw.users["city"])
    url = reverse("boards:warning_notice", args=[warning.pk])
    detail = reverse("boards:warning_detail", args=[warning.pk])
    # Not issued yet: the download sends back to the warning, whose page offers 签发.
    assert client.get(url)["Location"] == detail
    assert not Document.objects.exists()
    assert f'<form method="post" action="{url}"' in client.get(detail).content.decode()
    first = client.post(url)
    texts = _paragraphs(first)
    year = Document.objects.get().year  # the year the notice was issued in
    assert f"昆纪预〔{year}〕1号" in texts
    assert not any("〔    〕号" in t for t in texts)
    assert client.get(url).content == first.content  # the stored file, same number
    assert client.post(url).content == first.content  # issued once
    assert f'href="{url}"' in client.get(detail).content.decode()
    document = Document.objects.get(document_type=DocumentType.WARNING_NOTICE)
    assert (document.record_type, document.record_id) == ("boards.boardwarning", str(warning.pk))
    assert document.recipient_org == warning.org and document.organ == bw.counties_board.owner_org
    document_void(actor=bw.users["city"], document=document, reason="预警依据有误，重新印发")
    assert client.get(url)["Location"] == detail  # voided: not issued again by a download
    assert Document.objects.count() == 1
    assert f"昆纪预〔{year}〕2号" in _paragraphs(client.post(url))
    assert list(Document.objects.order_by("sequence").values_list("status", flat=True)) == [
        DocumentStatus.VOID,
        DocumentStatus.ISSUED,
    ]


def test_bulletin_prints_its_number_in_the_masthead(bw, client):
    bw.receive(bw.world.county, 1, 2)
    bw.receive(bw.dongchuan, 1, 1)
    board_close(actor=bw.users["city"], board=bw.counties_board, month="2020-01")
    client.force_login(bw.users["city"])
    url = reverse("boards:bulletin_docx", args=[bw.counties_board.pk, "2020-01"])
    assert client.get(url).status_code == 302  # not issued yet
    texts = _paragraphs(client.post(url))
    owner = bw.counties_board.owner_org
    number = f"{owner.short_name or owner.name}通〔"
    (line,) = [t for t in texts if t.startswith(number)]
    assert texts.index(line) == 1  # right under the organ's name in the 版头
    client.get(url)
    assert Document.objects.filter(document_type=DocumentType.BULLETIN).count() == 1
