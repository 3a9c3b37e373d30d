"""The sidebar is kept per process per permission set (core.context_processors): a role
or permission given or taken away shows on the next page, each page lights its own
entry, and two users with the same roles each see their own page lit."""

from __future__ import annotations

from django.contrib.auth.models import Group, Permission
from django.test import Client
from django.urls import reverse

from jiandu.accounts import roles

CLUES = '<a class="nav-link" href="/clues/clues/">问题线索</a>'
CLUES_LIT = '<a class="nav-link is-active" href="/clues/clues/" aria-current="page">问题线索</a>'


def _sidebar(client, url="/"):
    html = client.get(url).content.decode()
    return html[html.index('<nav id="sidebar"') : html.index("</nav>", html.index('id="sidebar"'))]


def test_a_role_given_or_taken_shows_on_the_next_page(client, world):
    auditor = world.users["auditor"]
    client.force_login(auditor)
    assert "/clues/clues/" not in _sidebar(client)
    group = Group.objects.get(name=roles.ROLE_CLUES)
    auditor.groups.add(group)
    assert CLUES in _sidebar(client)
    auditor.groups.remove(group)
    assert "/clues/clues/" not in _sidebar(client)
    # A permission given to the user directly, and one given to the role they hold.
    auditor.user_permissions.add(Permission.objects.get(codename="view_clue"))
    assert CLUES in _sidebar(client)
    auditor.user_permissions.clear()
    audit = Group.objects.get(name=roles.ROLE_AUDIT_ADMIN)
    audit.permissions.add(Permission.objects.get(codename="view_clue"))
    assert CLUES in _sidebar(client)
    audit.permissions.remove(Permission.objects.get(codename="view_clue"))
    assert "/clues/clues/" not in _sidebar(client)


def test_each_page_lights_its_own_entry_for_users_of_the_same_roles(world):
    from jiandu.testing import make_user

    first = Client()
    first.force_login(world.users["county"])
    second = Client()
    same_roles = [g.name for g in world.users["county"].groups.all()]
    second.force_login(make_user("county-2", world.county, *same_roles))
    listing = _sidebar(first, reverse("clues:clue_list"))
    assert CLUES_LIT in listing and listing.count("is-active") == 1
    assert listing.count('aria-current="page"') == 1
    other = _sidebar(second, reverse("clues:petition_list"))
    assert CLUES in other and CLUES_LIT not in other and other.count("is-active") == 1
    # The workbench lists the same entries as data.
    entries = first.get("/").context["nav_sections"]
    labels = [item["label"] for section in entries for item in section["items"]]
    assert "问题线索" in labels and labels.index("信访举报") < labels.index("问题线索")
