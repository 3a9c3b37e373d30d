"""The page that writes a new version of the indicator tree: a copy of the current one
edited, checked by the calculator's rules (errors name the node key and the field),
applied from a month on while closed months keep their version; for the users who may
close (the whole city in view); audited."""

import pytest
from django.test import Client
from django.urls import reverse

from jiandu.accounts import roles as r
from jiandu.core.models import AuditLog
from jiandu.ecoindex import services
from jiandu.ecoindex.close import index_close, tree_for_month
from jiandu.ecoindex.forms import rows_of
from jiandu.ecoindex.models import IndexNode, IndexTree
from jiandu.ecoindex.tests.conftest import report_all
from jiandu.ecoindex.tests.test_close import units
from jiandu.testing import make_user

pytestmark = pytest.mark.django_db
URL = "/ecoindex/tree/new/"


@pytest.fixture
def stats(world):
    return make_user("stats", world.city, r.ROLE_STATISTICS)


def login(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def copy_post(**changes):
    """What the page posts when nothing is touched, with ``changes`` on top."""
    document = services.tree_document(IndexTree.objects.get(version=1))
    data = {"effective_from": "2026-11", "reason": "年度调整", "missing": "reweight",
            "regreen_months": "2", "band_green": "85", "band_yellow": "70",
            "band_orange": "60"}  # fmt: skip
    for row in rows_of(document):
        if row["level"]:
            data[f"n-{row['key']}-weight"] = str(row["weight"])
        if row["leaf"]:
            for name in ("method", "direction", "points", "floor", "breakpoints"):
                value = row[name]
                data[f"n-{row['key']}-{name}"] = "" if value is None else str(value)
    data.update(changes)
    return document, data


def leaves(document):
    return [row for row in rows_of(document) if row["leaf"]]


def test_the_page_shows_a_copy_of_the_current_tree(world, stats):
    page = login(stats).get(URL)
    html = page.content.decode()
    assert page.status_code == 200
    assert html.count('name="n-') >= 46 * 6 and "建立新版本" in html
    tree_page = login(stats).get(reverse("ecoindex:tree")).content.decode()
    assert f'href="{URL}"' in tree_page


def test_a_new_version_from_a_month_on_with_every_kind_of_edit(world, stats):
    city = world.users["city"]
    report_all(actor=city, month="2026-09", orgs=units(world))
    index_close(actor=city, month="2026-09")
    document, data = copy_post()
    first, second, third = leaves(document)[:3]
    dimension = document["tree"]["children"][0]["key"]
    data.update({
        f"n-{dimension}-weight": "30",
        f"n-{first['key']}-method": "deduction", f"n-{first['key']}-points": "12.5",
        f"n-{first['key']}-floor": "20",
        f"n-{second['key']}-method": "thresholds",
        f"n-{second['key']}-breakpoints": "0:100, 5:60，10：0",
        f"n-{third['key']}-remove": "1",
        "new-0-parent": document["tree"]["children"][0]["children"][0]["key"],
        "new-0-key": "study_sessions", "new-0-name": "理论学习中心组学习次数", "new-0-weight": "2",
        "new-0-method": "minmax", "new-0-direction": "higher", "new-0-source": "reported",
        "new-0-department": "县委宣传部", "new-0-unit": "次", "new-0-definition": "当月次数",
        "missing": "zero", "regreen_months": "3", "band_green": "90",
    })  # fmt: skip
    response = login(stats).post(URL, data)
    assert response.status_code == 302, response.content.decode()[-3000:]
    tree = IndexTree.objects.get(version=2)
    assert tree.effective_from == "2026-11" and tree.reason == "年度调整"
    assert (tree.missing, tree.regreen_months) == ("zero", 3)
    assert tree.bands[0] == {"colour": "green", "min": 90} and tree.bands[-1]["min"] is None
    nodes = {n.key: n for n in IndexNode.objects.filter(tree=tree)}
    assert nodes[dimension].weight == 30
    assert (nodes[first["key"]].method, nodes[first["key"]].points, nodes[first["key"]].floor) \
        == ("deduction", 12.5, 20)  # fmt: skip
    assert nodes[second["key"]].breakpoints == [[0, 100], [5, 60], [10, 0]]
    assert third["key"] not in nodes
    new = nodes["study_sessions"]
    assert (new.source, new.department, new.level, new.parent.key) == (
        "reported",
        "县委宣传部",
        3,
        data["new-0-parent"],
    )
    rules = tree.rules()
    assert rules.tree.weight > 0 and len(rules.tree.leaves()) == 46
    # the month already closed keeps its version, the new one applies from November
    assert tree_for_month("2026-10").version == 1 and tree_for_month("2026-11").version == 2
    again = index_close(actor=city, month="2026-09", reason="补报数据")
    assert again.snapshot.tree.version == 1
    assert AuditLog.objects.filter(object_type="ecoindex.indextree", object_id=str(tree.pk),
                                   actor=stats).exists()  # fmt: skip


def test_errors_name_the_node_and_the_field_and_nothing_is_made(world, stats):
    document, data = copy_post()
    first, second = leaves(document)[:2]
    dimension = document["tree"]["children"][1]["key"]
    data.update({
        f"n-{dimension}-weight": "0",
        f"n-{first['key']}-method": "deduction", f"n-{first['key']}-points": "很多",
        f"n-{second['key']}-method": "thresholds", f"n-{second['key']}-breakpoints": "0-100",
        "band_yellow": "95",
    })  # fmt: skip
    response = login(stats).post(URL, data)
    html = response.content.decode()
    assert response.status_code == 200
    assert f"“{dimension}”：weight（权重）应大于0" in html
    assert f"“{first['key']}”：points应为数字" in html
    assert f"“{second['key']}”：breakpoints 应写成" in html
    assert not IndexTree.objects.filter(version=2).exists()
    response = login(stats).post(URL, copy_post(**{"band_yellow": "95"})[1])
    assert "不低于上一档" in response.content.decode()
    # the same month twice
    assert login(stats).post(URL, copy_post()[1]).status_code == 302
    again = login(stats).post(URL, copy_post()[1])
    assert "已有从2026年11月起适用的版本" in again.content.decode()


def test_only_users_who_may_close_for_the_whole_city(world, stats):
    viewer = make_user("viewer", world.city, r.ROLE_LEADER)
    assert login(viewer).get(URL).status_code == 403
    county = make_user("county-stats", world.county, r.ROLE_STATISTICS)
    assert login(county).get(URL).status_code == 403
    assert login(county).post(URL, copy_post()[1]).status_code == 403
    assert not IndexTree.objects.filter(version=2).exists()
