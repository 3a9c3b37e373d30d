"""Choices of 呈批 (approvals). Chinese labels are the terms in docs/glossary.md."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class RequestStatus(models.TextChoices):
    PENDING = "pending", _("审批中")
    APPROVED = "approved", _("已批准")
    RETURNED = "returned", _("已退回")
    WITHDRAWN = "withdrawn", _("已撤回")


class SignerRole(models.TextChoices):
    """Who signs a step. 室主任 signs for the office that drafted the request; 分管领导
    for the commission the office belongs to (docs/user-guide/approvals.md)."""

    OFFICE_HEAD = "office_head", _("室主任审核")
    LEADER = "leader", _("分管领导审批")


def step_label(role: str, org: object = None) -> str:
    """A step as people read it: the 室主任 of a 派驻纪检监察组 is its 组长, so there the
    first step reads “组长审核” (the role, its permission and the routes are the same)."""
    from jiandu.orgs.choices import OrgKind

    if role == SignerRole.OFFICE_HEAD and getattr(org, "kind", None) == OrgKind.STATIONED_GROUP:
        return "组长审核"
    return str(SignerRole(role).label)


class StepDecision(models.TextChoices):
    WAITING = "", _("待签")
    APPROVED = "approved", _("同意")
    RETURNED = "returned", _("退回")
