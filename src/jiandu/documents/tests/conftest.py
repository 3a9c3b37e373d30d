import datetime as dt

import pytest
from django.contrib.auth.models import Permission

from jiandu.core.deadlines import calendar_import
from jiandu.oversight.models import ProblemCategory, ProblemSource
from jiandu.oversight.services import problem_create
from jiandu.testing import make_user


def grant(user, *dotted):
    for name in dotted:
        app_label, codename = name.split(".")
        user.user_permissions.add(
            Permission.objects.get(content_type__app_label=app_label, codename=codename)
        )
    for attr in ("_perm_cache", "_user_perm_cache"):
        if hasattr(user, attr):
            delattr(user, attr)
    return user


@pytest.fixture
def problem(world):
    """A problem of 市财政局 supervised by 派驻第一纪检监察组, due on the calendar."""
    calendar_import(
        actor=world.users["city"],
        rows=[["2026-10-01", "休"], ["2026-10-02", "休"], ["2026-10-05", "休"]],
    )
    supervisor = grant(world.users["group"], "oversight.accept_rectification")
    return problem_create(
        actor=supervisor,
        org=world.unit_a,
        description="惠民资金发放台账不全",
        category=ProblemCategory.objects.get(name="惠民资金管理"),
        source=ProblemSource.objects.get(key="supervision"),
        found_on=dt.date(2026, 9, 1),
        supervising_org=world.group1,
    )


@pytest.fixture
def unit_staff(world):
    return make_user("caizheng", world.unit_a)
