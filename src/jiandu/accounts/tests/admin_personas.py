"""The three administrators (三员分立) on the standard test world, and a lock-out made
the way a user makes one: failed sign-ins."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.test import Client
from django.urls import reverse

from jiandu.accounts import roles as r
from jiandu.accounts.models import User
from jiandu.testing import World, build_world, make_user, role_group


@dataclass
class AdminWorld:
    world: World
    sysadmin: User
    secadmin: User
    auditor: User
    county_user: User


def build_admin_world() -> AdminWorld:
    world = build_world()
    for name in r.ROLE_PERMISSIONS:
        role_group(name)
    secadmin = make_user("secadmin", world.city, r.ROLE_SECURITY_ADMIN, full_name="钱安")
    return AdminWorld(
        world=world,
        sysadmin=world.users["sysadmin"],
        secadmin=secadmin,
        auditor=world.users["auditor"],
        county_user=world.users["county"],
    )


def lock_out(username: str) -> None:
    """Fail to sign in as ``username`` until the lock-out."""
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("accounts:login"), {"username": username, "password": "wrong-Pw-1"})
