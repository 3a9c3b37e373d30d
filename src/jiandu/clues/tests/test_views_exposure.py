"""通报曝光: a batch of typical cases, each linked to its clue and persons; the list
and the page count 起数 and 人次."""

import datetime as dt

import pytest
from django.urls import reverse

from jiandu.clues import services
from jiandu.clues.choices import ClueSource
from jiandu.clues.models import ExposureBatch
from jiandu.people.services import person_create

D = dt.date(2020, 3, 2)


@pytest.fixture
def setup(world, users):
    county = users["county"]
    people = [
        person_create(actor=county, name=name, registered_org=world.township)
        for name in ("甲某", "乙某", "丙某")
    ]
    clue = services.clue_create(
        actor=county,
        source=ClueSource.SUPERVISION,
        title="街道干部违规收受礼金",
        received_date=D,
        handling_org=world.county,
    )
    return people, clue


def _form(title, cases, total=3):
    data = {
        "title": title,
        "published_on": "2020-04-01",
        "medium": "区纪委监委网站",
        "cases-TOTAL_FORMS": str(total),
        "cases-INITIAL_FORMS": "0",
    }
    for index, (case_title, number, persons) in enumerate(cases):
        data[f"cases-{index}-title"] = case_title
        data[f"cases-{index}-clue_number"] = number
        data[f"cases-{index}-persons"] = [p.pk for p in persons]
    return data


def test_a_batch_is_published_and_counted(client, users, setup):
    (jia, yi, bing), clue = setup
    client.force_login(users["county"])
    assert client.get(reverse("clues:exposure_create")).status_code == 200
    data = _form(
        "关于3起违反中央八项规定精神问题的通报",
        [("街道干部违规收受礼金", clue.number, [jia, yi]), ("村干部公款吃喝", "", [bing])],
    )
    response = client.post(reverse("clues:exposure_create"), data, follow=True)
    batch = ExposureBatch.objects.get()
    assert response.redirect_chain[-1][0] == reverse("clues:exposure_detail", args=[batch.pk])
    assert batch.cases.get(title="街道干部违规收受礼金").clue == clue
    html = response.content.decode()
    assert '>2<span class="stat-unit">起' in html and '>3<span class="stat-unit">人次' in html
    assert reverse("clues:clue_detail", args=[clue.pk]) in html

    listed = client.get(reverse("clues:exposure_list"))
    (row,) = listed.context["page"].items
    assert (row.case_count, row.person_count) == (2, 3)


def test_an_unknown_clue_number_is_refused_on_its_row(client, users, setup):
    client.force_login(users["county"])
    data = _form("通报", [("案例", "XS20209999999", [])])
    response = client.post(reverse("clues:exposure_create"), data)
    assert response.status_code == 200
    assert "线索编号“XS20209999999”不存在或不在您的管辖范围内" in response.content.decode()
    assert not ExposureBatch.objects.exists()


def test_a_batch_needs_at_least_one_case(client, users, setup):
    client.force_login(users["county"])
    response = client.post(reverse("clues:exposure_create"), _form("空通报", []))
    assert "通报曝光至少包含一起典型问题" in response.content.decode()
    assert not ExposureBatch.objects.exists()


def test_another_case_row_is_added_with_its_counter(client, users):
    client.force_login(users["county"])
    response = client.get(
        reverse("clues:exposure_case_row"), {"index": "3"}, headers={"HX-Request": "true"}
    )
    html = response.content.decode()
    assert 'name="cases-3-title"' in html
    assert 'id="id_cases-TOTAL_FORMS" hx-swap-oob="true"' in html and 'value="4"' in html
    assert "index=4" in html


def test_publishing_needs_the_add_permission(client, users, setup):
    client.force_login(users["leader"])
    assert client.get(reverse("clues:exposure_list")).status_code == 200
    assert client.get(reverse("clues:exposure_create")).status_code == 403
