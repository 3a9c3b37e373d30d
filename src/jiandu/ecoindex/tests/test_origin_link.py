"""The problem an index warning opened links back to the warning (“问题来源”), through the
rectification loop's origin registry (the loop does not import the index), for viewers
who may see the warning only."""

import pytest
from django.test import Client
from django.urls import reverse

from jiandu.accounts import roles as r
from jiandu.ecoindex.close import index_close
from jiandu.ecoindex.tests.conftest import report_all
from jiandu.ecoindex.tests.test_close import units, yellow
from jiandu.oversight.origins import origin_link
from jiandu.testing import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def warned(world):
    city = world.users["city"]
    report_all(actor=city, month="2026-09", orgs=units(world), overrides=yellow(world))
    [warning] = index_close(actor=city, month="2026-09").warnings
    return world, warning


def page(user, problem) -> str:
    client = Client()
    client.force_login(user)
    response = client.get(reverse("oversight:problem_detail", args=[problem.pk]))
    assert response.status_code == 200
    return response.content.decode()


def test_the_problem_page_links_to_the_index_warning(warned):
    world, warning = warned
    html = page(world.users["city"], warning.problem)
    url = f"{reverse('ecoindex:warning_list')}#eco-warning-{warning.pk}"
    assert f'href="{url}"' in html
    assert f"政治生态指数预警 {warning.number}" in html and "2026年9月·黄色" in html
    listing = Client()
    listing.force_login(world.users["city"])
    assert f'id="eco-warning-{warning.pk}"' in listing.get(url).content.decode()


def test_no_link_for_a_viewer_who_may_not_see_the_index(warned):
    world, warning = warned
    rectifier = make_user("rectifier", world.city, r.ROLE_RECTIFICATION)
    assert not rectifier.has_perm("ecoindex.view_indextree")
    html = page(rectifier, warning.problem)
    assert "eco-warning-" not in html and "政治生态指数预警" not in html


def test_the_registry_resolves_nothing_unknown_or_out_of_reach(warned):
    world, warning = warned
    assert origin_link(world.users["city"], "", None) is None
    assert origin_link(world.users["city"], "no.such", 1) is None
    assert origin_link(world.users["city"], "ecoindex.ecowarning", warning.pk + 999) is None
