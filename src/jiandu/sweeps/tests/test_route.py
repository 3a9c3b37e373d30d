"""A 线索大起底 or 集体排查 of the 案件监督管理室 decides on clues other units handle: each
re-disposal is approved along the route of the clue's handling unit (its 室主任, its
commission's 分管领导), not the reviewer's unit where nobody signs; the request names
its drafter and the sweep or meeting; a clue handled outside the reviewer's
jurisdiction cannot be decided."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from jiandu.accounts import roles as r
from jiandu.approvals.choices import RequestStatus, SignerRole
from jiandu.approvals.models import ApprovalRequest, ApprovalRoute, ApprovalRouteStep
from jiandu.approvals.selectors import requests_awaiting, step_signers
from jiandu.approvals.services import current_step, request_sign
from jiandu.clues.choices import ClueSource, DisposalMethod
from jiandu.clues.services import clue_create, clue_dispose, clue_escalate
from jiandu.orgs.choices import OrgKind
from jiandu.orgs.services import org_create
from jiandu.sweeps.models import SweepItem
from jiandu.sweeps.services import collective_review_record, sweep_create, sweep_review
from jiandu.testing import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def casemgmt(world):
    from jiandu.accounts.models import User

    room = org_create(
        actor=User.objects.get(username="system-setup"),
        name="案件监督管理室",
        kind=OrgKind.CASE_MANAGEMENT_ROOM,
        parent=world.city,
    )
    return make_user("casemgmt-t", room, r.ROLE_CLUES)


@pytest.fixture
def signers(world):
    """The signers the demo lists: 第一监督检查室's 室主任, the city's and 五华区's
    分管领导 (五华区's route is its 分管领导 alone, as in the demo)."""
    route = ApprovalRoute.objects.create(
        org=world.county, kind="clues.change_disposal", created_by=world.users["county"]
    )
    ApprovalRouteStep.objects.create(route=route, order=1, signer_role=SignerRole.LEADER)
    return {
        "room1head": make_user("room1head-t", world.room1, r.ROLE_APPROVAL_REVIEW),
        "leader": make_user("leader-t", world.city, r.ROLE_APPROVAL_APPROVE),
        "countyleader": make_user("countyleader-t", world.county, r.ROLE_APPROVAL_APPROVE),
    }


def _shelved(users, org, title):
    clue = clue_create(
        actor=users["city"],
        source=ClueSource.PETITION,
        title=title,
        received_date=dt.date(2020, 3, 1),
        handling_org=org,
    )
    return clue_dispose(actor=users["city"], clue=clue, method=DisposalMethod.SHELVED)


@pytest.fixture
def clues(world, users):
    return {
        "room1": _shelved(users, world.room1, "第一监督检查室承办的暂存线索"),
        "county": _shelved(users, world.county, "五华区承办的暂存线索"),
    }


def _sweep(actor):
    return sweep_create(
        actor=actor,
        name="暂存待查线索大起底",
        org=actor.org,
        filters={"disposal_method": "shelved"},
    )


def _redispose(actor, sweep, clue):
    item = SweepItem.objects.get(sweep=sweep, clue=clue)
    return sweep_review(
        actor=actor,
        item=item,
        decision="redispose",
        new_method=DisposalMethod.PRELIMINARY_VERIFICATION,
        note="出现新的线索材料",
    )


def test_a_redisposal_waits_for_the_handling_rooms_head_then_the_leader(
    world, casemgmt, signers, clues
):
    sweep = _sweep(casemgmt)
    clue = clues["room1"]
    request = _redispose(casemgmt, sweep, clue).request
    assert request.org == world.room1  # not 案件监督管理室
    assert (request.drafted_by, request.source) == (casemgmt, f"sweep:{sweep.pk}")
    step = current_step(request)
    assert step.signer_role == SignerRole.OFFICE_HEAD
    assert step_signers(request=request, step=step) == [signers["room1head"]]
    assert [q.pk for q in requests_awaiting(user=signers["room1head"])] == [request.pk]

    request = request_sign(actor=signers["room1head"], request=request, approve=True)
    assert [q.pk for q in requests_awaiting(user=signers["leader"])] == [request.pk]
    request = request_sign(actor=signers["leader"], request=request, approve=True)
    assert request.status == RequestStatus.APPROVED
    clue.refresh_from_db()
    assert clue.disposal_method == DisposalMethod.PRELIMINARY_VERIFICATION


def test_a_county_clue_goes_along_the_countys_route(world, casemgmt, signers, clues):
    request = _redispose(casemgmt, _sweep(casemgmt), clues["county"]).request
    assert request.org == world.county
    step = current_step(request)
    assert step_signers(request=request, step=step) == [signers["countyleader"]]
    request_sign(actor=signers["countyleader"], request=request, approve=True)
    clues["county"].refresh_from_db()
    assert clues["county"].disposal_method == DisposalMethod.PRELIMINARY_VERIFICATION


def _collective(actor, *clues):
    """The case management room's meeting closing ``clues`` as 反映失实."""
    return collective_review_record(
        actor=actor,
        title="第一季度问题线索集体排查",
        held_on=dt.date(2020, 4, 1),
        attendees="张某（主持）、李某",
        minutes="逐条研判线索。",
        decisions="\n".join(f"{clue.number}，予以了结，反映失实" for clue in clues),
    )


def test_each_collective_decision_goes_along_its_clues_handling_unit(world, casemgmt, clues):
    review = _collective(casemgmt, clues["room1"], clues["county"])
    requests = {i.clue_id: i.request for i in review.items.select_related("request")}
    assert requests[clues["room1"].pk].org == world.room1
    assert requests[clues["county"].pk].org == world.county
    assert {q.source for q in requests.values()} == {f"collective:{review.pk}"}
    assert {q.drafted_by for q in requests.values()} == {casemgmt}


def test_a_clue_handled_outside_the_reviewers_jurisdiction_cannot_be_decided(world, users, clues):
    sweep = _sweep(users["city"])
    item = SweepItem.objects.get(sweep=sweep, clue=clues["county"])
    # 派驻第一纪检监察组 supervises two city units, not 五华区.
    with pytest.raises(PermissionDenied):
        sweep_review(
            actor=users["group"],
            item=item,
            decision="redispose",
            new_method=DisposalMethod.PRELIMINARY_VERIFICATION,
            note="x",
        )
    assert not ApprovalRequest.objects.exists()
    item.refresh_from_db()
    assert item.decision == ""

    # A clue 五华区 registered and the city took up: 五华区 still sees it (its 登记单位),
    # but its handling unit is the city's — not 五华区's to decide.
    taken = clue_create(
        actor=users["county"],
        source=ClueSource.PETITION,
        title="提级查办的线索",
        received_date=dt.date(2020, 3, 1),
        handling_org=world.county,
    )
    clue_escalate(actor=users["city"], clue=taken, to_org=world.city, note="提级")
    with pytest.raises(ValidationError, match=r"第1行.*承办单位不在您的管辖范围内"):
        collective_review_record(
            actor=users["county"],
            title="五华区集体排查",
            held_on=dt.date(2020, 4, 1),
            attendees="张某",
            minutes="研判。",
            decisions=f"{taken.number}，予以了结，反映失实",
        )
    assert not ApprovalRequest.objects.exists()


def test_the_request_page_names_the_drafters_unit_and_the_sweep(
    client, world, casemgmt, signers, clues
):
    sweep = _sweep(casemgmt)
    request = _redispose(casemgmt, sweep, clues["room1"]).request
    url = reverse("approvals:request_detail", args=[request.pk])

    client.force_login(casemgmt)
    page = client.get(url).content.decode()
    assert "（案件监督管理室）" in page
    link = reverse("sweeps:sweep_detail", args=[sweep.pk])
    assert f'<a href="{link}">线索大起底“暂存待查线索大起底”</a>' in page

    # The room's head reads where it came from, without a link to a sweep outside reach.
    client.force_login(signers["room1head"])
    page = client.get(url).content.decode()
    assert "线索大起底“暂存待查线索大起底”" in page and link not in page
    assert "提交签批" in page


def test_the_api_names_the_drafters_unit_and_the_sweep(client, world, casemgmt, signers, clues):
    sweep = _sweep(casemgmt)
    request = _redispose(casemgmt, sweep, clues["room1"]).request
    client.force_login(signers["room1head"])
    data = client.get(f"/api/v1/approvals/{request.pk}").json()
    assert (data["org"], data["drafted_by_org"]) == ("第一监督检查室", "案件监督管理室")
    assert data["source"] == "线索大起底“暂存待查线索大起底”"
    awaiting = client.get("/api/v1/approvals/?awaiting=true").json()
    assert [row["id"] for row in awaiting] == [request.pk]


def test_the_approval_form_names_the_drafters_unit_and_the_sweep(world, casemgmt, signers, clues):
    import io

    from docx import Document

    from jiandu.documents.approval_form import render_approval_form_docx
    from jiandu.testing import approve_request

    sweep = _sweep(casemgmt)
    request = approve_request(_redispose(casemgmt, sweep, clues["room1"]).request)
    data = render_approval_form_docx(
        request=request, number="批〔2026〕1号", organ="昆明市纪委监委"
    )
    rows = {
        row.cells[0].text: row.cells[1].text for row in Document(io.BytesIO(data)).tables[0].rows
    }
    assert rows["承办单位"] == "第一监督检查室"
    assert rows["承办人"].endswith("（案件监督管理室）")
    assert rows["来源"] == "线索大起底“暂存待查线索大起底”"


def test_the_meeting_and_sweep_pages_link_a_request_only_for_who_may_open_it(
    client, world, casemgmt, clues
):
    """Someone who reads clues but not approval requests (the demo's 巡察办, ``xuncha``)
    reads each decision's request state as text, not as a link answering 403."""
    from django.contrib.auth.models import Permission

    review = _collective(casemgmt, clues["room1"])
    sweep = _sweep(casemgmt)
    swept = _redispose(casemgmt, sweep, clues["county"]).request
    request = review.items.get().request
    reader = make_user("clue-reader", casemgmt.org)
    reader.user_permissions.add(
        Permission.objects.get(codename="view_clue", content_type__app_label="clues")
    )
    pages = {
        reverse("sweeps:review_detail", args=[review.pk]): request,
        reverse("sweeps:sweep_detail", args=[sweep.pk]) + "?bucket=reviewed": swept,
    }
    for user, linked in ((casemgmt, True), (reader, False)):
        client.force_login(user)
        for url, shown in pages.items():
            response = client.get(url)
            assert response.status_code == 200, url
            link = reverse("approvals:request_detail", args=[shown.pk])
            assert (link in response.content.decode()) is linked, (user, url)
            assert client.get(link).status_code == (200 if linked else 403)
