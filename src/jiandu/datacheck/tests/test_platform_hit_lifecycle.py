"""The verification of a hit as data: 待核查 → 已分派 → 已确认 / 已排除 (reason required)
→ 已转线索; one event per move with actor, time and reason; illegal moves refused
naming the move, on the services and on the page."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from jiandu.datacheck.choices import HitAction, HitStatus
from jiandu.datacheck.lifecycle import HitTransitionError
from jiandu.datacheck.models import Hit
from jiandu.datacheck.services import hit_assign, hit_confirm, hit_convert, hit_exclude

from .platform_data import small_run

pytest_plugins = ["jiandu.datacheck.tests.platform_support"]


@pytest.fixture
def hit(dc):
    run = small_run(dc)
    return Hit.objects.get(run=run, region_code__startswith="530102", period="2024-04")


def test_pending_cannot_be_confirmed_before_assignment(dc, hit):
    with pytest.raises(HitTransitionError) as exc:
        hit_confirm(actor=dc.city_data, hit=hit)
    assert str(exc.value) == "疑点状态为“待核查”，不能执行“确认问题”，当前可执行：分派核查"
    hit.refresh_from_db()
    assert hit.status == HitStatus.PENDING and not hit.events.exists()


def test_assign_then_exclude_needs_a_reason(dc, hit):
    hit = hit_assign(actor=dc.city_data, hit=hit, handling_org=dc.world.city, reason="请核实")
    assert (hit.status, hit.handling_org) == (HitStatus.ASSIGNED, dc.world.city)
    with pytest.raises(ValidationError) as exc:
        hit_exclude(actor=dc.city_data, hit=hit, reason="  ")
    assert exc.value.message_dict == {"reason": ["排除疑点须填写理由"]}
    hit = hit_exclude(actor=dc.city_data, hit=hit, reason="经核实，系死亡日期登记错误")
    assert hit.status == HitStatus.EXCLUDED
    assert hit.decision_reason == "经核实，系死亡日期登记错误"
    events = list(hit.events.order_by("pk"))
    assert [(e.action, e.from_status, e.to_status) for e in events] == [
        (HitAction.ASSIGN, HitStatus.PENDING, HitStatus.ASSIGNED),
        (HitAction.EXCLUDE, HitStatus.ASSIGNED, HitStatus.EXCLUDED),
    ]
    assert events[0].to_org == dc.world.city and events[0].reason == "请核实"
    assert all(e.actor == dc.city_data and e.at for e in events)
    with pytest.raises(HitTransitionError, match="不能执行“转为问题线索”，该疑点的核查已经结束"):
        hit_convert(actor=dc.city_data, hit=hit)


def test_assignment_outside_the_jurisdiction_or_region_is_refused(dc, hit):
    with pytest.raises(ValidationError) as exc:
        hit_assign(actor=dc.county_data, hit=hit, handling_org=dc.world.city)
    assert "不在您的管辖范围内" in exc.value.message_dict["handling_org"][0]
    # 五华's person cannot be handed to 盘龙 (its officers could not see the hit)
    assert hit.region_code.startswith("530102")
    with pytest.raises(ValidationError) as exc:
        hit_assign(actor=dc.city_data, hit=hit, handling_org=dc.world.other_county)
    assert "管辖地区不包含疑点所在地区" in exc.value.message_dict["handling_org"][0]
    # a room without a region of its own covers what it supervises (五华区)
    room = dc.world.room1
    assert hit_assign(actor=dc.city_data, hit=hit, handling_org=room).handling_org == room


def test_page_refuses_an_illegal_move_with_its_name(client, dc, hit):
    client.force_login(dc.city_data)
    url = reverse("datacheck:hit_action", args=[hit.pk])
    response = client.post(
        url, {"action": "exclude", "exclude-reason": "无"}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 409
    assert "不能执行“排除疑点”" in response.content.decode()
    response = client.post(
        url,
        {"action": "assign", "assign-handling_org": dc.world.county.pk},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    text = response.content.decode()
    assert "已分派核查" in text and "分派核查至五华区纪委监委" in text
    response = client.post(url, {"action": "exclude"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 422
    assert "这个字段是必填项。" in response.content.decode()
    hit.refresh_from_db()
    assert hit.status == HitStatus.ASSIGNED


def test_verification_needs_the_permission(client, dc, hit):
    client.force_login(dc.users["leader"])  # may view, may not verify
    assert client.get(reverse("datacheck:hit_detail", args=[hit.pk])).status_code == 200
    response = client.post(
        reverse("datacheck:hit_action", args=[hit.pk]),
        {"action": "assign", "assign-handling_org": dc.world.city.pk},
    )
    assert response.status_code == 403
