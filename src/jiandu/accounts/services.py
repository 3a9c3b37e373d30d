"""Writes on accounts: personal API tokens, password changes, and user administration
under 三员分立 (accounts, passwords, lock-outs, roles).

Each function is one transaction that also appends its audit row.
"""

from __future__ import annotations

import datetime as dt
import secrets

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from jiandu.accounts.models import ApiToken, User
from jiandu.accounts.roles import ADMIN_ROLES, ROLE_PERMISSIONS
from jiandu.accounts.selectors import manageable_orgs
from jiandu.core.audit import audit_record, diff, model_snapshot
from jiandu.core.choices import AuditAction
from jiandu.orgs.models import Org


def api_token_create(
    *, actor: User, name: str, expires_at: dt.datetime | None = None
) -> tuple[ApiToken, str]:
    """Issue a bearer token for ``actor``'s own machine clients.

    Returns the stored row and the token itself. Only the token's hash is stored: the
    caller shows the token once and it can never be read back.
    """
    name = (name or "").strip()
    if expires_at is not None and expires_at <= timezone.now():
        raise ValidationError({"expires_at": "到期时间必须晚于当前时间。"})
    token_str = ApiToken.generate()
    token = ApiToken(
        user=actor,
        name=name,
        prefix=token_str[:8],
        token_hash=ApiToken.hash(token_str),
        expires_at=expires_at,
    )
    token.full_clean()
    with transaction.atomic():
        token.save()
        audit_record(
            actor=actor,
            action=AuditAction.CREATE,
            obj=token,
            summary=f"创建API令牌“{token.name}”（前缀 {token.prefix}）",
            changes={"name": token.name, "prefix": token.prefix, "expires_at": expires_at},
        )
    return token, token_str


def api_token_revoke(*, actor: User, token: ApiToken) -> ApiToken:
    """Revoke a token at once. Users revoke their own tokens; holders of
    ``accounts.change_apitoken`` (system administrators) may revoke anyone's."""
    if token.user_id != actor.pk and not actor.has_perm("accounts.change_apitoken"):
        raise PermissionDenied("只能吊销本人的API令牌。")
    with transaction.atomic():
        locked = ApiToken.objects.select_for_update().get(pk=token.pk)
        if locked.revoked_at is not None:
            revoked = timezone.localtime(locked.revoked_at)
            raise ValidationError(f"令牌“{locked.name}”已于{revoked:%Y-%m-%d %H:%M}吊销。")
        locked.revoked_at = timezone.now()
        locked.save(update_fields=["revoked_at"])
        audit_record(
            actor=actor,
            action=AuditAction.UPDATE,
            obj=locked,
            summary=f"吊销API令牌“{locked.name}”（前缀 {locked.prefix}）",
            changes={"revoked_at": {"before": None, "after": locked.revoked_at}},
        )
    token.revoked_at = locked.revoked_at
    return locked


def user_password_change(*, actor: User, new_password: str) -> None:
    """Set ``actor``'s own password (already validated by the form). This ends a forced
    change after a reset; the new password must differ from the one set by the admin."""
    if actor.must_change_password and actor.check_password(new_password):
        raise ValidationError("新密码不能与系统管理员设置的临时密码相同。")
    forced = actor.must_change_password
    with transaction.atomic():
        actor.set_password(new_password)
        actor.must_change_password = False
        actor.save(update_fields=["password", "must_change_password"])
        audit_record(
            actor=actor,
            action=AuditAction.UPDATE,
            obj=actor,
            summary="修改登录密码" + ("（首次登录或重置后）" if forced else ""),
        )


# --- user administration (三员分立) -------------------------------------------------
#
# 系统管理员 (accounts.add_user / change_user): accounts, units, passwords, disabling.
# 安全管理员 (accounts.change_user_roles / unlock_user): roles and lock-outs.
# Nobody administers their own account here, and nobody touches a superuser's password,
# unit or roles: the installation account is only ever disabled.

TEMPORARY_PASSWORD_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnpqrstuvwxyz23456789"


def temporary_password() -> str:
    """A random password for a new or reset account: three groups of four letters and
    digits joined by "-" (four character classes; no 0/O, 1/l/I to misread)."""
    while True:
        groups = [
            "".join(secrets.choice(TEMPORARY_PASSWORD_ALPHABET) for _ in range(4)) for _ in range(3)
        ]
        password = "-".join(groups)
        if (
            any(c.islower() for c in password)
            and any(c.isupper() for c in password)
            and any(c.isdigit() for c in password)
        ):
            return password


def _require(actor: User, perm: str, message: str) -> None:
    if not actor.has_perm(perm):
        raise PermissionDenied(message)


def _check_org(actor: User, org: Org | None) -> None:
    if org is None:
        raise ValidationError({"org": "请选择所属单位。"})
    if org.archived_at is not None:
        raise ValidationError({"org": f"单位“{org.name}”已撤销，不能再分配用户。"})
    if not manageable_orgs(user=actor).filter(pk=org.pk).exists():
        raise ValidationError({"org": f"单位“{org.name}”不在您的管理范围内。"})


def _check_target(actor: User, user: User, *, doing: str) -> None:
    """Refuse administering one's own account or a superuser's (except disabling the
    latter, checked by the caller)."""
    if user.pk == actor.pk:
        raise ValidationError(f"不能对本人的账号{doing}。")
    if user.is_superuser:
        raise ValidationError(f"“{user.username}”是安装时创建的超级用户，不能{doing}，只能停用。")


def _last_active_holder(user: User, roles: set[str]) -> str | None:
    """The admin role of which ``user`` is the only active holder, if any: losing it
    would leave a duty of 三员分立 with nobody to do it."""
    for role in sorted(roles & ADMIN_ROLES):
        others = User.objects.filter(is_active=True, groups__name=role).exclude(pk=user.pk)
        if not others.exists():
            return role
    return None


def user_create(
    *, actor: User, username: str, full_name: str, title: str = "", org: Org | None
) -> tuple[User, str]:
    """Create an account in ``org`` with a temporary password, which the caller shows
    once; its holder must change it at first sign-in. The new account has no role:
    roles are granted by the 安全管理员."""
    _require(actor, "accounts.add_user", "只有系统管理员可以新建用户。")
    _check_org(actor, org)
    username = (username or "").strip()
    user = User(
        username=username,
        full_name=(full_name or "").strip(),
        title=(title or "").strip(),
        org=org,
        must_change_password=True,
    )
    if not user.full_name:
        raise ValidationError({"full_name": "请填写姓名。"})
    password = temporary_password()
    validate_password(password, user)
    user.set_password(password)
    user.full_clean()
    with transaction.atomic():
        user.save()
        audit_record(
            actor=actor,
            action=AuditAction.CREATE,
            obj=user,
            summary=f"新建用户“{user.username}”（{user.full_name}，{org}）",
            changes=model_snapshot(user, ["username", "full_name", "title", "org"]),
        )
    return user, password


def user_update(
    *, actor: User, user: User, full_name: str, title: str = "", org: Org | None
) -> User:
    """Change an account's name, post title and unit (the unit decides what it sees)."""
    _require(actor, "accounts.change_user", "只有系统管理员可以修改用户信息。")
    if user.is_superuser:
        raise ValidationError(f"“{user.username}”是安装时创建的超级用户，不能修改，只能停用。")
    if user.org_id != getattr(org, "pk", None):
        _check_org(actor, org)
    fields = ["full_name", "title", "org"]
    before = model_snapshot(user, fields)
    user.full_name = (full_name or "").strip()
    user.title = (title or "").strip()
    user.org = org
    if not user.full_name:
        raise ValidationError({"full_name": "请填写姓名。"})
    user.full_clean(exclude=["password"])
    changes = diff(before, model_snapshot(user, fields))
    if not changes:
        return user
    with transaction.atomic():
        user.save(update_fields=fields)
        audit_record(
            actor=actor,
            action=AuditAction.UPDATE,
            obj=user,
            summary=f"修改用户“{user.username}”的信息",
            changes=changes,
        )
    return user


def user_disable(*, actor: User, user: User, reason: str) -> User:
    """Disable an account (it can no longer sign in; its records keep naming it)."""
    _require(actor, "accounts.change_user", "只有系统管理员可以停用账号。")
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "请填写停用原因。"})
    if user.pk == actor.pk:
        raise ValidationError("不能停用本人的账号。")
    if not user.is_active:
        raise ValidationError(f"账号“{user.username}”已经停用。")
    role = _last_active_holder(user, set(user.groups.values_list("name", flat=True)))
    if role:
        raise ValidationError(
            f"“{user}”是唯一启用的{role}，停用后将无人履行该职责；请先由安全管理员为他人授予该角色。"
        )
    with transaction.atomic():
        user.is_active = False
        user.disabled_at = timezone.now()
        user.disabled_by = actor
        user.disabled_reason = reason[:200]
        user.save(update_fields=["is_active", "disabled_at", "disabled_by", "disabled_reason"])
        audit_record(
            actor=actor,
            action=AuditAction.ACCOUNT_DISABLE,
            obj=user,
            summary=f"停用账号“{user.username}”：{reason}",
            changes={"reason": reason},
        )
    return user


def user_enable(*, actor: User, user: User) -> User:
    """Enable a disabled account again (superusers stay disabled: they are for
    installation only)."""
    _require(actor, "accounts.change_user", "只有系统管理员可以启用账号。")
    _check_target(actor, user, doing="启用")
    if user.is_active:
        raise ValidationError(f"账号“{user.username}”未停用。")
    with transaction.atomic():
        previous = user.disabled_reason
        user.is_active = True
        user.disabled_at = None
        user.disabled_by = None
        user.disabled_reason = ""
        user.save(update_fields=["is_active", "disabled_at", "disabled_by", "disabled_reason"])
        audit_record(
            actor=actor,
            action=AuditAction.ACCOUNT_ENABLE,
            obj=user,
            summary=f"启用账号“{user.username}”",
            changes={"previous_reason": previous},
        )
    return user


def _clear_failures(username: str) -> int:
    from axes.models import AccessAttempt

    count, _ = AccessAttempt.objects.filter(username=username).delete()
    return count


def user_password_reset(*, actor: User, user: User) -> str:
    """Give an account a new temporary password (returned, shown once to the 系统管理员,
    never stored or logged). Its holder must change it at the next sign-in; the old
    password's sessions end, and failed attempts under the name are cleared so the
    holder can sign in with the new one."""
    _require(actor, "accounts.change_user", "只有系统管理员可以重置密码。")
    _check_target(actor, user, doing="重置密码")
    if not user.is_active:
        raise ValidationError(f"账号“{user.username}”已停用，请先启用再重置密码。")
    password = temporary_password()
    validate_password(password, user)
    with transaction.atomic():
        user.set_password(password)
        user.must_change_password = True
        user.save(update_fields=["password", "must_change_password"])
        cleared = _clear_failures(user.username)
        audit_record(
            actor=actor,
            action=AuditAction.PASSWORD_RESET,
            obj=user,
            summary=f"重置“{user.username}”的密码（须在下次登录时修改）"
            + ("，并清除登录失败记录" if cleared else ""),
            changes={"must_change_password": True, "failures_cleared": cleared},
        )
    return password


def user_unlock(*, actor: User, username: str) -> int:
    """Lift the sign-in lock-out of a user name (every address it was locked from);
    returns the number of failure records removed."""
    _require(actor, "accounts.unlock_user", "只有安全管理员可以解除账号锁定。")
    username = (username or "").strip()
    if not username:
        raise ValidationError({"username": "请指定要解除锁定的账号。"})
    if username == actor.username:
        raise ValidationError("不能解除本人账号的锁定。")
    user = User.objects.filter(username=username).first()
    with transaction.atomic():
        cleared = _clear_failures(username)
        if not cleared:
            raise ValidationError(f"账号“{username}”没有登录失败记录，无需解除锁定。")
        audit_record(
            actor=actor,
            action=AuditAction.ACCOUNT_UNLOCK,
            obj=user,
            object_type="accounts.user",
            summary=f"解除账号“{username}”的登录锁定",
            changes={"username": username, "failures_cleared": cleared},
        )
    return cleared


def role_combination_problem(roles: set[str]) -> str | None:
    """Why a set of roles may not be held together, or None.

    三员分立: a user holds at most one of the three admin roles, and an admin role
    alone (no business role beside it), so no account both does and checks a duty."""
    unknown = roles - set(ROLE_PERMISSIONS)
    if unknown:
        return f"角色“{'、'.join(sorted(unknown))}”不存在。"
    admin = roles & ADMIN_ROLES
    if len(admin) > 1:
        return f"三员分立：{'、'.join(sorted(admin))}不能由同一人兼任。"
    if admin and roles - admin:
        (role,) = admin
        return f"三员分立：{role}不能同时持有业务角色（{'、'.join(sorted(roles - admin))}）。"
    return None


def user_roles_set(*, actor: User, user: User, roles: list[str] | set[str]) -> User:
    """Give ``user`` exactly ``roles`` (names of ``ROLE_PERMISSIONS``)."""
    from django.contrib.auth.models import Group

    _require(actor, "accounts.change_user_roles", "只有安全管理员可以分配角色。")
    _check_target(actor, user, doing="分配角色")
    wanted = set(roles)
    problem = role_combination_problem(wanted)
    if problem:
        raise ValidationError({"roles": problem})
    if not user.is_active:
        raise ValidationError(f"账号“{user.username}”已停用，不能分配角色。")
    with transaction.atomic():
        current = set(user.groups.values_list("name", flat=True))
        role = _last_active_holder(user, current - wanted)
        if role:
            raise ValidationError(
                {"roles": f"“{user}”是唯一启用的{role}，请先为他人授予该角色再撤销。"}
            )
        added, removed = sorted(wanted - current), sorted(current - wanted)
        if not added and not removed:
            return user
        groups = {g.name: g for g in Group.objects.filter(name__in=wanted)}
        missing = wanted - set(groups)
        if missing:
            names = "、".join(sorted(missing))
            raise ValidationError({"roles": f"角色“{names}”尚未建立，请运维执行 roles sync。"})
        user.groups.set(list(groups.values()))
        parts = []
        if added:
            parts.append(f"授予{'、'.join(added)}")
        if removed:
            parts.append(f"撤销{'、'.join(removed)}")
        audit_record(
            actor=actor,
            action=AuditAction.PERMISSION,
            obj=user,
            summary=f"为“{user.username}”{'，'.join(parts)}",
            changes={"added": added, "removed": removed},
        )
    return user


def user_person_set(*, actor: User, user: User, id_number: str) -> User:
    """Link an account to its holder's record in the cadre registry, found by 身份证号
    (its keyed search hash; the number itself is not stored on the account); an empty
    number removes the link. Audited (the id of the record, never the number)."""
    from django.apps import apps

    from jiandu.core.crypto import search_key

    _require(actor, "accounts.change_user", "只有系统管理员可以修改用户信息。")
    number = (id_number or "").strip().upper()
    person = None
    if number:
        # The registry is a sibling app: looked up by name, not imported (layers).
        person_model = apps.get_model("people", "Person")
        found = list(person_model.objects.filter(id_search_key=search_key(number))[:2])
        if not found:
            raise ValidationError({"id_number": "干部信息库中没有这个身份证号的人员。"})
        person = found[0]
    if user.person_id == getattr(person, "pk", None):
        return user
    before = user.person_id
    with transaction.atomic():
        user.person = person
        user.save(update_fields=["person"])
        audit_record(
            actor=actor,
            action=AuditAction.UPDATE,
            obj=user,
            summary="关联本人干部信息" if person else "取消关联本人干部信息",
            changes={"person": {"before": before, "after": user.person_id}},
        )
    return user
