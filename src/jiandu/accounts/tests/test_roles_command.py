"""``jiandu roles sync``: groups follow ``ROLE_PERMISSIONS`` exactly, a second run changes
nothing, apps without models are pending, unknown permissions fail without writing."""

from __future__ import annotations

import io
import json

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.management import call_command
from django.core.management.base import CommandError

from jiandu.accounts import roles
from jiandu.core.choices import AuditAction
from jiandu.core.models import AuditLog

pytestmark = pytest.mark.django_db


def _sync() -> dict:
    out = io.StringIO()
    call_command("roles", "sync", "--json", stdout=out)
    return json.loads(out.getvalue())


def _perms(group: Group) -> set[str]:
    return {
        f"{app}.{codename}"
        for app, codename in group.permissions.values_list("content_type__app_label", "codename")
    }


def test_sync_creates_one_group_per_role_with_its_permissions():
    report = _sync()
    assert report["ok"] is True
    assert {r["name"] for r in report["roles"]} == set(roles.ROLE_PERMISSIONS)
    assert all(r["state"] == "新建" for r in report["roles"])
    clues = Group.objects.get(name=roles.ROLE_CLUES)
    assert {"clues.change_clue", "clues.view_clue", "people.add_person"} <= _perms(clues)
    identity = Group.objects.get(name=roles.ROLE_IDENTITY)
    assert _perms(identity) == {"clues.view_reporter_identity", "people.view_id_number"}
    for name in roles.ADMIN_ROLES:
        assert not any(p.startswith("clues.") for p in _perms(Group.objects.get(name=name)))
    # Every permission of the table that exists in the database is granted.
    for name, wanted in roles.ROLE_PERMISSIONS.items():
        existing = {
            d for d in wanted if Permission.objects.filter(
                content_type__app_label=d.split(".")[0], codename=d.split(".")[1]
            ).exists()
        }  # fmt: skip
        assert _perms(Group.objects.get(name=name)) == existing


def test_second_sync_changes_nothing():
    _sync()
    before = {g.name: _perms(g) for g in Group.objects.all()}
    audit_rows = AuditLog.objects.count()
    report = _sync()
    assert all(r["state"] == "无变化" for r in report["roles"])
    assert all(not r["added"] and not r["removed"] for r in report["roles"])
    assert {g.name: _perms(g) for g in Group.objects.all()} == before
    assert AuditLog.objects.count() == audit_rows


def test_changes_are_audited_and_extra_permissions_removed():
    _sync()
    group = Group.objects.get(name=roles.ROLE_LEADER)
    group.permissions.add(Permission.objects.get(codename="delete_clue"))
    report = _sync()
    leader = next(r for r in report["roles"] if r["name"] == roles.ROLE_LEADER)
    assert leader["state"] == "已更新"
    assert leader["removed"] == ["clues.delete_clue"]
    assert "clues.delete_clue" not in _perms(group)
    row = AuditLog.objects.filter(action=AuditAction.PERMISSION).order_by("-sequence").first()
    assert row.object_id == str(group.pk)
    assert row.changes["removed"] == ["clues.delete_clue"]


def test_permissions_of_apps_without_models_are_pending(monkeypatch):
    # django.contrib.humanize is installed and has no models, like an app not built yet.
    monkeypatch.setitem(
        roles.ROLE_PERMISSIONS,
        roles.ROLE_LEADER,
        [*roles.ROLE_PERMISSIONS[roles.ROLE_LEADER], "humanize.view_figure"],
    )
    report = _sync()
    assert report["ok"] is True
    assert any("humanize.view_figure" in p for p in report["pending"])
    leader = next(r for r in report["roles"] if r["name"] == roles.ROLE_LEADER)
    assert leader["pending"] and leader["state"] == "新建"
    assert "clues.view_clue" in _perms(Group.objects.get(name=roles.ROLE_LEADER))


def test_unknown_permission_is_an_error_and_nothing_is_written(monkeypatch):
    monkeypatch.setitem(
        roles.ROLE_PERMISSIONS,
        roles.ROLE_CLUES,
        [*roles.ROLE_PERMISSIONS[roles.ROLE_CLUES], "clues.fly_clue", "nosuchapp.view_x"],
    )
    out = io.StringIO()
    with pytest.raises(CommandError) as error:
        call_command("roles", "sync", "--json", stdout=out)
    assert error.value.returncode == 1
    report = json.loads(out.getvalue())
    assert report["ok"] is False
    assert any("clues.fly_clue" in e and "权限不存在" in e for e in report["errors"])
    assert any("nosuchapp" in e and "应用" in e for e in report["errors"])
    assert not Group.objects.exists()


def test_text_output_names_each_role():
    out = io.StringIO()
    call_command("roles", "sync", stdout=out)
    lines = out.getvalue().splitlines()
    assert f"{roles.ROLE_IDENTITY}：新建（增加2项）" in lines
    assert len([line for line in lines if "：新建" in line]) == len(roles.ROLE_PERMISSIONS)
