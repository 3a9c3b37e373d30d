"""The demo's 零报告 flag, 对账销账 and 质询会 (seeds 002 and 003), dated in the last full
quarter before the demo's last day and written through the real services:

- 五华区住房和城乡建设局 reported no self-found problem while 督导检查 and 巡察 found two and
  two petitions were about it: detection flags it (零报告) with that evidence;
- 五华区财政局 found three problems itself (自查自纠); supervision, inspection and reports
  found five: two pair automatically (same category and period), three remain on the gap
  list, one of them already held to account (主管领导 and 一把手);
- a 质询会 of the city commission questioned 五华区财政局 on three problems a week
  before the last day: 交账, 销账 (a problem rectified on the spot), 清账, with its
  minutes issued under a 文号.

Built on the rectification loop alone (problems via ``oversight.services``); it does not
depend on any 督导 campaign data.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from jiandu.reconciliation.periods import Period, period_of

# Units of 五华区, in the jurisdiction of every account that uses these pages
# (党风政风监督室's ``stats`` sees the counties it supervises; ``leader`` the whole city).
ZERO_REPORT_UNIT = "cunit:530102:住房和城乡建设局"
LEDGER_UNIT = "cunit:530102:财政局"


def demo_period(last_day: dt.date) -> Period:
    """The last full quarter before the demo's last day."""
    return period_of(period_of(last_day).start - dt.timedelta(days=1))


def _petition_on(officer: Any, day: dt.date, title: str, org: Any) -> Any:
    """A petition about ``org`` received and filed (存档了结, its matters being in the 对账)
    on ``day``: like the rest of the demo, dated on its business day, not today."""
    from django.utils import timezone

    from jiandu.clues.models import Petition, PetitionEvent
    from jiandu.clues.services import petition_file, petition_register

    petition = petition_register(
        actor=officer,
        received_date=day,
        channel="online",
        title=title,
        content=f"{title}，请求查处。",
        subject_orgs=[org],
    )
    petition_file(
        actor=officer, petition=petition, reason="所反映问题已由督导检查、巡察查实，纳入对账"
    )
    at = timezone.make_aware(dt.datetime.combine(day, dt.time(10)))
    Petition.objects.filter(pk=petition.pk).update(created_at=at, updated_at=at, closed_at=at)
    PetitionEvent.objects.filter(petition=petition).update(at=at)
    return petition


def create_reconciliation_demo(*, orgs: dict[str, Any], last_day: dt.date) -> dict[str, Any]:
    """Write the flag, the reconciliation and the 质询会; returns them by name."""
    from jiandu.accounts.models import User
    from jiandu.oversight.models import ProblemCategory, ProblemSource
    from jiandu.oversight.services import Upload, problem_create
    from jiandu.reconciliation import selectors, services

    # The commission's own officer (the whole city, 信访受理 and 线索管理) records the
    # findings, runs the detection and holds the meeting in the commission's name.
    officer = User.objects.get(username="city")
    city = orgs["city"]
    period = demo_period(last_day)
    sources = {s.key: s for s in ProblemSource.objects.all()}
    categories = {c.name: c for c in ProblemCategory.objects.all()}

    def day(n: int) -> dt.date:
        return period.start + dt.timedelta(days=n)

    def problem(org: Any, source: str, category: str, n: int, text: str, **extra: Any) -> Any:
        return problem_create(
            actor=officer,
            org=org,
            description=text,
            category=categories[category],
            source=sources[source],
            found_on=day(n),
            supervising_org=city,
            found_by_org=city,
            **extra,
        )

    # 零报告: nothing self-found, found by others and reported by the public.
    housing = orgs[ZERO_REPORT_UNIT]
    problem(
        housing, "supervision", "工程项目管理", 12, "保障性住房项目招投标资料不全，评标记录缺失"
    )
    problem(housing, "inspection", "作风建设（四风）", 35, "巡察发现公务接待无公函、超标准接待")
    for n, title in ((20, "反映某小区改造工程偷工减料"), (48, "反映住建局工作人员吃拿卡要")):
        _petition_on(officer, day(n), title, housing)
    detection = services.zero_report_detect(actor=officer, period=period, within=housing)

    # 对账销账: the unit's own ledger against the others'.
    office = orgs[LEDGER_UNIT]
    problem(office, "self_check", "财务管理", 8, "自查发现差旅费报销审核不严，个别票据不合规")
    problem(office, "self_check", "作风建设（四风）", 15, "自查发现会议费列支超标准")
    problem(office, "self_check", "工作纪律", 22, "自查发现个别干部上班时间脱岗")
    problem(office, "supervision", "财务管理", 30, "督导检查发现差旅费报销票据不合规")
    problem(office, "inspection", "作风建设（四风）", 41, "巡察发现会议费超标准列支")
    gap_selection = problem(office, "report", "选人用人", 50, "群众举报借调人员长期不回原单位")
    gap_funds = problem(office, "supervision", "惠民资金管理", 57, "督导检查发现慰问金发放台账不全")
    reconciliation = services.reconciliation_open(actor=officer, org=office, period=period)
    services.reconciliation_match(actor=officer, reconciliation=reconciliation)
    principal = selectors.unit_principal(office)
    deputies = [p for p in selectors.unit_people(office) if p != principal]
    if principal is not None and deputies:
        services.gap_accountability_record(
            actor=officer,
            reconciliation=reconciliation,
            problem=gap_selection,
            supervising_leader=deputies[0],
            principal=principal,
            form="examination",
            decided_on=min(last_day, period.end + dt.timedelta(days=10)),
            decision="借调人员问题自查未发现、被群众举报后才查纠，属被动查纠：责令分管领导和"
            "主要负责人作出书面检查",
        )

    # 质询会: 交账, 销账 (rectified on the spot), 清账.
    on_the_spot = problem(
        office, "supervision", "财务管理", 62, "公务用车加油卡管理不规范",
        immediate_reason="当场收回加油卡并建立领用登记",
        evidence=[Upload("加油卡领用登记表.pdf", b"%PDF-1.4 demo", "application/pdf")],
    )  # fmt: skip
    meeting = services.inquiry_create(
        actor=officer,
        title=f"{period.label}问题整改质询会",
        org=office,
        convening_org=city,
        held_on=last_day - dt.timedelta(days=6),
        place="市纪委监委第一会议室",
        chair="市纪委副书记、市监委副主任 张林",
        participants="市纪委监委党风政风监督室主任\n第一监督检查室主任\n五华区纪委监委书记\n"
        "五华区财政局主要负责人",
        requirements="被质询单位每月报送一次整改进展\n交账事项于下次质询会前整改到位",
        problems=[gap_funds, on_the_spot, gap_selection],
    )
    services.inquiry_hold(actor=officer, meeting=meeting)
    marks = (
        ("hand_over", "单位认领整改责任，限两个月内补齐台账并逐户核对"),
        ("close", "已立行立改并验收销号，予以销账"),
        ("clear", "已对分管领导和主要负责人问责，予以清账"),
    )
    for item, (decision, text) in zip(meeting.items.order_by("order"), marks, strict=True):
        services.inquiry_item_mark(actor=officer, item=item, decision=decision, text=text)
    minutes = services.inquiry_minutes_issue(actor=officer, meeting=meeting)
    return {
        "flags": detection.created,
        "reconciliation": reconciliation,
        "meeting": meeting,
        "minutes": minutes,
    }
