"""List templates are data: the 八小时以外 负面清单 (15 items of seed 001) is installed by
the data migration; a revision is a new version (the old one archived, cards issued from
it unchanged); a list is archived with a reason, never deleted."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from jiandu.cards import services
from jiandu.cards.models import ListTemplate
from jiandu.cards.reference import NEGATIVE_KEY, RESPONSIBILITY_KEY, install_reference_data
from jiandu.cards.tests.conftest import previous_quarter

pytestmark = pytest.mark.django_db


def test_the_negative_list_has_the_15_items_of_seed_001(cw):
    negative = ListTemplate.objects.get(key=NEGATIVE_KEY, archived_at__isnull=True)
    texts = list(negative.items.order_by("order").values_list("text", flat=True))
    assert len(texts) == 15
    assert texts[0] == "参与邪教组织或者封建迷信活动"
    assert any("赌博" in t for t in texts) and any("婚丧" in t for t in texts)
    install_reference_data()  # idempotent
    assert ListTemplate.objects.filter(key=NEGATIVE_KEY).count() == 1


def test_a_revision_is_a_new_version_and_issued_cards_keep_their_items(cw):
    template = ListTemplate.objects.get(key=RESPONSIBILITY_KEY, archived_at__isnull=True)
    year, quarter = previous_quarter()
    card = services.card_create(
        actor=cw.stats,
        committee=cw.committee,
        post=cw.unit_head,
        year=year,
        quarter=quarter,
        template=template,
    )
    before = list(card.items.values_list("text", flat=True))
    revised = services.list_template_revise(
        actor=cw.stats, template=template, name=template.name, items=["新事项一", "新事项二"]
    )
    template.refresh_from_db()
    assert template.is_archived and revised.version == 2
    assert list(revised.items.values_list("text", flat=True)) == ["新事项一", "新事项二"]
    assert list(card.items.values_list("text", flat=True)) == before
    with pytest.raises(ValidationError, match="已归档"):
        services.list_template_revise(actor=cw.stats, template=template, name="x", items=["y"])
    with pytest.raises(ValidationError, match="已归档"):
        services.card_create(
            actor=cw.stats,
            committee=cw.committee,
            post=cw.vice_mayor,
            year=year,
            quarter=quarter,
            template=template,
        )


def test_pages_create_revise_and_archive_a_list(client, cw):
    client.force_login(cw.stats)
    response = client.post(
        "/cards/templates/new/",
        {"name": "乡镇党委书记主体责任清单", "kind": "responsibility", "key": "township",
         "description": "", "items": "1. 研究部署\n2、 抓好整改\n\n"},
    )  # fmt: skip
    assert response.status_code == 302
    created = ListTemplate.objects.get(key="township")
    assert list(created.items.values_list("text", flat=True)) == ["研究部署", "抓好整改"]
    response = client.post(
        f"/cards/templates/{created.pk}/revise/",
        {"name": created.name, "description": "", "items": "研究部署\n抓好整改\n管好身边人"},
    )
    revised = ListTemplate.objects.get(key="township", archived_at__isnull=True)
    assert revised.version == 2 and revised.items.count() == 3
    client.post(f"/cards/templates/{revised.pk}/archive/", {"reason": "不再使用"})
    revised.refresh_from_db()
    assert revised.is_archived and revised.archive_reason == "不再使用"
    assert ListTemplate.objects.filter(key="township").count() == 2  # nothing deleted
    page = client.get("/cards/templates/").content.decode()
    assert "乡镇党委书记主体责任清单" in page and "已归档" in page


def test_unit_staff_read_but_do_not_edit_lists(client, cw):
    client.force_login(cw.staff)
    assert client.get("/cards/templates/").status_code == 200
    assert client.get("/cards/templates/new/").status_code == 403
