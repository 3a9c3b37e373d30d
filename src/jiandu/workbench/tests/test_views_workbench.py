"""The home workbench: figures for the persona's own jurisdiction, linked to records."""

import datetime as dt

from django.urls import reverse

from jiandu.clues import services
from jiandu.clues.choices import Channel, ClueSource, DisposalMethod

OLD = dt.date(2020, 3, 2)  # long past: a clue received then and still open is overdue


def _clue(world, user, org, title, received=OLD):
    return services.clue_create(
        actor=world.users[user],
        source=ClueSource.PETITION,
        title=title,
        received_date=received,
        handling_org=org,
    )


def _petition(world, user, title):
    return services.petition_register(
        actor=world.users[user],
        received_date=OLD,
        channel=Channel.LETTER,
        title=title,
        content="反映有关问题",
    )


def test_county_sees_only_its_own_overdue_clues_and_petitions(client, world):
    mine = _clue(world, "county", world.county, "五华区某村截留低保金")
    theirs = _clue(world, "outsider", world.other_county, "盘龙区某局违规吃喝")
    _petition(world, "county", "反映五华区红云街道问题")
    _petition(world, "outsider", "反映盘龙区问题")

    client.force_login(world.users["county"])
    response = client.get(reverse("core:workbench"))

    assert response.status_code == 200
    html = response.content.decode()
    assert mine.number in html
    assert reverse("clues:clue_detail", args=[mine.pk]) in html
    assert theirs.number not in html
    assert "反映五华区红云街道问题" in html
    assert "反映盘龙区问题" not in html
    assert response.context["overdue_total"] == 1
    assert response.context["bench"].pending_petitions == 1


def test_city_sees_both_counties(client, world):
    _clue(world, "county", world.county, "五华区线索")
    _clue(world, "outsider", world.other_county, "盘龙区线索")
    client.force_login(world.users["city"])
    response = client.get(reverse("core:workbench"))
    assert response.context["overdue_total"] == 2
    html = response.content.decode()
    assert "五华区线索" in html and "盘龙区线索" in html


def test_open_clues_by_stage_count_my_org_and_link_to_the_filtered_list(client, world):
    received = _clue(world, "county", world.county, "待处置线索")
    disposing = _clue(world, "county", world.county, "初核线索")
    services.clue_dispose(
        actor=world.users["county"],
        clue=disposing,
        method=DisposalMethod.PRELIMINARY_VERIFICATION,
        on_date=OLD,
    )
    client.force_login(world.users["county"])
    response = client.get(reverse("core:workbench"))

    stages = {row["key"]: row for row in response.context["stages"]}
    assert stages["received"]["count"] == 1
    assert stages["preliminary_verification"]["count"] == 1
    assert stages["talk_inquiry"]["count"] == 0
    assert response.context["open_total"] == 2
    url = stages["preliminary_verification"]["url"]
    assert url.startswith(reverse("clues:clue_list") + "?")
    assert "status=disposing" in url
    assert "disposal_method=preliminary_verification" in url
    assert f"org={world.county.pk}" in url
    assert url.replace("&", "&amp;") in response.content.decode()
    # The link lists exactly the clues counted.
    listed = client.get(url).content.decode()
    assert disposing.number in listed
    assert received.number not in listed


def test_monthly_chart_counts_this_month_in_jurisdiction(client, world):
    from django.utils import timezone

    today = timezone.localdate()
    _clue(world, "county", world.county, "本月线索", received=today)
    _clue(world, "outsider", world.other_county, "外区本月线索", received=today)
    client.force_login(world.users["county"])
    response = client.get(reverse("core:workbench"))

    chart = response.context["chart"]
    assert len(chart["categories"]) == 12
    assert chart["categories"][-1] == f"{today:%Y-%m}"
    assert chart["series"][0]["data"][-1] == 1
    assert sum(chart["series"][0]["data"]) == 1
    month_url = chart["series"][0]["urls"][-1]
    assert month_url.startswith(reverse("clues:clue_list") + "?")
    assert f"received_from={today:%Y-%m}-01" in month_url
    assert 'id="clue-monthly-data"' in response.content.decode()


def test_auditor_gets_no_business_figures(client, world):
    _clue(world, "county", world.county, "五华区某村截留低保金")
    client.force_login(world.users["auditor"])
    response = client.get(reverse("core:workbench"))
    assert response.status_code == 200
    assert "bench" not in response.context
    assert "五华区某村截留低保金" not in response.content.decode()
    assert reverse("core:audit_list") in response.content.decode()


def test_anonymous_is_sent_to_login(client, db):
    response = client.get(reverse("core:workbench"))
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


def test_query_count_does_not_grow_with_records(client, world, django_assert_max_num_queries):
    client.force_login(world.users["city"])
    for i in range(3):
        _clue(world, "county", world.county, f"线索{i}")
        _petition(world, "county", f"信访{i}")
    # 20 for the clues and petitions, 5 for the follow-up work (followup.selectors.workload).
    with django_assert_max_num_queries(25) as few:
        client.get(reverse("core:workbench"))
    for i in range(15):
        _clue(world, "county", world.county, f"更多线索{i}")
        _petition(world, "county", f"更多信访{i}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse("core:workbench"))


def test_leader_sees_the_open_clues_of_the_whole_jurisdiction(client, world):
    """A leader handles no clue: the commission's own desk would always read 0."""
    _clue(world, "county", world.county, "县里在办的线索")
    client.force_login(world.users["leader"])
    response = client.get(reverse("core:workbench"))
    assert response.context["whole_jurisdiction"] is True
    assert response.context["open_total"] == 1
    body = response.content.decode()
    assert "管辖范围内在办问题线索" in body
    assert "本单位在办问题线索" not in body
    received = next(row for row in response.context["stages"] if row["count"])
    assert "org=&" in received["url"] or received["url"].endswith("org=")
    # A handler at the same commission still sees the clues on its own desk.
    client.force_login(world.users["city"])
    response = client.get(reverse("core:workbench"))
    assert response.context["whole_jurisdiction"] is False
    assert response.context["open_total"] == 0
    assert "本单位在办问题线索" in response.content.decode()


def test_monthly_chart_without_clues_says_so(client, world):
    client.force_login(world.users["county"])
    response = client.get(reverse("core:workbench"))
    body = response.content.decode()
    assert response.context["chart_empty"] is True
    assert "近12个月管辖范围内没有受理问题线索" in body
    assert 'id="clue-monthly-data"' not in body
