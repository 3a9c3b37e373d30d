"""The pages of the three administrators: each reaches its own pages and gets 403 on
the other two's and on business pages; the forms do the job; a password set by the
系统管理员 must be changed before anything else."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from jiandu.accounts import roles as r
from jiandu.accounts.models import User
from jiandu.accounts.tests.admin_personas import build_admin_world, lock_out
from jiandu.core.choices import AuditAction
from jiandu.core.models import AuditLog
from jiandu.testing import TEST_PASSWORD

pytestmark = pytest.mark.django_db

SYSADMIN_PAGES = ["accounts:user_list", "accounts:user_create"]
SECADMIN_PAGES = ["accounts:role_list", "accounts:lockout_list", "accounts:signin_list"]
AUDITOR_PAGES = ["core:audit_list"]
BUSINESS_PAGES = [
    "clues:clue_list",
    "clues:petition_list",
    "clues:exposure_list",
    "people:person_list",
    "boards:board_list",
    "boards:warning_list",
    "datacheck:run_list",
    "datacheck:hit_list",
]
OWN_PAGES = {"sysadmin": SYSADMIN_PAGES, "secadmin": SECADMIN_PAGES, "auditor": AUDITOR_PAGES}


@pytest.fixture
def aw():
    return build_admin_world()


def _as(client, user):
    client.force_login(user)
    return client


@pytest.mark.parametrize("who", ["sysadmin", "secadmin", "auditor"])
def test_each_admin_reaches_only_their_own_pages(client, aw, who):
    _as(client, getattr(aw, who))
    for name in OWN_PAGES[who]:
        assert client.get(reverse(name)).status_code == 200, name
    others = [p for other, pages in OWN_PAGES.items() if other != who for p in pages]
    for name in others + BUSINESS_PAGES:
        assert client.get(reverse(name)).status_code == 403, name


@pytest.mark.parametrize("who", ["sysadmin", "secadmin", "auditor"])
def test_each_admin_is_refused_the_others_writes(client, aw, who):
    _as(client, getattr(aw, who))
    target = aw.county_user
    lock_out("outsider")
    writes = {
        "sysadmin": [
            ("accounts:user_password_reset", {"pk": target.pk}, {}),
            ("accounts:user_disable", {"pk": target.pk}, {"reason": "x"}),
        ],
        "secadmin": [
            ("accounts:user_roles", {"pk": target.pk}, {"roles": [r.ROLE_LEADER]}),
            ("accounts:user_unlock", {}, {"username": "outsider"}),
        ],
        "auditor": [("core:audit_verify", {}, {})],
    }
    for other, items in writes.items():
        if other == who:
            continue
        for name, kwargs, data in items:
            assert client.post(reverse(name, kwargs=kwargs), data).status_code == 403, name
    target.refresh_from_db()
    assert target.is_active and not target.must_change_password
    assert set(target.groups.values_list("name", flat=True)) != {r.ROLE_LEADER}


def test_navigation_shows_each_admin_their_pages_and_no_business_menu(client, aw):
    expected = {
        "sysadmin": ("用户管理", ["角色分配", "账号锁定", "审计日志"]),
        "secadmin": ("角色分配", ["用户管理", "审计日志"]),
        "auditor": ("审计日志", ["用户管理", "角色分配", "登录记录"]),
    }
    for who, (shown, hidden) in expected.items():
        client.force_login(getattr(aw, who))
        nav = client.get(reverse("core:workbench")).context["nav_sections"]
        labels = {item["label"] for section in nav for item in section["items"]}
        assert shown in labels, who
        assert not labels & {*hidden, "问题线索", "信访举报", "党员干部", "多色榜", "比对疑点"}, who


@pytest.mark.parametrize(
    ("who", "target"),
    [("sysadmin", "/accounts/users/"), ("secadmin", "/accounts/roles/"), ("auditor", "/audit/")],
)
def test_old_admin_address_leads_to_the_admins_own_page(client, aw, who, target):
    _as(client, getattr(aw, who))
    response = client.get("/sysadmin/")
    assert response.status_code == 302 and response.url == target


def test_old_admin_address_refuses_business_users(client, aw):
    _as(client, aw.county_user)
    assert client.get("/sysadmin/").status_code == 403


# --- 系统管理员 -------------------------------------------------------------------------


def test_create_user_page_shows_the_temporary_password_once(client, aw):
    _as(client, aw.sysadmin)
    response = client.post(
        reverse("accounts:user_create"),
        {"username": "zhangsan", "full_name": "张三", "title": "干部", "org": aw.world.county.pk},
    )
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    password = re.search(r'id="temporary-password">([^<]+)<', response.content.decode()).group(1)
    user = User.objects.get(username="zhangsan")
    assert user.check_password(password) and user.org == aw.world.county
    # Shown in that response only: the detail page does not repeat it.
    assert (
        password not in client.get(reverse("accounts:user_detail", args=[user.pk])).content.decode()
    )


def test_create_user_form_errors_name_the_field(client, aw):
    _as(client, aw.sysadmin)
    response = client.post(
        reverse("accounts:user_create"),
        {"username": "county", "full_name": "", "org": aw.world.county.pk},
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert "已被使用" in form.errors["username"][0]
    assert "full_name" in form.errors
    # The chosen unit stays chosen in the picker.
    assert f'value="{aw.world.county.pk}" checked' in response.content.decode()


def test_create_user_refuses_a_unit_outside_the_jurisdiction(client, aw):
    county_admin = User.objects.create_user(
        "county-admin", password=TEST_PASSWORD, org=aw.world.county
    )
    county_admin.groups.add(*aw.sysadmin.groups.all())
    _as(client, county_admin)
    response = client.post(
        reverse("accounts:user_create"),
        {"username": "x5", "full_name": "某", "org": aw.world.other_county.pk},
    )
    assert "所选单位不在您的管理范围内" in response.context["form"].errors["org"][0]
    assert not User.objects.filter(username="x5").exists()


def test_user_outside_the_jurisdiction_is_a_404(client, aw):
    county_admin = User.objects.create_user(
        "county-admin", password=TEST_PASSWORD, org=aw.world.county
    )
    county_admin.groups.add(*aw.sysadmin.groups.all())
    _as(client, county_admin)
    outsider = aw.world.users["outsider"]
    assert client.get(reverse("accounts:user_detail", args=[outsider.pk])).status_code == 404
    response = client.post(reverse("accounts:user_password_reset", args=[outsider.pk]))
    assert response.status_code == 404
    assert client.get(reverse("accounts:user_detail", args=[aw.county_user.pk])).status_code == 200


def test_org_picker_search_lists_units_with_their_path(client, aw):
    _as(client, aw.sysadmin)
    response = client.get(reverse("accounts:org_search"), {"q": "五华"})
    content = response.content.decode()
    assert "昆明市纪委监委 › 五华区纪委监委" in content
    assert f'name="org" value="{aw.world.county.pk}"' in content
    assert "盘龙" not in content


def test_edit_user_moves_them_to_another_unit(client, aw):
    _as(client, aw.sysadmin)
    user = aw.county_user
    response = client.post(
        reverse("accounts:user_edit", args=[user.pk]),
        {"full_name": "赵六", "title": "", "org": aw.world.township.pk},
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.org == aw.world.township and user.full_name == "赵六"


def test_disable_and_enable_from_the_detail_page(client, aw):
    _as(client, aw.sysadmin)
    user = aw.county_user
    client.post(reverse("accounts:user_disable", args=[user.pk]), {"reason": "调离"})
    user.refresh_from_db()
    assert not user.is_active
    page = client.get(reverse("accounts:user_detail", args=[user.pk])).content.decode()
    assert "原因：调离" in page
    client.post(reverse("accounts:user_enable", args=[user.pk]))
    user.refresh_from_db()
    assert user.is_active


def test_user_list_filters_by_name_status_and_role(client, aw):
    _as(client, aw.sysadmin)
    rows = client.get(reverse("accounts:user_list"), {"q": "county"}).context["rows"]
    assert [row["user"].username for row in rows] == ["county"]
    rows = client.get(reverse("accounts:user_list"), {"role": r.ROLE_AUDIT_ADMIN}).context["rows"]
    assert [row["user"].username for row in rows] == ["auditor"]
    page = client.get(reverse("accounts:user_list")).context["page"]
    # Every account of the tree, and the one without a unit (seen from the top unit).
    assert page.total == User.objects.count() == 11


# --- forced password change -----------------------------------------------------------


def test_after_a_reset_the_user_must_change_the_password_before_anything_else(client, aw):
    _as(client, aw.sysadmin)
    response = client.post(reverse("accounts:user_password_reset", args=[aw.county_user.pk]))
    password = re.search(r'id="temporary-password">([^<]+)<', response.content.decode()).group(1)
    client.logout()
    response = client.post(reverse("accounts:login"), {"username": "county", "password": password})
    assert response.status_code == 302
    change_url = reverse("accounts:password_change")
    for url in (reverse("core:workbench"), reverse("clues:clue_list"), "/api/v1/clues/"):
        response = client.get(url)
        assert response.status_code in (302, 403), url
        if response.status_code == 302:
            assert response.url == change_url
    assert client.get(change_url).status_code == 200
    assert "须先修改密码" in client.get(change_url).content.decode()
    response = client.post(
        change_url,
        {
            "old_password": password,
            "new_password1": "Own-Passw0rd-2026",
            "new_password2": "Own-Passw0rd-2026",
        },
    )
    assert response.status_code == 302
    assert client.get(reverse("clues:clue_list")).status_code == 200


# --- 安全管理员 -------------------------------------------------------------------------


def test_roles_page_grants_a_role_and_refuses_a_broken_separation(client, aw):
    _as(client, aw.secadmin)
    user = aw.world.users["room"]
    url = reverse("accounts:user_roles", args=[user.pk])
    response = client.post(url, {"roles": [r.ROLE_CLUES, r.ROLE_SYSTEM_ADMIN]})
    assert response.status_code == 200
    assert "不能同时持有业务角色" in str(response.context["form"].errors)
    response = client.post(url, {"roles": [r.ROLE_CLUES, r.ROLE_LEADER]})
    assert response.status_code == 302
    assert set(user.groups.values_list("name", flat=True)) == {r.ROLE_CLUES, r.ROLE_LEADER}


def test_lockout_page_lists_and_unlocks(client, aw):
    lock_out("outsider")
    _as(client, aw.secadmin)
    page = client.get(reverse("accounts:lockout_list")).content.decode()
    assert "outsider" in page and "已锁定" in page
    response = client.post(reverse("accounts:user_unlock"), {"username": "outsider"})
    assert response.status_code == 302
    assert client.get(reverse("accounts:lockout_list")).context["rows"] == []
    # The user signs in again at once.
    other = client.__class__()
    response = other.post(
        reverse("accounts:login"), {"username": "outsider", "password": TEST_PASSWORD}
    )
    assert response.status_code == 302


def test_unlock_of_a_name_not_listed_is_a_404(client, aw):
    _as(client, aw.secadmin)
    assert client.post(reverse("accounts:user_unlock"), {"username": "ghost"}).status_code == 404


def test_signin_history_shows_logins_and_failures_but_no_other_audit_rows(client, aw):
    client.post(reverse("accounts:login"), {"username": "county", "password": TEST_PASSWORD})
    client.post(reverse("accounts:logout"))
    client.post(reverse("accounts:login"), {"username": "county", "password": "bad-Passw0rd"})
    _as(client, aw.secadmin)
    rows = client.get(reverse("accounts:signin_list"), {"username": "county"}).context["page"].items
    actions = [row.action for row in rows]
    assert actions == [AuditAction.LOGIN_FAILED, AuditAction.LOGOUT, AuditAction.LOGIN]
    assert AuditLog.objects.exclude(action__in=actions).exists()  # org creation etc.
    everything = client.get(reverse("accounts:signin_list")).context["page"].items
    assert {row.action for row in everything} <= {"login", "login_failed", "logout"}


# --- 审计管理员 -------------------------------------------------------------------------


def test_auditor_reads_the_other_admins_actions(client, aw):
    _as(client, aw.sysadmin)
    client.post(reverse("accounts:user_password_reset", args=[aw.county_user.pk]))
    _as(client, aw.secadmin)
    client.post(
        reverse("accounts:user_roles", args=[aw.county_user.pk]), {"roles": [r.ROLE_LEADER]}
    )
    _as(client, aw.auditor)
    page = client.get(reverse("core:audit_list"), {"actor": "sysadmin"}).content.decode()
    assert "重置“county”的密码" in page
    page = client.get(reverse("core:audit_list"), {"action": "permission"}).content.decode()
    assert "授予领导查阅" in page
    page = client.get(reverse("core:audit_list"), {"action": "password_reset"}).content.decode()
    assert "重置密码" in page


def test_a_reset_ends_the_sessions_of_the_old_password(client, aw):
    client.post(reverse("accounts:login"), {"username": "county", "password": TEST_PASSWORD})
    assert client.get(reverse("clues:clue_list")).status_code == 200
    from jiandu.accounts.services import user_password_reset

    user_password_reset(actor=aw.sysadmin, user=User.objects.get(username="county"))
    response = client.get(reverse("clues:clue_list"))
    assert response.status_code == 302 and response.url.startswith(reverse("accounts:login"))


def test_user_list_filters_disabled_accounts(client, aw):
    from jiandu.accounts.services import user_disable

    user_disable(actor=aw.sysadmin, user=aw.county_user, reason="调离")
    _as(client, aw.sysadmin)
    rows = client.get(reverse("accounts:user_list"), {"status": "disabled"}).context["rows"]
    assert [row["user"].username for row in rows] == ["county"]
    rows = client.get(reverse("accounts:user_list"), {"status": "active"}).context["rows"]
    assert "county" not in {row["user"].username for row in rows}
