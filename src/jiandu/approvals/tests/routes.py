"""Shared steps of the route tests: the city's route written out as in the demo, a
request of 第一监督检查室, and a request signed to the end by the demo's listed accounts."""

import datetime as dt

from jiandu.approvals.choices import SignerRole
from jiandu.approvals.models import ApprovalRoute, ApprovalRouteStep
from jiandu.approvals.selectors import requests_awaiting, step_signers
from jiandu.approvals.services import current_step, request_sign
from jiandu.clues.choices import ClueAction, ClueSource
from jiandu.clues.decisions import KIND_BY_ACTION, clue_request_action
from jiandu.clues.services import clue_create


def city_route(rw, *actions: str) -> None:
    """The city's route for these clue actions as in the demo: 室主任审核 → 分管领导审批."""
    for action in actions:
        route = ApprovalRoute.objects.create(
            org=rw.world.city, kind=KIND_BY_ACTION[action], created_by=rw.accounts["leader"]
        )
        for n, role in enumerate((SignerRole.OFFICE_HEAD, SignerRole.LEADER), start=1):
            ApprovalRouteStep.objects.create(route=route, order=n, signer_role=role)


def room1_request(rw):
    """A 处置 (暂存待查) drafted by ``room1`` on a clue of 第一监督检查室."""
    clue = clue_create(
        actor=rw.world.users["city"],
        source=ClueSource.PETITION,
        title="某局违规兼职取酬",
        received_date=dt.date(2020, 3, 2),
        handling_org=rw.world.room1,
    )
    return clue_request_action(
        actor=rw.accounts["room1"], clue=clue, action=ClueAction.DISPOSE, method="shelved", note="x"
    )


def sign_with_listed_accounts(rw, request, steps):
    """Sign ``request`` step by step, ``steps`` being (username, signer role) pairs: at
    each step that listed account is the only listed one who may sign, finds the
    request in 待我审批, and agrees. Returns the request as it ends."""
    listed = set(rw.accounts.values())
    for username, role in steps:
        step = current_step(request)
        assert step.signer_role == role
        signers = [u.username for u in step_signers(request=request, step=step) if u in listed]
        assert signers == [username]
        signer = rw.accounts[username]
        assert [q.pk for q in requests_awaiting(user=signer)] == [request.pk]
        request = request_sign(actor=signer, request=request, approve=True, opinion="同意")
    return request
