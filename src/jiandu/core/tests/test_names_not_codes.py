"""Every role's workbench and lists read as names: no snake_case, True/False/None or
Python list literals in the text of the pages (jiandu.testing.code_like_text)."""

import datetime as dt

import pytest
from django.urls import reverse

from jiandu.clues import services
from jiandu.clues.choices import ClueSource
from jiandu.core.audit import audit_record
from jiandu.core.choices import AuditAction
from jiandu.testing import code_like_text

ROLES = ["city", "county", "group", "room", "petition_officer", "leader", "auditor", "sysadmin"]


@pytest.fixture
def records(world, users):
    for n, user in enumerate(users.values()):  # accounts carry a person's name
        user.full_name = f"干部{n + 1}"
        user.save(update_fields=["full_name"])
    petition = services.petition_register(
        actor=users["county"],
        received_date=dt.date(2020, 3, 2),
        channel="letter",
        title="反映红云街道低保问题",
        content="……",
        domains=[world.poverty],
    )
    clue = services.clue_create(
        actor=users["city"],
        source=ClueSource.INSPECTION,
        title="巡察移交线索",
        received_date=dt.date(2020, 3, 2),
        handling_org=world.county,
        evidence={"比对规则": "R01 死亡人员领取补贴", "比对证据": {"身份证号码有效": False}},
    )
    services.exposure_batch_create(
        actor=users["city"],
        title="典型问题通报",
        published_on=dt.date(2020, 3, 2),
        domains=[world.poverty],
        cases=[{"title": "案例一"}],
    )
    audit_record(actor=users["city"], action=AuditAction.LOGIN_FAILED, summary="登录失败")
    return {"petition": petition, "clue": clue}


def _pages(world, records):
    return [
        reverse("core:workbench"),
        reverse("clues:petition_list"),
        reverse("clues:clue_list"),
        reverse("clues:exposure_list"),
        reverse("clues:petition_detail", args=[records["petition"].pk]),
        reverse("clues:clue_detail", args=[records["clue"].pk]),
        reverse("orgs:org_tree"),
        reverse("orgs:org_detail", args=[world.township.pk]),
        reverse("people:person_list"),
        reverse("core:audit_list"),
    ]


@pytest.mark.parametrize("role", ROLES)
def test_pages_show_names_not_codes(client, world, users, records, role):
    client.force_login(users[role])
    seen = 0
    for url in _pages(world, records):
        response = client.get(url)
        if response.status_code in (403, 404):
            continue  # not this role's page
        assert response.status_code == 200, url
        seen += 1
        assert code_like_text(response.content.decode()) == [], url
    assert seen >= 2  # at least the workbench and one list


def test_the_check_finds_code():
    html = "<p>means_tested = ['低保', '特困供养']</p><p>宽限 = True</p><td>None</td>"
    assert code_like_text(html) == ["means_tested", "['", "True", "None"]
    assert code_like_text("<script>var a_b = [1];</script><p title='x_y'>正常 [附件]</p>") == []


def test_the_audit_filter_speaks_chinese(client, users):
    import re

    client.force_login(users["auditor"])
    form = client.get(reverse("core:audit_list")).context["filter_form"]
    labels = [
        str(label) for name in ("action", "object_type") for _, label in form[name].field.choices
    ]
    assert "登录失败记录" in labels and "问题线索" in labels
    foreign = [label for label in labels if re.search(r"[A-Za-z]", label.replace("API", ""))]
    assert foreign == []


def test_people_who_acted_are_shown_by_name_and_unit(client, users, records):
    client.force_login(users["city"])
    html = client.get(reverse("clues:clue_detail", args=[records["clue"].pk])).content.decode()
    city = f"{users['city'].full_name}（昆明市纪委监委）"
    assert html.count(city) >= 2  # 登记人 and the 受理 event of the timeline
    html = client.get(
        reverse("clues:petition_detail", args=[records["petition"].pk])
    ).content.decode()
    assert f"{users['county'].full_name}（五华区纪委监委）" in html
