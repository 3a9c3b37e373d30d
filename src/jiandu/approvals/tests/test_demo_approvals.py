"""The demo's 呈批: routes for the city and every county, requests at each stage, each
signer's 待我审批."""

import time

import pytest
from django.urls import reverse

from jiandu.accounts.models import User
from jiandu.approvals.choices import RequestStatus, SignerRole
from jiandu.approvals.models import ApprovalRequest, ApprovalRoute
from jiandu.approvals.selectors import requests_awaiting
from jiandu.approvals.services import route_steps
from jiandu.clues.decisions import KIND_BY_ACTION, PETITION_KIND_BY_ACTION
from jiandu.clues.models import Clue
from jiandu.demo.approvals import build_approvals_demo
from jiandu.orgs.choices import OrgKind
from jiandu.orgs.models import Org

pytestmark = pytest.mark.django_db


def test_routes_requests_and_who_signs_next(small_demo, client):
    counties = Org.objects.filter(kind=OrgKind.COUNTY).count()
    kinds = len(KIND_BY_ACTION) + len(PETITION_KIND_BY_ACTION)
    assert kinds == 11  # 7 of a clue (延期 included), 4 of a petition's 分办
    assert ApprovalRoute.objects.filter(archived_at__isnull=True).count() == kinds * (1 + counties)
    room1 = User.objects.get(username="room1").org
    assert route_steps(org=room1, kind="clues.close")[0] == [
        SignerRole.OFFICE_HEAD,
        SignerRole.LEADER,
    ]
    statuses = list(ApprovalRequest.objects.filter(source="").values_list("status", flat=True))
    # (the 大起底 and the 集体排查 add their own requests, see below)
    assert statuses.count(RequestStatus.PENDING) == 9  # 7 to dispose, 1 提级查办, 1 分办
    assert statuses.count(RequestStatus.RETURNED) == 1
    assert statuses.count(RequestStatus.APPROVED) == 2
    # (the 大起底's and the 集体排查's requests wait for these signers too, see below)
    signers = (
        ("room1head", 2),
        ("leader", 2),
        ("wuhualeader", 2),
        ("casemgmthead", 1),
        ("group1head", 1),
        ("petitionhead", 1),
    )
    for username, count in signers:
        awaiting = requests_awaiting(user=User.objects.get(username=username))
        assert len([q for q in awaiting if q.source == ""]) == count, username
    approved = ApprovalRequest.objects.filter(status=RequestStatus.APPROVED).first()
    clue = Clue.objects.get(pk=approved.target_id)
    assert clue.events.filter(note__contains="经呈批批准").exists()

    client.force_login(User.objects.get(username="leader"))
    page = client.get(reverse("core:workbench")).content.decode()
    assert "待我审批" in page and "已受理" not in page.split("待我审批")[0][-10:]


def test_one_sweep_over_the_shelved_clues(small_demo):
    from jiandu.sweeps.models import Sweep, SweepItem

    sweep = Sweep.objects.get()
    assert sweep.filters["disposal_method"] == "shelved"
    items = SweepItem.objects.filter(sweep=sweep)
    assert (
        items.count()
        == Clue.objects.filter(
            disposal_method="shelved", status="disposing", received_date__gte="2018-01-01"
        ).count()
    )
    assert items.count() > 0
    assert items.filter(decision="maintain").count() == min(3, items.count() - 1)
    assert items.filter(decision="redispose", request__status="pending").count() == 1


def test_the_sweeps_redisposal_is_signed_to_the_end_by_listed_accounts(small_demo):
    """The 重新处置 of the demo's 大起底 (drafted by ``casemgmt``) waits on the route of
    the clue's handling unit, whose signers are listed demo accounts: 第一监督检查室's
    ``room1head`` then ``leader`` (五华区's ``wuhualeader`` when it is 五华区's)."""
    from jiandu.approvals.services import current_step, request_sign
    from jiandu.sweeps.models import SweepItem

    item = SweepItem.objects.select_related("request", "clue").get(decision="redispose")
    request = item.request
    assert request.drafted_by.username == "casemgmt"
    assert request.source == f"sweep:{item.sweep_id}"
    assert request.org_id == item.clue.handling_org_id
    signers = {
        User.objects.get(username="room1").org_id: ["room1head", "leader"],
        User.objects.get(username="wuhua").org_id: ["wuhualeader"],
    }[request.org_id]
    for username in signers:
        signer = User.objects.get(username=username)
        assert request.pk in [q.pk for q in requests_awaiting(user=signer)], username
        request = request_sign(actor=signer, request=request, approve=True, opinion="同意")
    assert current_step(request) is None and request.status == RequestStatus.APPROVED
    item.clue.refresh_from_db()
    assert item.clue.disposal_method == "preliminary_verification"


def test_the_take_up_of_casemgmt_is_signed_to_the_end_by_listed_accounts(small_demo):
    """The demo's 提级查办 drafted by ``casemgmt`` goes along its office's route: the
    案件监督管理室's 室主任 ``casemgmthead`` reviews, the city ``leader`` approves, and the
    county's clue is the city's."""
    from jiandu.approvals.services import current_step, request_sign

    request = ApprovalRequest.objects.get(kind="clues.escalate", status=RequestStatus.PENDING)
    casemgmt = User.objects.get(username="casemgmt")
    assert (request.drafted_by, request.org) == (casemgmt, casemgmt.org)
    for username in ("casemgmthead", "leader"):
        signer = User.objects.get(username=username)
        assert request.pk in [q.pk for q in requests_awaiting(user=signer)], username
        request = request_sign(actor=signer, request=request, approve=True, opinion="同意")
    assert current_step(request) is None and request.status == RequestStatus.APPROVED
    clue = Clue.objects.get(pk=request.target_id)
    assert clue.is_escalated and clue.handling_org.parent_id is None


def test_the_disposal_of_group1_is_signed_to_the_end_by_listed_accounts(small_demo):
    """The demo's 处置 drafted by ``group1`` goes along its group's route: the 组长
    ``group1head`` reviews (the step reads “组长审核”), the city ``leader`` approves, and
    the disposal takes effect."""
    from jiandu.approvals.services import current_step, request_sign
    from jiandu.clues.choices import ClueStatus

    group1 = User.objects.get(username="group1")
    request = ApprovalRequest.objects.get(
        drafted_by=group1, kind="clues.dispose", status=RequestStatus.PENDING
    )
    assert request.org == group1.org and current_step(request).label == "组长审核"
    for username in ("group1head", "leader"):
        signer = User.objects.get(username=username)
        assert request.pk in [q.pk for q in requests_awaiting(user=signer)], username
        request = request_sign(actor=signer, request=request, approve=True, opinion="同意")
    assert current_step(request) is None and request.status == RequestStatus.APPROVED
    clue = Clue.objects.get(pk=request.target_id)
    assert (clue.status, clue.disposal_method) == (
        ClueStatus.DISPOSING,
        "preliminary_verification",
    )


def test_one_collective_review_with_minutes(small_demo):
    from jiandu.sweeps.models import CollectiveReview

    review = CollectiveReview.objects.get()
    assert "集体排查" in review.title and review.minutes and review.attendees
    assert review.items.count() >= 1
    assert all(i.request.status == RequestStatus.PENDING for i in review.items.all())


def test_the_demo_step_is_quick(small_demo):
    """Measured on top of the small demo (routes are already there: archive them)."""
    from jiandu.demo.approvals import build_collective_review_demo, build_sweep_demo
    from jiandu.demo.build import SETUP_USERNAME
    from jiandu.sweeps.models import CollectiveReview, Sweep, SweepItem

    CollectiveReview.objects.all().delete()
    SweepItem.objects.all().delete()
    Sweep.objects.all().delete()
    ApprovalRequest.objects.all().delete()
    ApprovalRoute.objects.all().delete()
    orgs = {"city": Org.objects.get(kind=OrgKind.COMMISSION, parent=None)}
    orgs.update({f"county:{o.region_code}": o for o in Org.objects.filter(kind=OrgKind.COUNTY)})
    orgs["room:1"] = User.objects.get(username="room1").org
    started = time.monotonic()
    build_approvals_demo(
        actor=User.objects.get(username=SETUP_USERNAME), orgs=orgs, last_day=small_demo.last_day
    )
    build_sweep_demo(last_day=small_demo.last_day)
    build_collective_review_demo(last_day=small_demo.last_day)
    seconds = time.monotonic() - started
    print(f"demo approvals and sweep step: {seconds:.2f} s")
    # A guard against per-row work creeping in (the figure itself is measured idle and
    # reported; this machine is shared and loaded).
    assert seconds < 5
