from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditAction(models.TextChoices):
    LOGIN = "login", _("登录")
    LOGIN_FAILED = "login_failed", _("登录失败")
    LOGOUT = "logout", _("退出")
    CREATE = "create", _("新增")
    UPDATE = "update", _("修改")
    TRANSITION = "transition", _("流转")
    ARCHIVE = "archive", _("归档")
    VIEW_PROTECTED = "view_protected", _("查看受保护信息")
    EXPORT = "export", _("导出")
    EXPORT_PROTECTED = "export_protected", _("导出受保护信息")
    IMPORT = "import", _("导入")
    PERMISSION = "permission", _("权限变更")
    PASSWORD_RESET = "password_reset", _("重置密码")
    ACCOUNT_UNLOCK = "account_unlock", _("解除锁定")
    ACCOUNT_DISABLE = "account_disable", _("停用账号")
    ACCOUNT_ENABLE = "account_enable", _("启用账号")


class TaskStatus(models.TextChoices):
    QUEUED = "queued", _("排队中")
    RUNNING = "running", _("运行中")
    SUCCEEDED = "succeeded", _("已完成")
    FAILED = "failed", _("失败")


class CalendarDayKind(models.TextChoices):
    """How a listed date departs from the week (工作日历)."""

    REST = "rest", _("休")
    WORK = "work", _("班")


class PeriodKind(models.TextChoices):
    """How a deadline counts (see jiandu.core.workdays for the exact rules)."""

    WORKDAYS = "workdays", _("工作日")
    DAYS = "days", _("自然日")
    MONTHS = "months", _("月")
