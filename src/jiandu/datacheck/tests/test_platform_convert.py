"""转为问题线索: a confirmed hit becomes a 问题线索 with source 大数据比对, the money
involved and the evidence; the hit is marked converted and links to it."""

from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from jiandu.clues.choices import ClueSource
from jiandu.clues.models import Clue
from jiandu.datacheck.choices import HitStatus
from jiandu.datacheck.models import Hit
from jiandu.datacheck.services import hit_assign, hit_confirm

from .platform_data import P_WUHUA, small_run

pytest_plugins = ["jiandu.datacheck.tests.platform_support"]


@pytest.fixture
def confirmed(dc):
    run = small_run(dc)
    hit = Hit.objects.filter(run=run, period="2024-05").get()
    hit = hit_assign(actor=dc.city_data, hit=hit, handling_org=dc.world.county)
    return hit_confirm(actor=dc.city_data, hit=hit, reason="经走访，对象已于3月死亡")


def test_convert_makes_a_clue_with_the_evidence(client, dc, confirmed):
    client.force_login(dc.city_data)
    response = client.post(
        reverse("datacheck:hit_action", args=[confirmed.pk]), {"action": "convert"}
    )
    assert response.status_code == 302
    hit = Hit.objects.get(pk=confirmed.pk)
    clue = Clue.objects.get()
    assert hit.status == HitStatus.CONVERTED and hit.clue == clue
    assert clue.source == ClueSource.DATACHECK
    assert clue.get_source_display() == "大数据比对"
    assert clue.handling_org == dc.world.county  # the org that verified it
    assert clue.funds_involved == Decimal("780.00") == hit.amount
    assert clue.received_date == timezone.localdate()
    assert clue.title == "大数据比对：死亡后仍发放（张三）"
    evidence = clue.evidence
    assert evidence["比对规则"] == "R01 死亡后仍发放"
    assert evidence["比对任务"] == f"#{hit.run_id}" and evidence["疑点编号"] == hit.pk
    assert evidence["比对证据"]["发放记录编号"] == "P3"
    assert evidence["比对证据"]["死亡日期"] == "2024-03-10"
    assert evidence["核查结论"] == "经走访，对象已于3月死亡"
    # the clue carries the identity masked; the full number stays on the hit
    assert evidence["比对对象"] == hit.subject_masked and P_WUHUA not in str(evidence)
    event = hit.events.order_by("pk").last()
    assert event.action == "convert" and event.data["clue_id"] == clue.pk

    page = client.get(reverse("datacheck:hit_detail", args=[hit.pk])).content.decode()
    assert reverse("clues:clue_detail", args=[clue.pk]) in page
    clue_page = client.get(reverse("clues:clue_detail", args=[clue.pk])).content.decode()
    assert "比对证据" in clue_page and "死亡后仍发放" in clue_page


def test_convert_needs_the_clue_permission(client, dc, confirmed):
    from jiandu.accounts import roles as r
    from jiandu.testing import make_user

    data_only = make_user("data_only", dc.world.city, r.ROLE_DATA)
    client.force_login(data_only)
    page = client.get(reverse("datacheck:hit_detail", args=[confirmed.pk])).content.decode()
    assert 'value="convert"' not in page
    response = client.post(
        reverse("datacheck:hit_action", args=[confirmed.pk]), {"action": "convert"}
    )
    assert response.status_code == 403
    assert not Clue.objects.exists()


def test_only_a_confirmed_hit_converts(client, dc):
    run = small_run(dc)
    hit = Hit.objects.filter(run=run).first()
    client.force_login(dc.city_data)
    response = client.post(
        reverse("datacheck:hit_action", args=[hit.pk]),
        {"action": "convert"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 409
    assert "不能执行“转为问题线索”" in response.content.decode()
    assert not Clue.objects.exists()
