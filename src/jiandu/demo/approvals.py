"""Demo 呈批: routes for the city and the counties, and requests at every stage.

The city keeps the shipped route (室主任审核 → 分管领导审批) written out for each kind
of clue decision and of petition triage (分办), each county a one-step route (its
分管领导审批). Then a handful of requests go through the real services:
第一监督检查室 (``room1``) has requests waiting for its 室主任 (``room1head``), others
waiting for the city ``leader``, one returned with an opinion and one approved (its 处置
took effect); 五华区 (``wuhua``) has requests waiting for ``wuhualeader``; the
案件监督管理室 (``casemgmt``) has a 提级查办 of a county clue waiting for its 室主任
(``casemgmthead``, then ``leader``): taking a clue up goes along the drafter's office's
route (``clues.decisions.clue_request_org``); 派驻第一纪检监察组 (``group1``) has a 处置
waiting for its 组长 (``group1head``, then ``leader``): a 派驻组's 室主任审核 is its
组长's review; 信访室 (``petition``) has a 分办 (交办 to a county) waiting for its 室主任
(``petitionhead``, then ``leader``). The history of earlier years is entered as decided:
it predates the routes (docs/user-guide/approvals.md).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from jiandu.approvals.choices import SignerRole
from jiandu.approvals.models import ApprovalRoute, ApprovalRouteStep
from jiandu.approvals.services import request_sign
from jiandu.clues.choices import ClueAction, ClueSource, ClueStatus, DisposalMethod
from jiandu.clues.decisions import KIND_BY_ACTION, PETITION_KIND_BY_ACTION, clue_request_action
from jiandu.clues.models import Clue
from jiandu.clues.services import clue_create

CITY_STEPS = (SignerRole.OFFICE_HEAD, SignerRole.LEADER)
COUNTY_STEPS = (SignerRole.LEADER,)


def _routes(*, actor: Any, orgs: dict[str, Any]) -> int:
    plan = [(orgs["city"], CITY_STEPS)] + [
        (org, COUNTY_STEPS) for key, org in orgs.items() if key.startswith("county:")
    ]
    routes = ApprovalRoute.objects.bulk_create(
        ApprovalRoute(org=org, kind=kind, created_by=actor)
        for org, _steps in plan
        for kind in [*KIND_BY_ACTION.values(), *PETITION_KIND_BY_ACTION.values()]
    )
    steps_by_org = {org.pk: steps for org, steps in plan}
    ApprovalRouteStep.objects.bulk_create(
        ApprovalRouteStep(route=route, order=n, signer_role=role)
        for route in routes
        for n, role in enumerate(steps_by_org[route.org_id], start=1)
    )
    return len(routes)


def _submit(user: Any, clue: Clue, method: str) -> Any:
    return clue_request_action(
        actor=user,
        clue=clue,
        action=ClueAction.DISPOSE,
        method=method,
        note="经初步研判，拟按此方式处置",
    )


TITLES = [
    "反映某局干部违规收受购物卡",
    "反映某街道低保审核把关不严",
    "反映某校食堂采购价格虚高",
    "反映某村集体资金使用不公开",
    "反映某站所工作人员吃拿卡要",
    "反映某项目招投标围标串标",
]


def _clues(org: Any, count: int, *, user: Any, received: dt.date) -> list[Clue]:
    """Open clues of ``org`` to draft on: the newest received ones, topped up with
    clues received on ``received`` (the demo's last day) when there are too few."""
    clues = list(
        Clue.objects.filter(handling_org=org, status=ClueStatus.RECEIVED).order_by("-pk")[:count]
    )
    for title in TITLES[: count - len(clues)]:
        clues.append(
            clue_create(
                actor=user,
                source=ClueSource.PETITION,
                title=title,
                content=f"群众来信{title}，请予核查。",
                received_date=received,
                handling_org=org,
            )
        )
    return clues


def build_approvals_demo(*, actor: Any, orgs: dict[str, Any], last_day: dt.date) -> dict[str, int]:
    from jiandu.accounts.models import User

    names = [
        "room1", "room1head", "leader", "wuhua", "wuhualeader", "casemgmt", "group1", "petition"
    ]  # fmt: skip
    users = {u.username: u for u in User.objects.filter(username__in=names)}
    routes = _routes(actor=actor, orgs=orgs)
    methods = [
        DisposalMethod.TALK_INQUIRY,
        DisposalMethod.PRELIMINARY_VERIFICATION,
        DisposalMethod.SHELVED,
        DisposalMethod.TALK_INQUIRY,
        DisposalMethod.DISMISSED,
        DisposalMethod.PRELIMINARY_VERIFICATION,
    ]
    room = _clues(orgs["room:1"], 6, user=users["room1"], received=last_day)
    requests = [
        _submit(users["room1"], clue, method) for clue, method in zip(room, methods, strict=False)
    ]
    head, leader = users["room1head"], users["leader"]
    # Signed on the demo's last day (the business date), not on the day it is built.
    signed = timezone.make_aware(dt.datetime.combine(last_day, dt.time(16, 0)))
    # 0, 1: waiting for the 室主任; 2, 3: reviewed, waiting for the leader; 4 returned;
    # 5 approved (its decision took effect).
    for request in requests[2:4]:
        request_sign(actor=head, request=request, approve=True, opinion="拟同意，呈领导审批",
                     at=signed)  # fmt: skip
    if len(requests) > 4:
        request_sign(
            actor=head,
            request=requests[4],
            approve=False,
            opinion="反映问题具体、有可查性，不宜予以了结，请重新研判",
            at=signed,
        )
    if len(requests) > 5:
        request_sign(actor=head, request=requests[5], approve=True, opinion="拟同意", at=signed)
        request_sign(actor=leader, request=requests[5], approve=True, opinion="同意", at=signed)
    county = _clues(orgs["county:530102"], 3, user=users["wuhua"], received=last_day)
    county_requests = [
        _submit(users["wuhua"], clue, method) for clue, method in zip(county, methods, strict=False)
    ]
    if county_requests:
        request_sign(
            actor=users["wuhualeader"],
            request=county_requests[-1],
            approve=True,
            opinion="同意",
            at=signed,
        )
    take_up = _take_up(users, county=orgs["county:530102"], city=orgs["city"], received=last_day)
    group = _group_disposal(users, received=last_day)
    triage = _petition_triage(users, county=orgs["county:530102"])
    return {
        "routes": routes,
        "requests": len(requests)
        + len(county_requests)
        + (take_up is not None)
        + (group is not None)
        + (triage is not None),
    }


def _petition_triage(users: dict[str, Any], *, county: Any) -> Any:
    """分办 drafted by 信访室 (``petition``), waiting for the office's 室主任
    ``petitionhead`` (then ``leader``): its newest pending petition about a unit of a
    county, with no request under way, 交办 to that county's commission (failing one,
    its newest pending petition, 交办 to ``county``). None when 信访室 has no pending
    petition."""
    from jiandu.approvals.choices import RequestStatus
    from jiandu.approvals.models import ApprovalRequest
    from jiandu.clues.choices import PetitionAction, PetitionStatus
    from jiandu.clues.decisions import PETITION_TARGET_TYPE, petition_request_action
    from jiandu.clues.models import Petition
    from jiandu.orgs.choices import OrgKind
    from jiandu.orgs.models import Org

    staff = users.get("petition")
    if staff is None:
        return None
    under_way = ApprovalRequest.objects.filter(
        target_type=PETITION_TARGET_TYPE, status=RequestStatus.PENDING
    ).values("target_id")
    pending = (
        Petition.objects.filter(handling_org=staff.org, status=PetitionStatus.PENDING)
        .exclude(pk__in=under_way)
        .prefetch_related("subject_orgs")
        .order_by("-pk")
    )
    counties = {o.pk: o for o in Org.objects.filter(kind=OrgKind.COUNTY)}
    chosen = None
    for petition in pending:
        for subject in petition.subject_orgs.all():
            found = [counties[pk] for pk in subject.ancestor_ids() if pk in counties]
            if found:
                chosen = (petition, found[-1])
                break
        if chosen:
            break
    if chosen is None:
        petition = pending.first()
        if petition is None:
            return None
        chosen = (petition, county)
    petition, to_org = chosen
    return petition_request_action(
        actor=staff,
        petition=petition,
        action=PetitionAction.ASSIGN,
        reason=f"反映问题属{to_org}管辖范围，拟交办{to_org}调查处理，并按期报送办理结果",
        to_org=to_org,
    )


def _pending_clue_ids() -> Any:
    from jiandu.approvals.choices import RequestStatus
    from jiandu.approvals.models import ApprovalRequest

    return ApprovalRequest.objects.filter(
        target_type="clues.clue", status=RequestStatus.PENDING
    ).values("target_id")


def _group_disposal(users: dict[str, Any], *, received: dt.date) -> Any:
    """处置 drafted by 派驻第一纪检监察组 (``group1``): the group's newest received clue not
    already under approval (one received on ``received`` when there is none), its request
    waiting for the group's 组长 ``group1head`` (the 室主任审核 step), then ``leader``."""
    group1 = users.get("group1")
    if group1 is None:
        return None
    clue = _free_received_clue(
        group1.org, actor=group1, title="反映某局干部违规收受礼金", received=received
    )
    return clue_request_action(
        actor=group1,
        clue=clue,
        action=ClueAction.DISPOSE,
        method=DisposalMethod.PRELIMINARY_VERIFICATION,
        note="反映问题具体，有可查性，拟初步核实",
    )


def _free_received_clue(org: Any, *, actor: Any, title: str, received: dt.date) -> Any:
    """The unit's newest received clue with no request under way; when there is none, one
    received on ``received`` (registered by ``actor``)."""
    clue = (
        Clue.objects.filter(handling_org=org, status=ClueStatus.RECEIVED)
        .exclude(pk__in=_pending_clue_ids())
        .order_by("-pk")
        .first()
    )
    if clue is None:
        clue = clue_create(
            actor=actor,
            source=ClueSource.PETITION,
            title=title,
            content=f"群众来信{title}，请予核查。",
            received_date=received,
            handling_org=org,
        )
    return clue


def _take_up(users: dict[str, Any], *, county: Any, city: Any, received: dt.date) -> Any:
    """提级查办 drafted by the 案件监督管理室 (``casemgmt``): the newest received county
    clue not already under approval (one received on ``received`` when there is none),
    its request waiting for the office's 室主任 ``casemgmthead``."""
    casemgmt = users.get("casemgmt")
    if casemgmt is None:
        return None
    clue = _free_received_clue(
        county, actor=users["wuhua"], title="反映某局领导干部插手工程项目", received=received
    )
    return clue_request_action(
        actor=casemgmt,
        clue=clue,
        action=ClueAction.ESCALATE,
        to_org=city,
        note="反映县管干部问题，案情重大，拟提级由市纪委监委查办",
    )


def _signed_units() -> list[int]:
    """The units whose 呈批件 the listed accounts carry to the end, first choice first:
    第一监督检查室 (``room1head``, then ``leader``), 五华区 (``wuhualeader``)."""
    from jiandu.accounts.models import User

    org_of = dict(
        User.objects.filter(username__in=["room1", "wuhua"]).values_list("username", "org_id")
    )
    return [org_of[name] for name in ("room1", "wuhua") if org_of.get(name)]


def build_sweep_demo(*, last_day: dt.date) -> dict[str, int]:
    """One 线索大起底 (seed 004 re-swept 416 clues): every 暂存待查 clue received since
    2018 in the city's jurisdiction, started by the 案件监督管理室 (``casemgmt``); up to
    four reviewed (维持, and one 重新处置 as 初步核实, now waiting for approval). The
    re-disposed clue is one handled by a unit with listed signers (第一监督检查室, else
    五华区), its request on that unit's route. The number of clues follows the demo's
    scale (the demo's history starts last year)."""
    from jiandu.accounts.models import User
    from jiandu.sweeps.choices import SweepDecision
    from jiandu.sweeps.services import sweep_create, sweep_review

    casemgmt = User.objects.select_related("org").get(username="casemgmt")
    assert casemgmt.org is not None
    if not Clue.objects.filter(disposal_method=DisposalMethod.SHELVED).exists():
        return {"sweep_items": 0}
    sweep = sweep_create(
        actor=casemgmt,
        name=f"{last_day.year}年暂存待查问题线索大起底",
        org=casemgmt.org,
        filters={
            "disposal_method": DisposalMethod.SHELVED,
            "status": ClueStatus.DISPOSING,
            "received_from": dt.date(2018, 1, 1),
        },
    )
    items = list(sweep.items.select_related("clue").order_by("pk"))
    if len(items) < 2:
        return {"sweep_items": len(items)}
    redo = next(
        (i for unit in _signed_units() for i in items if i.clue.handling_org_id == unit),
        items[min(3, len(items) - 1)],
    )
    for item in [i for i in items if i is not redo][:3]:
        sweep_review(
            actor=casemgmt,
            item=item,
            decision=SweepDecision.MAINTAIN,
            note="经复核，反映问题仍不具备可查性，维持暂存待查",
        )
    sweep_review(
        actor=casemgmt,
        item=redo,
        decision=SweepDecision.REDISPOSE,
        new_method=DisposalMethod.PRELIMINARY_VERIFICATION,
        note="出现新的问题线索材料，具备初步核实条件",
    )
    return {"sweep_items": len(items)}


def build_collective_review_demo(*, last_day: dt.date) -> dict[str, int]:
    """One 集体排查 of the city (with minutes): up to two 暂存待查 clues not yet under
    approval are decided 予以了结, each decision now a 呈批件 waiting for approval on the
    route of the clue's handling unit — clues of units with listed signers (第一监督检查室,
    五华区) when there are any."""
    from jiandu.accounts.models import User
    from jiandu.approvals.choices import RequestStatus
    from jiandu.approvals.models import ApprovalRequest
    from jiandu.sweeps.services import collective_review_record

    city = User.objects.get(username="city")
    busy = ApprovalRequest.objects.filter(
        target_type="clues.clue", status=RequestStatus.PENDING
    ).values("target_id")
    open_shelved = Clue.objects.filter(
        disposal_method=DisposalMethod.SHELVED, status=ClueStatus.DISPOSING
    ).exclude(pk__in=busy)
    # Clues of units with listed signers (the whole route can be signed with the demo's
    # accounts); others only when there are none.
    clues = list(open_shelved.filter(handling_org_id__in=_signed_units()).order_by("-pk")[:2])
    clues = clues or list(open_shelved.order_by("-pk")[:2])
    if not clues:
        return {"collective_items": 0}
    decisions = "\n".join(
        f"{clue.number}，予以了结，经集体研判，反映问题失实且无新的线索材料" for clue in clues
    )
    review = collective_review_record(
        actor=city,
        title=f"{last_day.year}年第{(last_day.month - 1) // 3 + 1}季度问题线索集体排查",
        held_on=last_day,
        attendees="市纪委监委分管领导（主持）、案件监督管理室主任、第一监督检查室主任、承办人",
        minutes="会议逐条听取承办人汇报，对暂存待查线索进行集体研判。\n"
        "经研究，下列线索反映问题失实且无新的线索材料，拟予以了结，按程序呈批。",
        decisions=decisions,
    )
    return {"collective_items": review.items.count()}


def date_on_last_day(*, last_day: dt.date) -> int:
    """The 呈批 demo's clue records were entered through the services on the day the demo
    is built; they belong to the demo's last day (its business date). Returns the number
    of timeline events moved."""
    from jiandu.clues.models import ClueEvent

    end = timezone.make_aware(dt.datetime.combine(last_day + dt.timedelta(days=1), dt.time()))
    moment = timezone.make_aware(dt.datetime.combine(last_day, dt.time(17, 0)))
    return ClueEvent.objects.filter(at__gte=end).update(at=moment, on_date=last_day)
