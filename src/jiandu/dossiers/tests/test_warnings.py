"""预黑预警: an open 立案审查 clue, a yellow dot then a new clue within the window, and a
yellow dot on a unit 交办 to its 派驻组. The rules are settings and show their evidence."""

import datetime as dt
import io
import json

import pytest
from django.core.management import call_command
from django.urls import reverse

from jiandu.clues.choices import ClueSource
from jiandu.clues.services import clue_create
from jiandu.dossiers import selectors, services
from jiandu.dossiers.choices import ItemKind
from jiandu.dossiers.models import DossierItem
from jiandu.oversight.models import Problem

D = dt.date
pytestmark = pytest.mark.django_db


def yellow(dw, person, on):
    return DossierItem.objects.create(person=person, kind=ItemKind.POLICE_RECORD, occurred_on=on,
                                      title="酒后驾驶", source_body="市公安局",
                                      created_by=dw.stats)  # fmt: skip


def test_yellow_then_a_new_clue_within_the_window(dw, settings):
    yellow(dw, dw.wang, D(2025, 3, 1))
    clue_create(actor=dw.rw.world.users["city"], source=ClueSource.PETITION, title="再次反映王强",
                received_date=D(2025, 9, 1), handling_org=dw.rw.world.city,
                subject_people=[dw.wang])  # fmt: skip
    d = selectors.person_dossier(dw.wang, as_of=D(2025, 10, 1))
    assert any("酒后驾驶" in w and "再次反映王强" in w for w in d.warnings)
    before = selectors.person_dossier(dw.wang, as_of=D(2025, 8, 31))
    assert not before.warnings
    settings.JIANDU_DOSSIER_PRE_BLACK = dict(settings.JIANDU_DOSSIER_PRE_BLACK,
                                             yellow_then_clue_days=90)  # fmt: skip
    assert not selectors.person_dossier(dw.wang, as_of=D(2025, 10, 1)).warnings


def test_flags_list_names_the_supervising_body(dw, client):
    flags = selectors.pre_black_flags(user=dw.stats, as_of=D(2018, 5, 1))
    assert [f.person.name for f in flags] == ["张明"]
    assert [o.name for o in flags[0].supervisors] == ["派驻第一纪检监察组"]
    out = io.StringIO()
    call_command("dossier", "warnings", "--user", dw.stats.username, "--date", "2018-05-01",
                 "--json", stdout=out)  # fmt: skip
    body = json.loads(out.getvalue())
    assert body["flags"][0]["person"] == "张明" and "立案审查" in body["flags"][0]["warnings"][0]
    client.force_login(dw.stats)
    assert client.get(reverse("dossiers:warnings")).status_code == 200


def test_case_review_rule_can_be_switched_off(dw, settings):
    settings.JIANDU_DOSSIER_PRE_BLACK = dict(settings.JIANDU_DOSSIER_PRE_BLACK,
                                             open_case_review=False)  # fmt: skip
    assert not selectors.person_dossier(dw.zhang, as_of=D(2018, 5, 1)).warnings


def test_a_yellow_dot_on_a_unit_is_assigned_to_its_stationed_group(dw, settings):
    unit = dw.rw.world.unit_a
    services.dossier_items_create(actor=dw.stats, items=[
        {"org": unit, "kind": ItemKind.AUDIT_FINDING, "occurred_on": D(2026, 1, 10),
         "title": "单位食堂违规接待", "source_body": "市审计局"},
        {"org": unit, "kind": ItemKind.COMMENDATION, "occurred_on": D(2026, 1, 11),
         "title": "文明单位", "source_body": "市文明办"},
    ])  # fmt: skip
    problem = Problem.objects.get()
    assert problem.org == unit and problem.supervising_org == dw.rw.world.group1
    assert problem.source.key == "dossier" and "食堂" in problem.description
    assert problem.origin_type == "dossiers.dossieritem"
    # the problem is the item's dot, not a second one
    d = selectors.org_dossier(unit, as_of=D(2026, 2, 1))
    assert sorted(x.colour for x in d.dots) == ["red", "yellow"]
    settings.JIANDU_DOSSIER_PRE_BLACK = dict(settings.JIANDU_DOSSIER_PRE_BLACK,
                                             unit_yellow_assign=False)  # fmt: skip
    services.dossier_items_create(actor=dw.stats, items=[
        {"org": unit, "kind": ItemKind.AUDIT_FINDING, "occurred_on": D(2026, 1, 12),
         "title": "另一问题", "source_body": "市审计局"}])  # fmt: skip
    assert Problem.objects.count() == 1


def test_the_assigned_problem_links_back_to_the_unit_dossier(dw):
    from django.urls import reverse

    from jiandu.oversight.origins import origin_link

    unit = dw.rw.world.unit_a
    services.dossier_items_create(actor=dw.stats, items=[
        {"org": unit, "kind": ItemKind.AUDIT_FINDING, "occurred_on": D(2026, 1, 10),
         "title": "单位食堂违规接待", "source_body": "市审计局"},
    ])  # fmt: skip
    problem = Problem.objects.get()
    link = origin_link(dw.stats, problem.origin_type, problem.origin_id)
    assert link.url == reverse("dossiers:org", args=[unit.pk])
    assert "政治生态档案黄点" in link.label and "审计发现问题" in link.label
    assert origin_link(dw.county_user, problem.origin_type, problem.origin_id) is None
