"""/clues/petitions: list, detail and registration within the jurisdiction; the reporter's
identity never leaves except through the audited reporter endpoint; triage actions."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from tests.api.records import DAY, register_petition

from jiandu.approvals.models import ApprovalRequest
from jiandu.clues.choices import PetitionStatus
from jiandu.clues.models import Clue, Petition, ReporterIdentity
from jiandu.core import idnumbers
from jiandu.core.choices import AuditAction
from jiandu.core.models import AuditLog
from jiandu.testing import approve_request

REPORTER = {
    "name": "张举报",
    "phone": "13987654321",
    "id_number": idnumbers.make("530103", DAY.replace(year=1970), 15),
    "address": "五华区某小区3栋",
}


@pytest.fixture
def county_petition(world):
    return register_petition(world)


@pytest.fixture
def other_petition(world):
    return register_petition(world, user="outsider", title="反映盘龙区某单位问题")


@pytest.fixture
def reported_petition(world):
    """A real-name petition at the 信访室, whose officer may see reporter identities."""
    return register_petition(
        world,
        user="petition_officer",
        is_real_name=True,
        reporter_name=REPORTER["name"],
        reporter_phone=REPORTER["phone"],
        reporter_id_number=REPORTER["id_number"],
        reporter_address=REPORTER["address"],
    )


def _no_identity_in(text):
    return not any(value in text for value in REPORTER.values())


def test_the_list_needs_the_permission(login, users):
    assert login(users["auditor"]).get("/api/v1/clues/petitions").status_code == 403


def test_a_county_user_lists_only_the_countys_petitions(
    login, users, county_petition, other_petition
):
    body = login(users["county"]).get("/api/v1/clues/petitions").json()
    assert [p["id"] for p in body["items"]] == [county_petition.pk]
    assert body["next_cursor"] is None


def test_the_list_filters_and_pages(login, users, world, django_assert_max_num_queries):
    client = login(users["county"])
    register_petition(world, channel="visit")
    with CaptureQueriesContext(connection) as few:
        client.get("/api/v1/clues/petitions", {"limit": 2})
    for i in range(6):
        register_petition(world, title=f"反映问题{i}", received_date=DAY.replace(day=3 + i % 3))
    seen, after = [], ""
    while True:
        with django_assert_max_num_queries(len(few)):
            body = client.get("/api/v1/clues/petitions", {"limit": 2, "after": after}).json()
        seen += [p["id"] for p in body["items"]]
        after = body["next_cursor"]
        if after is None:
            break
    expected = list(Petition.objects.order_by("-received_date", "-pk").values_list("pk", flat=True))
    assert seen == expected
    visits = client.get("/api/v1/clues/petitions", {"channel": "visit"}).json()["items"]
    assert [p["channel_label"] for p in visits] == ["来访"]
    bad = client.get("/api/v1/clues/petitions", {"status": "lost"})
    assert bad.status_code == 422
    assert list(bad.json()["errors"]) == ["status"]


def test_detail_is_404_outside_and_shows_the_timeline(
    login, users, county_petition, other_petition
):
    client = login(users["county"])
    assert client.get(f"/api/v1/clues/petitions/{other_petition.pk}").status_code == 404
    body = client.get(f"/api/v1/clues/petitions/{county_petition.pk}").json()
    assert body["content"] == "某街道干部优亲厚友，违规发放低保金。"
    assert [e["action"] for e in body["timeline"]] == ["register"]
    assert [a["action"] for a in body["allowed_actions"]] == [
        "convert",
        "assign",
        "transfer",
        "file",
    ]


def test_the_reporter_identity_is_in_no_petition_answer(login, users, world, reported_petition):
    # Even the officer allowed to see identities gets none in the list or the detail.
    client = login(users["petition_officer"])
    listing = client.get("/api/v1/clues/petitions")
    detail = client.get(f"/api/v1/clues/petitions/{reported_petition.pk}")
    assert listing.status_code == detail.status_code == 200
    assert listing.json()["items"][0]["is_real_name"] is True
    for response in (listing, detail):
        assert _no_identity_in(response.content.decode("unicode_escape"))
        assert "reporter" not in response.content.decode()


def test_the_reporter_endpoint_needs_the_identity_permission(login, users, world):
    petition = register_petition(world, user="city", reporter_name=REPORTER["name"])
    client = login(users["city"])
    before = AuditLog.objects.count()
    response = client.get(f"/api/v1/clues/petitions/{petition.pk}/reporter")
    assert response.status_code == 403
    assert "clues.view_reporter_identity" in response.json()["detail"]
    assert AuditLog.objects.count() == before


def test_revealing_the_reporter_is_audited(login, users, reported_petition):
    client = login(users["petition_officer"])
    before = AuditLog.objects.count()
    response = client.get(f"/api/v1/clues/petitions/{reported_petition.pk}/reporter")
    assert response.status_code == 200
    assert response.json() == {"petition_id": reported_petition.pk, "recorded": True, **REPORTER}
    assert AuditLog.objects.count() == before + 1
    row = AuditLog.objects.order_by("-sequence").first()
    assert (row.action, row.object_type, row.object_id, row.actor_name) == (
        AuditAction.VIEW_PROTECTED,
        "clues.petition",
        str(reported_petition.pk),
        "petition_officer",
    )
    assert _no_identity_in(row.summary + str(row.changes))


def test_the_reporter_endpoint_is_404_outside(login, world, reported_petition):
    from jiandu.accounts import roles
    from jiandu.testing import make_user

    county_officer = make_user(
        "county-petition", world.county, roles.ROLE_PETITION, roles.ROLE_IDENTITY
    )
    response = login(county_officer).get(f"/api/v1/clues/petitions/{reported_petition.pk}/reporter")
    assert response.status_code == 404


def test_registering_takes_the_reporter_and_answers_without_it(login, users, world, county_person):
    response = login(users["county"]).post(
        "/api/v1/clues/petitions",
        {
            "received_date": "2020-03-02",
            "channel": "letter",
            "title": "反映街道干部违规发放低保金",
            "content": "某街道干部优亲厚友。",
            "is_real_name": True,
            "reporter": REPORTER,
            "domains": ["poverty"],
            "subject_people": [county_person.pk],
            "subject_orgs": [world.township.pk],
        },
        content_type="application/json",
    )
    assert response.status_code == 201
    assert _no_identity_in(response.content.decode("unicode_escape"))
    body = response.json()
    assert body["number"].startswith("XF2020")
    assert body["domains"] == [{"code": "poverty", "name": "扶贫"}]
    assert [p["id"] for p in body["subject_people"]] == [county_person.pk]
    assert county_person.id_number not in response.content.decode()
    identity = ReporterIdentity.objects.get(petition_id=body["id"])
    assert (identity.name, identity.phone) == (REPORTER["name"], REPORTER["phone"])


def test_registering_needs_the_permission(login, users):
    response = login(users["group"]).post(
        "/api/v1/clues/petitions",
        {"received_date": "2020-03-02", "channel": "letter", "title": "t", "content": "c"},
        content_type="application/json",
    )
    assert response.status_code == 403


def test_a_bad_reporter_id_number_names_the_field_and_stores_nothing(login, users):
    before = Petition.objects.count()
    response = login(users["county"]).post(
        "/api/v1/clues/petitions",
        {
            "received_date": "2020-03-02",
            "channel": "letter",
            "title": "反映问题",
            "content": "内容",
            "reporter": {"name": "张三", "id_number": "53010219700302151"},
        },
        content_type="application/json",
    )
    assert response.status_code == 422
    assert list(response.json()["errors"]) == ["reporter_id_number"]
    assert Petition.objects.count() == before


def test_subjects_outside_the_jurisdiction_are_refused(login, users, other_person):
    response = login(users["county"]).post(
        "/api/v1/clues/petitions",
        {
            "received_date": "2020-03-02",
            "channel": "letter",
            "title": "反映问题",
            "content": "内容",
            "subject_people": [other_person.pk],
        },
        content_type="application/json",
    )
    assert response.status_code == 422
    assert list(response.json()["errors"]) == ["subject_people"]


def _approve(response):
    """The triage answered 202 with its 呈批件: sign it through its route."""
    assert response.status_code == 202, response.content
    return approve_request(ApprovalRequest.objects.get(pk=response.json()["id"]))


def test_convert_makes_a_clue_once_approved_and_a_second_convert_is_409(
    login, users, county_petition
):
    client = login(users["county"])
    url = f"/api/v1/clues/petitions/{county_petition.pk}/convert"
    response = client.post(
        url,
        {"reason": "反映问题具体，可查性强", "on_date": "2020-03-05"},
        content_type="application/json",
    )
    assert response.json()["kind"] == "petitions.convert"
    assert response.json()["waiting_for"] == "室主任审核"
    # Nothing happens before the route's last approval.
    assert not Clue.objects.exists()
    county_petition.refresh_from_db()
    assert county_petition.status == PetitionStatus.PENDING
    _approve(response)
    clue = Clue.objects.get()
    # The decision took effect on the day of its approval (on_date is not used).
    assert (clue.petition_id, clue.source, clue.received_date) == (
        county_petition.pk,
        "petition",
        timezone.localdate(),
    )
    county_petition.refresh_from_db()
    assert county_petition.status == PetitionStatus.CONVERTED
    again = client.post(url, {"reason": "再转"}, content_type="application/json")
    assert again.status_code == 409
    assert "不能执行“转为问题线索”" in again.json()["detail"]
    assert Clue.objects.count() == 1


def test_triage_needs_the_permission_and_jurisdiction(login, users, county_petition):
    url = f"/api/v1/clues/petitions/{county_petition.pk}/file"
    body = {"reason": "无具体内容"}
    assert login(users["group"]).post(url, body, content_type="application/json").status_code == 403
    assert (
        login(users["outsider"]).post(url, body, content_type="application/json").status_code == 404
    )
    county_petition.refresh_from_db()
    assert county_petition.status == PetitionStatus.PENDING


def test_assign_within_the_jurisdiction_only(login, users, world, county_petition):
    client = login(users["county"])
    url = f"/api/v1/clues/petitions/{county_petition.pk}/assign"
    outside = client.post(
        url,
        {"to_org": world.other_county.pk, "reason": "属地办理"},
        content_type="application/json",
    )
    assert outside.status_code == 422
    assert list(outside.json()["errors"]) == ["to_org"]
    inside = client.post(
        url, {"to_org": world.township.pk, "reason": "属地办理"}, content_type="application/json"
    )
    county_petition.refresh_from_db()
    assert county_petition.handling_org == world.county
    _approve(inside)
    detail = client.get(f"/api/v1/clues/petitions/{county_petition.pk}").json()
    assert detail["handling_org"] == {"id": world.township.pk, "name": "红云街道"}


def test_transfer_and_file(login, users, world, county_petition):
    client = login(users["county"])
    other = register_petition(world, title="反映物业纠纷")
    transfer = client.post(
        f"/api/v1/clues/petitions/{county_petition.pk}/transfer",
        {"transferred_to": "区信访局", "reason": "不属于纪检监察受理范围"},
        content_type="application/json",
    )
    _approve(transfer)
    detail = client.get(f"/api/v1/clues/petitions/{county_petition.pk}").json()
    assert (detail["status"], detail["transferred_to"]) == ("transferred", "区信访局")
    missing_reason = client.post(
        f"/api/v1/clues/petitions/{other.pk}/file", {"reason": ""}, content_type="application/json"
    )
    assert missing_reason.status_code == 422
    assert missing_reason.json()["errors"] == {"reason": ["请填写办理理由"]}
    filed = client.post(
        f"/api/v1/clues/petitions/{other.pk}/file",
        {"reason": "无实质内容"},
        content_type="application/json",
    )
    _approve(filed)
    detail = client.get(f"/api/v1/clues/petitions/{other.pk}").json()
    assert detail["status"] == "filed"
    assert detail["allowed_actions"] == []
