"""The printed card and its QR code: the code holds the card page's address, the page
opens after login, the .docx (python-docx) holds the 文号, the leader, the items, the
negative list and exactly that code."""

from __future__ import annotations

import io

import pytest
from django.urls import resolve
from docx import Document as Docx

from jiandu.cards import services
from jiandu.cards.models import ListTemplate
from jiandu.cards.reference import NEGATIVE_ITEMS, NEGATIVE_KEY, RESPONSIBILITY_KEY
from jiandu.cards.tests.conftest import previous_quarter
from jiandu.documents.layout import qr_png

pytestmark = pytest.mark.django_db
BASE = "https://jiandu.example.gov.cn/"


@pytest.fixture
def card(cw):
    year, quarter = previous_quarter()
    draft = services.card_create(
        actor=cw.stats,
        committee=cw.committee,
        post=cw.township_head,
        year=year,
        quarter=quarter,
        template=ListTemplate.objects.get(key=RESPONSIBILITY_KEY, archived_at__isnull=True),
        negative_list=ListTemplate.objects.get(key=NEGATIVE_KEY, archived_at__isnull=True),
    )
    return services.card_issue(actor=cw.stats, card=draft, base_url=BASE)


def test_the_qr_payload_is_the_address_of_the_cards_page(card):
    url = services.card_url(card, BASE)
    assert url == f"https://jiandu.example.gov.cn/cards/{card.pk}/"
    match = resolve(url.removeprefix("https://jiandu.example.gov.cn"))
    assert match.view_name == "cards:card_detail" and match.kwargs == {"pk": card.pk}


def test_the_page_opens_after_login(client, cw, card):
    response = client.get(f"/cards/{card.pk}/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    assert f"next=/cards/{card.pk}/" in response["Location"]
    client.force_login(cw.staff)
    assert client.get(f"/cards/{card.pk}/").status_code == 200


def test_the_docx_holds_the_number_leader_items_negative_list_and_the_code(client, cw, card):
    client.force_login(cw.stats)
    response = client.get(f"/cards/{card.pk}/card.docx")
    assert response.status_code == 200
    docx = Docx(io.BytesIO(response.content))
    text = "\n".join(p.text for p in docx.paragraphs)
    assert card.number in text
    assert "中共五华区委" in text
    assert "红云街道党工委书记赵书记同志" in text
    assert f"{card.year}年第" in text and "党风廉政建设主体责任提醒卡" in text
    for item in card.items.all():
        assert item.text in text
    for item in NEGATIVE_ITEMS:
        assert item in text
    assert services.card_url(card, BASE) in text
    images = [
        rel.target_part.blob for rel in docx.part.rels.values() if rel.reltype.endswith("/image")
    ]
    assert images == [qr_png(services.card_url(card, BASE))]


def test_the_qr_image_and_print_page(client, cw, card):
    client.force_login(cw.staff)
    response = client.get(f"/cards/{card.pk}/qr.png")
    assert response["Content-Type"] == "image/png"
    assert response.content == qr_png(f"http://testserver/cards/{card.pk}/")
    page = client.get(f"/cards/{card.pk}/print/").content.decode()
    assert card.number in page and f"/cards/{card.pk}/qr.png" in page
    assert "data-print" in page and "<script>" not in page
