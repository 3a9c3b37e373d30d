"""The 线索大起底's clue filters on constructed clues: each filter alone and combined,
stored with the campaign and shown in words; bad filters named; the page's form."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from jiandu.clues.choices import ClueSource, DisposalMethod
from jiandu.clues.services import clue_create, clue_dispose
from jiandu.people.services import person_create, post_add
from jiandu.sweeps.filters import clues_matching, describe, normalize
from jiandu.sweeps.models import Sweep
from jiandu.sweeps.services import sweep_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def clues(world, users):
    city = users["city"]
    cadre = person_create(actor=city, name="甲处长", registered_org=world.unit_a)
    # 市管干部 from 2019 (section level before): the level on the clue's receipt counts.
    post_add(actor=city, person=cadre, org=world.unit_a, title="科长", management_level="section",
             start_date=dt.date(2015, 1, 1), end_date=dt.date(2018, 12, 31))  # fmt: skip
    post_add(actor=city, person=cadre, org=world.unit_a, title="局长",
             management_level="city_managed", start_date=dt.date(2019, 1, 1))  # fmt: skip
    clerk = person_create(actor=city, name="乙干部", registered_org=world.township)
    post_add(actor=city, person=clerk, org=world.township, title="干事", management_level="general",
             start_date=dt.date(2010, 1, 1))  # fmt: skip

    def make(title, org, received, source=ClueSource.PETITION, method=None, disposed=None,
             people=()):  # fmt: skip
        clue = clue_create(actor=city, source=source, title=title, received_date=received,
                           handling_org=org, subject_people=list(people))  # fmt: skip
        if method:
            clue_dispose(actor=city, clue=clue, method=method, on_date=disposed or received)
        return clue

    return {
        "a": make("城市暂存", world.room1, dt.date(2018, 5, 1), method=DisposalMethod.SHELVED,
                  disposed=dt.date(2018, 6, 1), people=[cadre]),  # 科级 then
        "b": make("城市暂存二", world.room1, dt.date(2020, 5, 1), method=DisposalMethod.SHELVED,
                  disposed=dt.date(2021, 2, 1), people=[cadre]),  # 市管 then
        "c": make("县区了结", world.county, dt.date(2020, 7, 1), source=ClueSource.INSPECTION,
                  method=DisposalMethod.DISMISSED, disposed=dt.date(2020, 8, 1),
                  people=[clerk]),
        "d": make("县区新受理", world.county, dt.date(2022, 1, 5), source=ClueSource.AUDIT),
        "e": make("市纪委直接承办", world.city, dt.date(2019, 3, 1), source=ClueSource.AUDIT,
                  method=DisposalMethod.TALK_INQUIRY, disposed=dt.date(2019, 3, 10)),
    }  # fmt: skip


def _titles(user, data):
    return sorted(c.title for c in clues_matching(user=user, data=data))


def _keys(clues, user, filters):
    data = normalize(user=user, filters=filters)
    found = set(clues_matching(user=user, data=data).values_list("pk", flat=True))
    return sorted(k for k, c in clues.items() if c.pk in found)


def test_each_filter_selects_its_clues(world, users, clues):
    city = users["city"]
    assert _keys(clues, city, {}) == ["a", "b", "c", "d", "e"]
    assert _keys(clues, city, {"disposal_method": ["shelved", "dismissed"]}) == ["a", "b", "c"]
    assert _keys(clues, city, {"status": "received"}) == ["d"]
    assert _keys(clues, city, {"source": ["audit"]}) == ["d", "e"]
    assert _keys(clues, city, {"received_from": dt.date(2019, 1, 1),
                               "received_to": dt.date(2020, 6, 30)}) == ["b", "e"]  # fmt: skip
    # Disposed in 2020–2021; a clue never disposed is left out of any 处置日期 range.
    assert _keys(clues, city, {"disposed_from": "2020-01-01", "disposed_to": "2021-12-31"}) == [
        "b",
        "c",
    ]
    assert _keys(clues, city, {"disposed_to": "2030-01-01"}) == ["a", "b", "c", "e"]
    # 承办单位 alone, or with the units under it.
    assert _keys(clues, city, {"handling_org": world.city}) == ["e"]
    assert _keys(clues, city, {"handling_org": world.city.pk, "include_sub": True}) == [
        "a", "b", "c", "d", "e",
    ]  # fmt: skip
    assert _keys(clues, city, {"handling_org": world.county, "include_sub": True}) == ["c", "d"]
    # 职级 on the day the clue was received: the cadre was 科级 in 2018, 市管 from 2019.
    assert _keys(clues, city, {"subject_level": "city_managed"}) == ["b"]
    assert _keys(clues, city, {"subject_level": ["section", "general"]}) == ["a", "c"]
    # Combined: every filter holds.
    assert _keys(clues, city, {"disposal_method": "shelved", "received_from": "2019-01-01",
                               "subject_level": "city_managed", "source": "petition",
                               "handling_org": world.room1}) == ["b"]  # fmt: skip


def test_the_jurisdiction_bounds_the_filters(world, users, clues):
    county = users["county"]
    assert _keys(clues, county, {}) == ["c", "d"]
    with pytest.raises(ValidationError, match="承办单位不在您的管辖范围内"):
        normalize(user=county, filters={"handling_org": world.room1})
    with pytest.raises(ValidationError, match="处置方式“lost”不存在"):
        normalize(user=county, filters={"disposal_method": ["shelved", "lost"]})
    with pytest.raises(ValidationError, match="受理日期的截止日期早于起始日期"):
        normalize(user=county, filters={"received_from": "2020-02-01", "received_to": "2020-01-01"})


def test_stored_with_the_campaign_and_shown_in_words(world, users, clues):
    sweep = sweep_create(
        actor=users["city"],
        name="暂存、了结线索大起底",
        org=world.city,
        filters={
            "disposal_method": ["dismissed", "shelved"],
            "status": "",
            "received_from": dt.date(2018, 1, 1),
            "disposed_to": dt.date(2021, 12, 31),
            "handling_org": world.city,
            "include_sub": True,
            "subject_level": ["city_managed", "section", "general"],
        },
    )
    assert sweep.filters == {
        "disposal_method": ["shelved", "dismissed"],
        "received_from": "2018-01-01",
        "disposed_to": "2021-12-31",
        "handling_org": world.city.pk,
        "include_sub": True,
        "subject_level": ["city_managed", "section", "general"],
    }
    assert sweep.filters_text == (
        "处置方式：暂存待查、予以了结；被反映人职级：市管干部、科级、一般干部；"
        "受理日期自 2018-01-01；处置日期至 2021-12-31；承办单位：昆明市纪委监委（含下级单位）"
    )
    assert sorted(i.clue.title for i in sweep.items.all()) == ["县区了结", "城市暂存", "城市暂存二"]
    # The campaign keeps what it selected when started.
    assert describe({}) == "管辖范围内全部线索"
    assert describe({"received_from": "2018-01-01", "received_to": "2019-12-31"}) == (
        "受理日期 2018-01-01 至 2019-12-31"
    )


def test_the_page_offers_every_filter_and_names_a_bad_one(client, world, users, clues):
    client.force_login(users["county"])
    page = client.get(reverse("sweeps:sweep_list")).content.decode()
    for label in ("处置方式", "线索状态", "线索来源", "受理日期自", "处置日期至", "承办单位",
                  "被反映人职级", "市管干部", "巡察移交"):  # fmt: skip
        assert label in page, label
    assert "第一监督检查室" not in page  # not in the county's jurisdiction
    response = client.post(reverse("sweeps:sweep_list"), {
        "name": "x", "disposed_from": "2021-01-01", "disposed_to": "2020-01-01",
    })  # fmt: skip
    assert response.status_code == 422
    assert "处置日期的截止日期早于起始日期" in response.content.decode()
    response = client.post(reverse("sweeps:sweep_list"), {
        "name": "x", "handling_org": world.room1.pk,
    })  # fmt: skip
    assert response.status_code == 422  # not a choice for the county
    response = client.post(reverse("sweeps:sweep_list"), {
        "name": "本区审计移交线索起底", "source": ["audit", "inspection"],
        "handling_org": world.county.pk,
    })  # fmt: skip
    assert response.status_code == 302
    sweep = Sweep.objects.get(name="本区审计移交线索起底")
    assert sweep.filters == {"source": ["inspection", "audit"], "handling_org": world.county.pk}
    assert sweep.filters_text == "线索来源：巡察移交、审计移交；承办单位：五华区纪委监委"
    assert sweep.items.count() == 2
    page = client.get(reverse("sweeps:sweep_detail", args=[sweep.pk])).content.decode()
    assert "线索来源：巡察移交、审计移交；承办单位：五华区纪委监委" in page
    response = client.post(reverse("sweeps:sweep_list"), {"name": "空", "status": "closed"})
    assert response.status_code == 422 and "按此条件没有可复核的线索" in response.content.decode()
