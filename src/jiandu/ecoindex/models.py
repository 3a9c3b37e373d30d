"""The political-ecology index (一图一表一指数): versioned indicator trees, the values
departments report each month, the immutable monthly snapshots with every unit's scores,
and the warnings (预警通知书) a non-green colour brings, until the unit is green again.

The rules themselves are the pure code of :mod:`jiandu.ecoindex.calc`; a tree version is
turned into :class:`~jiandu.ecoindex.calc.IndexRules` by :meth:`IndexTree.rules`.
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jiandu.ecoindex.choices import (
    EcoColour,
    EcoWarningStatus,
    LeafSource,
    MissingRuleChoice,
    NodeDirection,
    NodeMethod,
)

if TYPE_CHECKING:
    from jiandu.ecoindex import calc

MONTH_LENGTH = 7  # "YYYY-MM"


def month_label(month: str) -> str:
    year, number = month.split("-")
    return f"{year}年{int(number)}月"


class IndexTree(models.Model):
    """One version of the indicator tree: index → 维度 → 一级指标 → 二级指标 (leaves).

    A version applies from ``effective_from`` on, until a later version's month; a
    closed month keeps the version it was computed with. Versions are never edited: a
    change is a new version (``reason`` says why)."""

    version = models.PositiveIntegerField(_("版本"), unique=True)
    name = models.CharField(_("名称"), max_length=60, default="政治生态指数")
    effective_from = models.CharField(_("起用月份"), max_length=MONTH_LENGTH)
    missing = models.CharField(
        _("缺项规则"),
        max_length=10,
        choices=MissingRuleChoice.choices,
        default=MissingRuleChoice.REWEIGHT,
    )
    # [{"colour": "green", "min": "85"}, …, {"colour": "red", "min": null}]
    bands = models.JSONField(_("颜色分档"), default=list)
    regreen_months = models.PositiveSmallIntegerField(_("复绿所需连续绿色月数"), default=2)
    participant_kinds = models.JSONField(_("参评单位类型"), default=list)
    reason = models.CharField(_("说明"), max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("建立时间"), default=timezone.now)

    class Meta:
        verbose_name = _("政治生态指标体系")
        verbose_name_plural = _("政治生态指标体系")
        ordering = ["-version"]
        permissions = [
            ("close_index", _("政治生态指数月度结账")),
            ("report_index", _("填报政治生态指数部门数据")),
        ]
        constraints = [
            models.UniqueConstraint(fields=["effective_from"], name="ecoindex_tree_month_once")
        ]

    def __str__(self) -> str:
        return f"{self.name}（第{self.version}版，{month_label(self.effective_from)}起）"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise PermissionError("指标体系版本不能修改；如需调整请建立新版本")
        super().save(*args, **kwargs)

    def rules(self) -> calc.IndexRules:
        nodes = list(self.nodes.all())
        return rules_from_nodes(self, nodes)


def rules_from_nodes(tree: IndexTree, nodes: list[IndexNode]) -> calc.IndexRules:
    # The pure calculator (and the board formats it shares) loads when a tree is first
    # used, not with the models at every command's start.
    from jiandu.ecoindex import calc

    children: dict[int | None, list[IndexNode]] = {}
    for node in sorted(nodes, key=lambda n: (n.position, n.pk or 0)):
        children.setdefault(node.parent_id, []).append(node)

    def build(node: IndexNode) -> calc.Node:
        if node.method:
            return calc.Node(
                key=node.key,
                name=node.name,
                weight=node.weight,
                method=calc.Method(node.method),
                direction=calc.Direction(node.direction),
                points=node.points,
                floor=node.floor if node.floor is not None else Decimal(0),
                breakpoints=tuple(
                    sorted((Decimal(str(x)), Decimal(str(s))) for x, s in node.breakpoints)
                ),
            )
        return calc.Node(
            key=node.key,
            name=node.name,
            weight=node.weight,
            children=tuple(build(c) for c in children.get(node.pk, [])),
        )

    root = children[None][0]
    bands = tuple(
        calc.Band(b["colour"], Decimal(str(b["min"])) if b.get("min") is not None else None)
        for b in (tree.bands or [])
    ) or tuple(
        calc.Band(c, b.min)
        for c, b in zip(
            [EcoColour.GREEN, EcoColour.YELLOW, EcoColour.ORANGE, EcoColour.RED],
            calc.DEFAULT_BANDS,
            strict=True,
        )
    )
    return calc.IndexRules(
        tree=build(root),
        missing=calc.MissingRule(tree.missing),
        bands=bands,
        regreen_months=tree.regreen_months,
    )


class IndexNode(models.Model):
    """A node of a tree version. Leaves (二级指标) have a ``method`` and a ``source``:
    a ``statistic`` counted from the platform's records, or a value the ``department``
    reports each month. ``definition`` is the 口径 written out."""

    tree = models.ForeignKey(IndexTree, on_delete=models.PROTECT, related_name="nodes")
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    key = models.SlugField(_("代码"), max_length=40)
    name = models.CharField(_("名称"), max_length=60)
    level = models.PositiveSmallIntegerField(_("层级"))  # 0 index, 1 维度, 2 一级, 3 二级
    position = models.PositiveSmallIntegerField(_("顺序"), default=0)
    weight = models.DecimalField(_("权重"), max_digits=8, decimal_places=4, default=1)
    method = models.CharField(_("计分方法"), max_length=12, choices=NodeMethod.choices, blank=True)
    direction = models.CharField(
        _("方向"), max_length=8, choices=NodeDirection.choices, default=NodeDirection.HIGHER
    )
    points = models.DecimalField(
        _("每单位扣分"), max_digits=8, decimal_places=4, null=True, blank=True
    )
    floor = models.DecimalField(_("最低分"), max_digits=6, decimal_places=2, null=True, blank=True)
    breakpoints = models.JSONField(_("分段点"), default=list, blank=True)
    source = models.CharField(_("数据来源"), max_length=10, choices=LeafSource.choices, blank=True)
    statistic = models.CharField(_("统计口径"), max_length=40, blank=True)
    department = models.CharField(_("填报部门"), max_length=30, blank=True)
    unit = models.CharField(_("计量单位"), max_length=10, blank=True)
    definition = models.CharField(_("口径说明"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("政治生态指标")
        verbose_name_plural = _("政治生态指标")
        ordering = ["tree", "level", "position"]
        constraints = [
            models.UniqueConstraint(fields=["tree", "key"], name="ecoindex_node_key_once")
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_leaf(self) -> bool:
        return bool(self.method)


def upload_path(instance: IndexUpload, filename: str) -> str:
    return f"ecoindex/uploads/{instance.month}/{filename}"


class IndexUpload(models.Model):
    """One department's .xlsx of reported values for a month (the latest one counts)."""

    tree = models.ForeignKey(IndexTree, on_delete=models.PROTECT, related_name="uploads")
    month = models.CharField(_("月份"), max_length=MONTH_LENGTH)
    department = models.CharField(_("填报部门"), max_length=30)
    file = models.FileField(_("文件"), upload_to=upload_path)
    original_name = models.CharField(_("文件名"), max_length=200)
    size = models.BigIntegerField(_("大小"))
    sha256 = models.CharField(max_length=64)
    rows = models.PositiveIntegerField(_("数据行数"), default=0)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("上传时间"), default=timezone.now)

    class Meta:
        verbose_name = _("政治生态填报文件")
        verbose_name_plural = _("政治生态填报文件")
        ordering = ["-uploaded_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.department} {month_label(self.month)} {self.original_name}"


class IndexValue(models.Model):
    """A reported value of one unit, leaf and month, from an upload (row ``row_number``)."""

    upload = models.ForeignKey(IndexUpload, on_delete=models.PROTECT, related_name="values")
    month = models.CharField(_("月份"), max_length=MONTH_LENGTH)
    org = models.ForeignKey("orgs.Org", on_delete=models.PROTECT, related_name="+")
    leaf = models.CharField(_("指标代码"), max_length=40)
    value = models.DecimalField(_("数值"), max_digits=14, decimal_places=2)
    row_number = models.PositiveIntegerField(_("行号"))

    class Meta:
        verbose_name = _("政治生态填报数值")
        verbose_name_plural = _("政治生态填报数值")
        indexes = [models.Index(fields=["month", "leaf", "org"])]

    def __str__(self) -> str:
        return f"{self.leaf}={self.value}"


class FrozenQuerySet(models.QuerySet):
    def update(self, **kwargs: Any) -> int:
        raise PermissionError("政治生态指数结账数据不能修改；如需更正请重新结账生成新版本")

    def delete(self) -> Any:
        raise PermissionError("政治生态指数结账数据不能删除")


class IndexSnapshot(models.Model):
    """A month as closed: frozen. Closing it again makes the next ``version`` with a
    ``reason``; the latest version is the month's result, earlier ones stay readable.
    ``data`` holds the distribution by colour, the units missing reported values and
    whether missing values counted under the tree's rule."""

    month = models.CharField(_("月份"), max_length=MONTH_LENGTH)
    version = models.PositiveIntegerField(_("版本"))
    tree = models.ForeignKey(IndexTree, on_delete=models.PROTECT, related_name="snapshots")
    reason = models.CharField(_("重新结账原因"), max_length=300, blank=True)
    data = models.JSONField(_("结账数据"), default=dict)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("结账时间"), default=timezone.now)

    objects = FrozenQuerySet.as_manager()

    class Meta:
        verbose_name = _("政治生态指数月度快照")
        verbose_name_plural = _("政治生态指数月度快照")
        ordering = ["-month", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["month", "version"], name="ecoindex_snapshot_version_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.month_label}（第{self.version}版）"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise PermissionError("政治生态指数快照不能修改；如需更正请重新结账生成新版本")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise PermissionError("政治生态指数快照不能删除")

    @property
    def month_label(self) -> str:
        return month_label(self.month)


class IndexScore(models.Model):
    """One unit in one snapshot: the rounded index, colour, rank, 复绿, every node's
    score (``nodes``: key → score, null when missing) and every leaf's value."""

    snapshot = models.ForeignKey(IndexSnapshot, on_delete=models.PROTECT, related_name="scores")
    org = models.ForeignKey("orgs.Org", on_delete=models.PROTECT, related_name="+")
    month = models.CharField(_("月份"), max_length=MONTH_LENGTH)
    index = models.DecimalField(_("指数"), max_digits=5, decimal_places=2, null=True)
    colour = models.CharField(_("颜色"), max_length=8, choices=EcoColour.choices, blank=True)
    rank = models.PositiveIntegerField(_("名次"), null=True)
    regreened = models.BooleanField(_("复绿"), default=False)
    nodes = models.JSONField(_("各节点得分"), default=dict)
    values = models.JSONField(_("各指标数值"), default=dict)

    objects = FrozenQuerySet.as_manager()

    class Meta:
        verbose_name = _("政治生态指数得分")
        verbose_name_plural = _("政治生态指数得分")
        ordering = ["snapshot", "rank"]
        constraints = [
            models.UniqueConstraint(fields=["snapshot", "org"], name="ecoindex_score_once")
        ]
        indexes = [models.Index(fields=["org", "month"])]

    def __str__(self) -> str:
        return f"{self.month} {self.index}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise PermissionError("政治生态指数得分不能修改")
        super().save(*args, **kwargs)


def warning_file_path(instance: Any, filename: str) -> str:
    return f"ecoindex/warnings/{filename}"


class EcoWarning(models.Model):
    """A unit classed 黄/橙/红 in ``month``: the 预警通知书 (``number`` is its 文号), the
    problem it opened in the rectification loop, and — when the unit is green in the
    tree's ``regreen_months`` months after — the 复绿 that closed it."""

    org = models.ForeignKey("orgs.Org", on_delete=models.PROTECT, related_name="+")
    month = models.CharField(_("预警月份"), max_length=MONTH_LENGTH)
    snapshot = models.ForeignKey(IndexSnapshot, on_delete=models.PROTECT, related_name="+")
    colour = models.CharField(_("颜色"), max_length=8, choices=EcoColour.choices)
    index = models.DecimalField(_("指数"), max_digits=5, decimal_places=2)
    number = models.CharField(_("文号"), max_length=40, unique=True)
    # [{"key", "name", "score", "level", "parent"}] — the weakest dimensions and
    # indicators, worst first.
    pulled_down = models.JSONField(_("拉低指数的维度和指标"), default=list)
    problem = models.ForeignKey(
        "oversight.Problem", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    supervising_org = models.ForeignKey("orgs.Org", on_delete=models.PROTECT, related_name="+")
    status = models.CharField(
        _("状态"), max_length=10, choices=EcoWarningStatus.choices, default=EcoWarningStatus.OPEN
    )
    regreened_month = models.CharField(_("复绿月份"), max_length=MONTH_LENGTH, blank=True)
    proving_months = models.JSONField(_("证明复绿的月份"), default=list, blank=True)
    created_at = models.DateTimeField(_("发出时间"), default=timezone.now)
    closed_at = models.DateTimeField(_("复绿时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("政治生态预警")
        verbose_name_plural = _("政治生态预警")
        ordering = ["-month", "org"]
        constraints = [
            models.UniqueConstraint(
                fields=["org"],
                condition=models.Q(status="open"),
                name="ecoindex_one_open_warning",
            )
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.get_colour_display()}"

    @property
    def month_label(self) -> str:
        return month_label(self.month)
