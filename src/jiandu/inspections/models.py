"""巡察 rounds (seed 002) and the talent pool shared with 单元制 checks (seed 000).

A round has a form, a level, its targets (units, villages) with the focus items chosen
for each from a menu that is data, and moves through the stages 准备 → 进驻 → 报告 →
反馈 → 移交 → 整改 → 整改评估 → 归档 (every move a :class:`RoundEvent` and an audit row).
Teams are drawn from the talent pool with 回避 (:mod:`jiandu.inspections.draw`); every
draw is stored with its inputs, seed and result (:class:`TeamDraw`). Findings are
problems of the 整改闭环 (:class:`RoundProblem`), transferred clues are clues of the
registry with source 巡察移交 (:class:`RoundClue`).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from jiandu.core.access import ScopedQuerySet
from jiandu.core.models import ArchivableModel, TimeStampedModel
from jiandu.inspections.choices import (
    CheckOutcomeKind,
    CheckStep,
    CommentOutcome,
    ConflictReason,
    EscalationKind,
    LedgerKind,
    LedgerStatus,
    ReportKind,
    RoundForm,
    RoundLevel,
    RoundStage,
    SuggestionStatus,
    TeamRole,
    UnitMemberRole,
)


class FocusItem(ArchivableModel):
    """An item of the 菜单式 menu (reference data, archived never deleted)."""

    key = models.SlugField(_("代码"), max_length=32, unique=True)
    name = models.CharField(_("名称"), max_length=60, unique=True)
    sort_order = models.IntegerField(_("排序"), default=0)

    class Meta:
        verbose_name = _("巡察重点事项")
        verbose_name_plural = _("巡察重点事项")
        ordering = ["sort_order", "name"]

    def __str__(self) -> str:
        return self.name


class TalentQuerySet(ScopedQuerySet):
    scope_fields = ("owner_org",)


class TalentEntry(TimeStampedModel):
    """A cadre of the registry in the 人才库 of a commission: skills, whether the person
    can lead a team, whether available now. Shared by 巡察 and 单元制 checks."""

    owner_org = models.ForeignKey(
        "orgs.Org", verbose_name=_("人才库所属单位"), on_delete=models.PROTECT, related_name="+"
    )
    person = models.ForeignKey(
        "people.Person", verbose_name=_("人员"), on_delete=models.PROTECT, related_name="+"
    )
    skills = models.JSONField(_("专长"), default=list, blank=True)
    can_lead = models.BooleanField(_("可任组长"), default=False)
    available = models.BooleanField(_("可抽调"), default=True)
    note = models.CharField(_("备注"), max_length=200, blank=True)

    objects = TalentQuerySet.as_manager()

    class Meta:
        verbose_name = _("人才库人员")
        verbose_name_plural = _("人才库人员")
        ordering = ["owner_org", "person__name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["owner_org", "person"], name="talent_once_per_pool")
        ]

    def __str__(self) -> str:
        return str(self.person)


class DeclaredConflict(TimeStampedModel):
    """A declared conflict (亲属在该单位任职 …): the person may not inspect a target that
    covers the org."""

    person = models.ForeignKey(
        "people.Person", verbose_name=_("人员"), on_delete=models.PROTECT, related_name="+"
    )
    org = models.ForeignKey(
        "orgs.Org", verbose_name=_("回避单位"), on_delete=models.PROTECT, related_name="+"
    )
    reason = models.CharField(
        _("回避事由"),
        max_length=16,
        choices=ConflictReason.choices,
        default=ConflictReason.RELATIVE,
    )
    note = models.CharField(_("说明"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("申报回避")
        verbose_name_plural = _("申报回避")
        constraints = [
            models.UniqueConstraint(fields=["person", "org"], name="conflict_once_per_org")
        ]


class RoundQuerySet(ScopedQuerySet):
    # The commission that runs it, and every target (a county sees its own rounds).
    scope_fields = ("owner_org", "targets__org")


class InspectionRound(TimeStampedModel):
    """A 巡察 round."""

    name = models.CharField(_("名称"), max_length=100)
    form = models.CharField(_("巡察形式"), max_length=16, choices=RoundForm.choices)
    level = models.CharField(_("层级"), max_length=16, choices=RoundLevel.choices)
    owner_org = models.ForeignKey(
        "orgs.Org", verbose_name=_("组织单位"), on_delete=models.PROTECT, related_name="+"
    )
    starts_on = models.DateField(_("进驻日期"))
    ends_on = models.DateField(_("结束日期"))
    stage = models.CharField(
        _("阶段"), max_length=16, choices=RoundStage.choices, default=RoundStage.PREPARING
    )
    team_size = models.PositiveSmallIntegerField(_("每组人数"), default=5)
    required_skills = models.JSONField(_("每组必需专长"), default=list, blank=True)
    cooldown_months = models.PositiveSmallIntegerField(_("回避冷却期（月）"), default=36)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("建立人"),
        on_delete=models.PROTECT,
        related_name="+",
    )

    objects = RoundQuerySet.as_manager()

    class Meta:
        verbose_name = _("巡察轮次")
        verbose_name_plural = _("巡察轮次")
        ordering = ["-starts_on", "-pk"]

    def __str__(self) -> str:
        return self.name


class RoundTarget(models.Model):
    """A unit (or village) inspected in a round, with its focus items (菜单式)."""

    round = models.ForeignKey(InspectionRound, on_delete=models.CASCADE, related_name="targets")
    org = models.ForeignKey(
        "orgs.Org", verbose_name=_("被巡察单位"), on_delete=models.PROTECT, related_name="+"
    )
    focus_items = models.ManyToManyField(FocusItem, verbose_name=_("巡察重点事项"), blank=True)

    class Meta:
        verbose_name = _("被巡察单位")
        verbose_name_plural = _("被巡察单位")
        ordering = ["round", "org__path"]
        constraints = [models.UniqueConstraint(fields=["round", "org"], name="round_target_once")]

    def __str__(self) -> str:
        return str(self.org)


class RoundEvent(models.Model):
    """One stage move of a round, with actor and time."""

    round = models.ForeignKey(InspectionRound, on_delete=models.CASCADE, related_name="events")
    from_stage = models.CharField(max_length=16, choices=RoundStage.choices, blank=True)
    to_stage = models.CharField(max_length=16, choices=RoundStage.choices)
    note = models.TextField(_("说明"), blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(_("时间"))

    class Meta:
        verbose_name = _("巡察阶段记录")
        verbose_name_plural = _("巡察阶段记录")
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.from_stage} → {self.to_stage}"


class TeamDraw(models.Model):
    """A team draw with its inputs (pool, targets, conflicts, history), seed and result.
    At most one adopted draw per round: its teams are the round's teams."""

    round = models.ForeignKey(InspectionRound, on_delete=models.CASCADE, related_name="draws")
    seed = models.BigIntegerField(_("随机种子"))
    as_of = models.DateField(_("抽取日期"))
    inputs = models.JSONField(_("输入"))
    result = models.JSONField(_("结果"))
    feasible = models.BooleanField(_("组队成功"))
    adopted = models.BooleanField(_("已采用"), default=False)
    drawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    drawn_at = models.DateTimeField(_("抽取时间"))

    class Meta:
        verbose_name = _("巡察组抽取")
        verbose_name_plural = _("巡察组抽取")
        ordering = ["-drawn_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["round"], condition=models.Q(adopted=True), name="one_adopted_draw"
            )
        ]

    def __str__(self) -> str:
        return f"随机种子 {self.seed}"


class TeamAssignment(models.Model):
    """A person on the team of a target, from an adopted draw (the history the cool-down
    reads: the round's end date is when the stint ended)."""

    draw = models.ForeignKey(TeamDraw, on_delete=models.CASCADE, related_name="assignments")
    target = models.ForeignKey(RoundTarget, on_delete=models.CASCADE, related_name="members")
    person = models.ForeignKey(
        "people.Person", verbose_name=_("人员"), on_delete=models.PROTECT, related_name="+"
    )
    role = models.CharField(_("组内职务"), max_length=8, choices=TeamRole.choices)

    class Meta:
        verbose_name = _("巡察组成员")
        verbose_name_plural = _("巡察组成员")
        ordering = ["target", "role", "pk"]
        constraints = [models.UniqueConstraint(fields=["draw", "person"], name="one_team_per_draw")]

    def __str__(self) -> str:
        return f"{self.person} {self.get_role_display()}"


class RoundProblem(models.Model):
    """A finding of a round: a problem of the 整改闭环, linked to target and focus item."""

    round = models.ForeignKey(InspectionRound, on_delete=models.PROTECT, related_name="problems")
    target = models.ForeignKey(RoundTarget, on_delete=models.PROTECT, related_name="problems")
    focus_item = models.ForeignKey(
        FocusItem, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    problem = models.OneToOneField(
        "oversight.Problem", on_delete=models.PROTECT, related_name="inspection_link"
    )

    class Meta:
        verbose_name = _("巡察发现问题")
        verbose_name_plural = _("巡察发现问题")

    def __str__(self) -> str:
        return str(self.problem)


class RoundClue(models.Model):
    """A clue transferred by a round (巡察移交) into the clue registry."""

    round = models.ForeignKey(InspectionRound, on_delete=models.PROTECT, related_name="clues")
    target = models.ForeignKey(RoundTarget, on_delete=models.PROTECT, related_name="clues")
    clue = models.OneToOneField(
        "clues.Clue", on_delete=models.PROTECT, related_name="inspection_link"
    )

    class Meta:
        verbose_name = _("巡察移交线索")
        verbose_name_plural = _("巡察移交线索")

    def __str__(self) -> str:
        return str(self.clue)


class EscalationRule(ArchivableModel):
    """A row of the 提级 rule table (data): clues transferred by a round that match it are
    suggested for 提级 to the county commission; the handler confirms or declines."""

    key = models.SlugField(_("代码"), max_length=32, unique=True)
    label = models.CharField(_("规则"), max_length=60)
    kind = models.CharField(_("依据"), max_length=20, choices=EscalationKind.choices)
    domain_code = models.CharField(_("领域标签代码"), max_length=32, blank=True)
    sort_order = models.IntegerField(_("排序"), default=0)

    class Meta:
        verbose_name = _("提级规则")
        verbose_name_plural = _("提级规则")
        ordering = ["sort_order", "key"]

    def __str__(self) -> str:
        return self.label


class EscalationSuggestion(models.Model):
    """A 提级 suggestion for a clue under a rule, until the handler decides."""

    clue = models.ForeignKey(
        "clues.Clue", on_delete=models.PROTECT, related_name="escalation_suggestions"
    )
    rule = models.ForeignKey(EscalationRule, on_delete=models.PROTECT, related_name="+")
    to_org = models.ForeignKey(
        "orgs.Org", verbose_name=_("建议提级到"), on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(
        _("状态"), max_length=16, choices=SuggestionStatus.choices, default=SuggestionStatus.PENDING
    )
    reason = models.TextField(_("理由"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(_("确认时间"), null=True, blank=True)
    created_at = models.DateTimeField(_("提出时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("提级建议")
        verbose_name_plural = _("提级建议")
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["clue", "rule"], name="one_suggestion_per_rule")
        ]

    def __str__(self) -> str:
        return f"{self.clue} {self.get_status_display()}"


class RoundReport(TimeStampedModel):
    """One of the team's two reports (双报告) on a target: 巡察报告 and 专题/线索报告."""

    round = models.ForeignKey(InspectionRound, on_delete=models.CASCADE, related_name="reports")
    target = models.ForeignKey(RoundTarget, on_delete=models.CASCADE, related_name="reports")
    kind = models.CharField(_("报告类型"), max_length=16, choices=ReportKind.choices)
    text = models.TextField(_("报告内容"))
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("巡察报告")
        verbose_name_plural = _("巡察报告")
        ordering = ["target", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["target", "kind"], name="one_report_per_kind")
        ]

    def __str__(self) -> str:
        return f"{self.target} {self.get_kind_display()}"


class ReportComment(models.Model):
    """巡察办's review comment on a report; it may open a problem or a clue."""

    report = models.ForeignKey(RoundReport, on_delete=models.CASCADE, related_name="comments")
    text = models.TextField(_("审核意见"))
    outcome = models.CharField(
        _("处理"), max_length=16, choices=CommentOutcome.choices, default=CommentOutcome.NOTE
    )
    problem = models.OneToOneField(
        "oversight.Problem", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    clue = models.OneToOneField(
        "clues.Clue", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(_("时间"))

    class Meta:
        verbose_name = _("报告审核意见")
        verbose_name_plural = _("报告审核意见")
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return self.text[:30]


class UnitQuerySet(ScopedQuerySet):
    scope_fields = ("owner_org", "members__org")


class SupervisionUnit(TimeStampedModel):
    """A standing 单元制 supervision unit (seed 000): 1 派驻组 + 1 镇/园区纪(工)委 or 纪检
    监察室 + x departments and 村务监督委员会, covering a set of units."""

    name = models.CharField(_("名称"), max_length=60)
    owner_org = models.ForeignKey(
        "orgs.Org", verbose_name=_("组织单位"), on_delete=models.PROTECT, related_name="+"
    )
    covered = models.ManyToManyField("orgs.Org", verbose_name=_("监督单位"), related_name="+")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    objects = UnitQuerySet.as_manager()

    class Meta:
        verbose_name = _("监督单元")
        verbose_name_plural = _("监督单元")
        ordering = ["owner_org", "name"]

    def __str__(self) -> str:
        return self.name


class UnitMember(models.Model):
    unit = models.ForeignKey(SupervisionUnit, on_delete=models.CASCADE, related_name="members")
    org = models.ForeignKey("orgs.Org", on_delete=models.PROTECT, related_name="+")
    role = models.CharField(_("成员类别"), max_length=20, choices=UnitMemberRole.choices)

    class Meta:
        verbose_name = _("监督单元成员单位")
        verbose_name_plural = _("监督单元成员单位")
        constraints = [models.UniqueConstraint(fields=["unit", "org"], name="unit_member_once")]

    def __str__(self) -> str:
        return f"{self.unit} {self.get_role_display()}"


class CoveragePlan(models.Model):
    """Which covered unit is to be checked in a year, and whether for 重点检查."""

    unit = models.ForeignKey(SupervisionUnit, on_delete=models.CASCADE, related_name="plans")
    year = models.PositiveSmallIntegerField(_("年度"))
    org = models.ForeignKey("orgs.Org", on_delete=models.PROTECT, related_name="+")
    key_check = models.BooleanField(_("重点检查"), default=False)

    class Meta:
        verbose_name = _("年度监督计划")
        verbose_name_plural = _("年度监督计划")
        constraints = [
            models.UniqueConstraint(fields=["unit", "year", "org"], name="plan_once_per_year")
        ]

    def __str__(self) -> str:
        return f"{self.unit} {self.year}"


class SpecialCheck(TimeStampedModel):
    """A 专项检查 of a unit (扶贫, 节假日, 高档烟酒 …) through the six steps, with a team
    drawn from the talent pool with 回避 (stored like a round's draw)."""

    unit = models.ForeignKey(SupervisionUnit, on_delete=models.PROTECT, related_name="checks")
    name = models.CharField(_("名称"), max_length=100)
    topic = models.CharField(_("检查专题"), max_length=30)
    held_on = models.DateField(_("检查日期"))
    targets = models.ManyToManyField("orgs.Org", verbose_name=_("被检查单位"), related_name="+")
    step = models.CharField(
        _("步骤"), max_length=12, choices=CheckStep.choices, default=CheckStep.PROBLEMS
    )
    team_size = models.PositiveSmallIntegerField(_("检查组人数"), default=3)
    required_skills = models.JSONField(_("必需专长"), default=list, blank=True)
    draw = models.JSONField(_("抽组输入和结果"), null=True, blank=True)
    members = models.ManyToManyField("people.Person", verbose_name=_("检查组"), related_name="+")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("专项检查")
        verbose_name_plural = _("专项检查")
        ordering = ["-held_on", "-pk"]

    def __str__(self) -> str:
        return self.name


class CheckProblem(models.Model):
    check_item = models.ForeignKey(SpecialCheck, on_delete=models.PROTECT, related_name="problems")
    problem = models.OneToOneField(
        "oversight.Problem", on_delete=models.PROTECT, related_name="unit_check_link"
    )

    class Meta:
        verbose_name = _("单元制检查问题")
        verbose_name_plural = _("单元制检查问题")

    def __str__(self) -> str:
        return str(self.problem)


class CheckOutcome(models.Model):
    """What followed a check: 责令整改, 责任提醒谈话, 纠错诫勉 (recorded outcomes)."""

    check_item = models.ForeignKey(SpecialCheck, on_delete=models.PROTECT, related_name="outcomes")
    kind = models.CharField(_("处理"), max_length=12, choices=CheckOutcomeKind.choices)
    org = models.ForeignKey("orgs.Org", on_delete=models.PROTECT, related_name="+")
    person_name = models.CharField(_("对象"), max_length=50, blank=True)
    note = models.TextField(_("说明"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(_("记录时间"))

    class Meta:
        verbose_name = _("检查处理")
        verbose_name_plural = _("检查处理")
        ordering = ["recorded_at", "pk"]

    def __str__(self) -> str:
        return self.get_kind_display()


class LedgerRowQuerySet(ScopedQuerySet):
    scope_fields = ("county",)


class LedgerRow(TimeStampedModel):
    """A row of one of a county's 三本账, linked to the round, clue or problem it tracks."""

    county = models.ForeignKey(
        "orgs.Org", verbose_name=_("县区"), on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("台账"), max_length=16, choices=LedgerKind.choices)
    title = models.CharField(_("事项"), max_length=200)
    round = models.ForeignKey(
        InspectionRound, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    clue = models.ForeignKey(
        "clues.Clue", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    problem = models.ForeignKey(
        "oversight.Problem", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(
        _("状态"), max_length=8, choices=LedgerStatus.choices, default=LedgerStatus.OPEN
    )
    progress = models.TextField(_("最新进展"), blank=True)

    objects = LedgerRowQuerySet.as_manager()

    class Meta:
        verbose_name = _("三本账条目")
        verbose_name_plural = _("三本账条目")
        ordering = ["county", "kind", "pk"]
        indexes = [
            # The ledger list pages by id (keyset, newest first) within the filters it
            # offers: county + ledger + status, county + ledger, county + status.
            models.Index(fields=["county", "kind", "status", "id"], name="ledger_cks_id"),
            models.Index(fields=["county", "kind", "id"], name="ledger_county_kind_id"),
            models.Index(fields=["county", "status", "id"], name="ledger_county_status_id"),
        ]

    def __str__(self) -> str:
        return self.title


class LedgerReport(models.Model):
    """A row's monthly progress report (月报)."""

    row = models.ForeignKey(LedgerRow, on_delete=models.CASCADE, related_name="reports")
    month = models.DateField(_("月份"))  # first day of the month
    progress = models.TextField(_("进展"))
    status = models.CharField(_("状态"), max_length=8, choices=LedgerStatus.choices)
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    reported_at = models.DateTimeField(_("报送时间"))

    class Meta:
        verbose_name = _("三本账月报")
        verbose_name_plural = _("三本账月报")
        ordering = ["row", "month"]
        constraints = [
            models.UniqueConstraint(fields=["row", "month"], name="ledger_report_once_a_month")
        ]

    def __str__(self) -> str:
        return f"{self.row} {self.month:%Y-%m}"


class CheckTopic(ArchivableModel):
    """A kind of 专项检查 (扶贫, 节假日, 高档烟酒 …): reference data, archived never deleted."""

    key = models.SlugField(_("代码"), max_length=32, unique=True)
    name = models.CharField(_("名称"), max_length=30, unique=True)
    sort_order = models.IntegerField(_("排序"), default=0)

    class Meta:
        verbose_name = _("专项检查类别")
        verbose_name_plural = _("专项检查类别")
        ordering = ["sort_order", "name"]

    def __str__(self) -> str:
        return self.name


def report_file_path(instance: ReportFile, filename: str) -> str:
    return f"inspections/reports/{filename[:2]}/{filename}"


class ReportFile(models.Model):
    """A file of a 巡察报告 or 专题/线索报告 (the signed report as filed), stored by hash."""

    report = models.ForeignKey(RoundReport, on_delete=models.CASCADE, related_name="files")
    file = models.FileField(_("文件"), upload_to=report_file_path)
    original_name = models.CharField(_("文件名"), max_length=200)
    content_type = models.CharField(max_length=100, blank=True)
    size = models.BigIntegerField(_("大小"))
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("上传时间"))

    class Meta:
        verbose_name = _("巡察报告文件")
        verbose_name_plural = _("巡察报告文件")
        ordering = ["uploaded_at", "pk"]

    def __str__(self) -> str:
        return self.original_name
