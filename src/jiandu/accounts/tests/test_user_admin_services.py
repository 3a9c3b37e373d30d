"""User administration under 三员分立: the services of the 系统管理员 (accounts, units,
passwords, disabling) and of the 安全管理员 (roles, lock-outs), their rules and audit."""

from __future__ import annotations

import pytest
from axes.models import AccessAttempt
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError

from jiandu.accounts import roles as r
from jiandu.accounts.models import User
from jiandu.accounts.selectors import lockout_list, org_search, user_is_locked, user_list
from jiandu.accounts.services import (
    role_combination_problem,
    temporary_password,
    user_create,
    user_disable,
    user_enable,
    user_password_change,
    user_password_reset,
    user_roles_set,
    user_unlock,
    user_update,
)
from jiandu.accounts.tests.admin_personas import build_admin_world, lock_out
from jiandu.core.choices import AuditAction
from jiandu.core.models import AuditLog
from jiandu.orgs.choices import OrgKind
from jiandu.orgs.services import org_archive, org_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def aw():
    return build_admin_world()


def _roles(user: User) -> set[str]:
    return set(user.groups.values_list("name", flat=True))


# --- temporary passwords ----------------------------------------------------------------


def test_temporary_password_passes_the_validators_and_varies():
    passwords = {temporary_password() for _ in range(20)}
    assert len(passwords) == 20
    for password in passwords:
        validate_password(password, User(username="x"))


# --- 系统管理员: create, edit, disable, reset --------------------------------------------


def test_sysadmin_creates_a_user_in_a_county_with_a_forced_password_change(aw):
    user, password = user_create(
        actor=aw.sysadmin, username="zhangsan", full_name="张三", title="干部", org=aw.world.county
    )
    user.refresh_from_db()
    assert user.org == aw.world.county
    assert user.must_change_password
    assert user.check_password(password)
    assert _roles(user) == set()  # roles are the 安全管理员's
    row = AuditLog.objects.get(action=AuditAction.CREATE, object_id=str(user.pk))
    assert row.actor == aw.sysadmin
    assert "zhangsan" in row.summary and "五华区纪委监委" in row.summary
    assert password not in str(row.changes) and password not in row.summary


def test_create_refuses_a_unit_outside_the_jurisdiction(aw):
    county_admin = User.objects.create_user("county-admin", org=aw.world.county)
    county_admin.groups.add(*User.objects.get(pk=aw.sysadmin.pk).groups.all())
    with pytest.raises(ValidationError) as exc:
        user_create(actor=county_admin, username="x1", full_name="某", org=aw.world.other_county)
    assert "不在您的管理范围内" in str(exc.value)
    assert not User.objects.filter(username="x1").exists()


def test_create_refuses_an_archived_unit_and_a_missing_name(aw):
    system = aw.sysadmin
    unit = org_create(actor=system, name="撤销单位", kind=OrgKind.CITY_UNIT, parent=aw.world.city)
    org_archive(actor=system, org=unit, reason="机构改革")
    with pytest.raises(ValidationError, match="已撤销"):
        user_create(actor=system, username="x2", full_name="某", org=unit)
    with pytest.raises(ValidationError, match="请填写姓名"):
        user_create(actor=system, username="x3", full_name=" ", org=aw.world.county)
    assert not User.objects.filter(username__in=["x2", "x3"]).exists()


@pytest.mark.parametrize("who", ["secadmin", "auditor", "county_user"])
def test_only_the_sysadmin_creates_users(aw, who):
    with pytest.raises(PermissionDenied):
        user_create(actor=getattr(aw, who), username="x4", full_name="某", org=aw.world.county)


def test_update_moves_a_user_and_audits_the_difference(aw):
    user = aw.county_user
    user_update(
        actor=aw.sysadmin, user=user, full_name="李四", title="科长", org=aw.world.other_county
    )
    user.refresh_from_db()
    assert (user.full_name, user.org) == ("李四", aw.world.other_county)
    row = AuditLog.objects.filter(action=AuditAction.UPDATE, object_id=str(user.pk)).latest(
        "sequence"
    )
    assert row.actor == aw.sysadmin
    assert row.changes["org"] == {"before": aw.world.county.pk, "after": aw.world.other_county.pk}


def test_disable_records_who_when_why_and_enable_undoes_it(aw):
    user = aw.county_user
    with pytest.raises(ValidationError, match="停用原因"):
        user_disable(actor=aw.sysadmin, user=user, reason="")
    user_disable(actor=aw.sysadmin, user=user, reason="调离本单位")
    user.refresh_from_db()
    assert not user.is_active
    assert (
        user.disabled_by == aw.sysadmin
        and user.disabled_at
        and user.disabled_reason == "调离本单位"
    )
    assert AuditLog.objects.filter(action=AuditAction.ACCOUNT_DISABLE, actor=aw.sysadmin).exists()
    user_enable(actor=aw.sysadmin, user=user)
    user.refresh_from_db()
    assert user.is_active and user.disabled_at is None
    assert AuditLog.objects.filter(action=AuditAction.ACCOUNT_ENABLE, actor=aw.sysadmin).exists()


def test_sysadmin_cannot_disable_or_reset_their_own_account(aw):
    with pytest.raises(ValidationError, match="本人"):
        user_disable(actor=aw.sysadmin, user=aw.sysadmin, reason="x")
    with pytest.raises(ValidationError, match="本人"):
        user_password_reset(actor=aw.sysadmin, user=aw.sysadmin)


def test_the_last_active_auditor_cannot_be_disabled(aw):
    with pytest.raises(ValidationError, match="唯一启用的审计管理员"):
        user_disable(actor=aw.sysadmin, user=aw.auditor, reason="x")
    other = User.objects.create_user("auditor2", org=aw.world.city)
    user_roles_set(actor=aw.secadmin, user=other, roles=[r.ROLE_AUDIT_ADMIN])
    user_disable(actor=aw.sysadmin, user=aw.auditor, reason="退休")
    assert not User.objects.get(pk=aw.auditor.pk).is_active


def test_superuser_is_only_ever_disabled(aw):
    root = User.objects.create_superuser("install", password="Install-Pw-2026!")
    assert root in user_list(user=aw.sysadmin)  # no unit: seen from the top-level unit
    with pytest.raises(ValidationError, match="超级用户"):
        user_password_reset(actor=aw.sysadmin, user=root)
    with pytest.raises(ValidationError, match="超级用户"):
        user_update(actor=aw.sysadmin, user=root, full_name="x", org=aw.world.city)
    with pytest.raises(ValidationError, match="超级用户"):
        user_roles_set(actor=aw.secadmin, user=root, roles=[r.ROLE_LEADER])
    user_disable(actor=aw.sysadmin, user=root, reason="安装完成")
    with pytest.raises(ValidationError, match="超级用户"):
        user_enable(actor=aw.sysadmin, user=root)


def test_password_reset_forces_a_change_and_clears_the_lockout(aw):
    user = aw.county_user
    lock_out("county")
    assert user_is_locked(username="county")
    password = user_password_reset(actor=aw.sysadmin, user=user)
    user.refresh_from_db()
    assert user.check_password(password) and user.must_change_password
    assert not user_is_locked(username="county")
    row = AuditLog.objects.get(action=AuditAction.PASSWORD_RESET)
    assert row.actor == aw.sysadmin and row.changes["failures_cleared"] == 1
    assert password not in str(row.changes) + row.summary


def test_password_change_ends_the_forced_change_and_refuses_the_temporary_password(aw):
    user = aw.county_user
    password = user_password_reset(actor=aw.sysadmin, user=user)
    with pytest.raises(ValidationError, match="临时密码"):
        user_password_change(actor=user, new_password=password)
    user_password_change(actor=user, new_password="My-Own-Passw0rd")
    user.refresh_from_db()
    assert not user.must_change_password and user.check_password("My-Own-Passw0rd")


@pytest.mark.parametrize("who", ["secadmin", "auditor", "county_user"])
def test_only_the_sysadmin_resets_edits_and_disables(aw, who):
    actor = getattr(aw, who)
    target = aw.world.users["outsider"]
    with pytest.raises(PermissionDenied):
        user_password_reset(actor=actor, user=target)
    with pytest.raises(PermissionDenied):
        user_update(actor=actor, user=target, full_name="x", org=aw.world.county)
    with pytest.raises(PermissionDenied):
        user_disable(actor=actor, user=target, reason="x")


# --- 安全管理员: roles and lock-outs -----------------------------------------------------


def test_role_combinations_under_separation():
    assert role_combination_problem({r.ROLE_CLUES, r.ROLE_TRIAL}) is None
    assert role_combination_problem({r.ROLE_AUDIT_ADMIN}) is None
    assert "不能由同一人兼任" in role_combination_problem(
        {r.ROLE_SYSTEM_ADMIN, r.ROLE_SECURITY_ADMIN}
    )
    assert "不能同时持有业务角色" in role_combination_problem({r.ROLE_AUDIT_ADMIN, r.ROLE_LEADER})
    assert "不存在" in role_combination_problem({"超级角色"})


def test_secadmin_grants_and_removes_roles_with_an_audit_row(aw):
    user = aw.county_user
    user_roles_set(actor=aw.secadmin, user=user, roles=[r.ROLE_CLUES, r.ROLE_LEADER])
    assert _roles(user) == {r.ROLE_CLUES, r.ROLE_LEADER}
    assert User.objects.get(pk=user.pk).has_perm("boards.view_board")
    row = AuditLog.objects.filter(action=AuditAction.PERMISSION, actor=aw.secadmin).latest(
        "sequence"
    )
    assert row.changes == {
        "added": [r.ROLE_LEADER],
        "removed": sorted([r.ROLE_PETITION, r.ROLE_TRIAL]),
    }


def test_secadmin_cannot_break_separation(aw):
    user = aw.county_user
    with pytest.raises(ValidationError, match="业务角色"):
        user_roles_set(actor=aw.secadmin, user=user, roles=[r.ROLE_CLUES, r.ROLE_AUDIT_ADMIN])
    with pytest.raises(ValidationError, match="兼任"):
        user_roles_set(
            actor=aw.secadmin, user=aw.sysadmin, roles=[r.ROLE_SYSTEM_ADMIN, r.ROLE_AUDIT_ADMIN]
        )
    with pytest.raises(ValidationError, match="本人"):
        user_roles_set(
            actor=aw.secadmin, user=aw.secadmin, roles=[r.ROLE_SECURITY_ADMIN, r.ROLE_LEADER]
        )
    with pytest.raises(ValidationError, match="唯一启用的系统管理员"):
        user_roles_set(actor=aw.secadmin, user=aw.sysadmin, roles=[])
    assert _roles(aw.sysadmin) == {r.ROLE_SYSTEM_ADMIN}
    assert _roles(aw.secadmin) == {r.ROLE_SECURITY_ADMIN}


@pytest.mark.parametrize("who", ["sysadmin", "auditor", "county_user"])
def test_only_the_secadmin_grants_roles_and_unlocks(aw, who):
    lock_out("outsider")
    with pytest.raises(PermissionDenied):
        user_roles_set(actor=getattr(aw, who), user=aw.county_user, roles=[r.ROLE_LEADER])
    with pytest.raises(PermissionDenied):
        user_unlock(actor=getattr(aw, who), username="outsider")
    assert user_is_locked(username="outsider")


def test_secadmin_sees_and_lifts_a_lockout(aw):
    lock_out("outsider")
    lock_out("nobody-by-that-name")
    rows = {row["username"]: row for row in lockout_list(user=aw.secadmin)}
    assert rows["outsider"]["locked"] and rows["outsider"]["user"] == aw.world.users["outsider"]
    assert rows["nobody-by-that-name"]["user"] is None
    assert user_unlock(actor=aw.secadmin, username="outsider") == 1
    assert not user_is_locked(username="outsider")
    assert not AccessAttempt.objects.filter(username="outsider").exists()
    row = AuditLog.objects.get(action=AuditAction.ACCOUNT_UNLOCK)
    assert row.actor == aw.secadmin and row.object_id == str(aw.world.users["outsider"].pk)
    with pytest.raises(ValidationError, match="没有登录失败记录"):
        user_unlock(actor=aw.secadmin, username="outsider")


def test_lockouts_outside_the_jurisdiction_are_not_listed(aw):
    county_secadmin = User.objects.create_user("county-sec", org=aw.world.county)
    county_secadmin.groups.add(*aw.secadmin.groups.all())
    lock_out("outsider")  # 盘龙区: not under 五华区
    lock_out("county")
    names = {row["username"] for row in lockout_list(user=county_secadmin)}
    assert "county" in names and "outsider" not in names


def test_org_search_finds_units_with_their_path_within_the_jurisdiction(aw):
    found = org_search(user=aw.sysadmin, query="五华")
    assert [(o, path) for o, path in found] == [
        (aw.world.county, "昆明市纪委监委 › 五华区纪委监委")
    ]
    county_admin = User.objects.create_user("county-admin", org=aw.world.county)
    county_admin.groups.add(*aw.sysadmin.groups.all())
    assert org_search(user=county_admin, query="盘龙") == []
