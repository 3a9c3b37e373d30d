"""录入处理结果 on a clue's page: the 处理方式 follow the 处理类别, the 四种形态 is derived,
errors land on their fields, and a withdrawn outcome stays visible, struck through."""

import datetime as dt

import pytest
from django.urls import reverse

from jiandu.clues.choices import ClueSource, OutcomeKind
from jiandu.clues.models import Outcome
from jiandu.clues.services import clue_create, outcome_record
from jiandu.people.services import person_create

HTMX = {"HX-Request": "true", "HX-Target": "outcomes"}


@pytest.fixture
def person(world, users):
    return person_create(actor=users["county"], name="张主任", registered_org=world.township)


@pytest.fixture
def clue(world, users, person):
    return clue_create(
        actor=users["county"],
        source=ClueSource.SUPERVISION,
        title="村主任虚报冒领补贴",
        received_date=dt.date(2020, 3, 2),
        handling_org=world.county,
        subject_people=[person],
    )


def _post(client, clue, **fields):
    data = {f"outcome-{k}": v for k, v in fields.items()}
    return client.post(reverse("clues:outcome_create", args=[clue.pk]), data, headers=HTMX)


def test_an_outcome_is_recorded_for_a_subject(client, users, clue, person):
    client.force_login(users["county"])
    page = client.get(reverse("clues:clue_detail", args=[clue.pk])).content.decode()
    assert "<summary>录入处理结果</summary>" in page and f'value="{person.pk}"' in page

    response = _post(
        client,
        clue,
        person=person.pk,
        kind=OutcomeKind.PARTY_DISCIPLINE,
        subtype="party_serious_warning",
        decision_date="2020-05-10",
        funds_recovered="12000.50",
        note="退缴违纪款",
    )
    assert response.status_code == 200
    outcome = Outcome.objects.get(clue=clue)
    assert (outcome.person, outcome.discipline_form) == (person, 2)
    assert str(outcome.funds_recovered) == "12000.50"
    html = response.content.decode()
    assert "已录入张主任的处理结果" in html
    assert "党纪处分 / 严重警告" in html and "第二种形态" in html and "12000.50" in html


def test_the_subtypes_offered_follow_the_kind(client, users, clue):
    client.force_login(users["county"])
    url = reverse("clues:outcome_kind_fields", args=[clue.pk])
    html = client.get(url, {"outcome-kind": OutcomeKind.ACCOUNTABILITY}).content.decode()
    assert "通报问责" in html and "严重警告" not in html
    assert "责任类型" in html  # 问责 asks for the responsibility type
    html = client.get(url, {"outcome-kind": OutcomeKind.PARTY_DISCIPLINE}).content.decode()
    assert "严重警告" in html and "通报问责" not in html
    assert "责任类型" not in html


def test_accountability_without_a_responsibility_type_is_refused_on_that_field(
    client, users, clue, person
):
    client.force_login(users["county"])
    response = _post(
        client,
        clue,
        person=person.pk,
        kind=OutcomeKind.ACCOUNTABILITY,
        subtype="acc_circulate",
        decision_date="2020-05-10",
    )
    assert response.status_code == 422
    assert 'id="id_outcome-responsibility_type_error"' in response.content.decode()
    assert not Outcome.objects.exists()


def test_a_withdrawn_outcome_is_struck_through_with_its_reason(client, users, clue, person):
    outcome = outcome_record(
        actor=users["county"],
        clue=clue,
        person=person,
        kind=OutcomeKind.CRITICISM,
        subtype="reminder_talk",
        decision_date=dt.date(2020, 4, 1),
    )
    client.force_login(users["county"])
    url = reverse("clues:outcome_archive", args=[clue.pk, outcome.pk])
    response = client.post(url, {"reason": "录入对象错误"}, headers=HTMX)
    assert response.status_code == 200
    outcome.refresh_from_db()
    assert outcome.is_archived and outcome.archive_reason == "录入对象错误"
    html = response.content.decode()
    assert 'class="is-archived"' in html and "已撤销：录入对象错误" in html


def test_outcomes_need_the_add_permission(client, users, clue, person):
    client.force_login(users["room"])  # 线索管理 only: no 案件审理
    page = client.get(reverse("clues:clue_detail", args=[clue.pk])).content.decode()
    assert "<summary>录入处理结果</summary>" not in page
    response = _post(
        client,
        clue,
        person=person.pk,
        kind=OutcomeKind.CRITICISM,
        subtype="criticism",
        decision_date="2020-05-10",
    )
    assert response.status_code == 403
    assert not Outcome.objects.exists()
