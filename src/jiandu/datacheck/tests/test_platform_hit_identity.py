"""Hits have an identity across runs (rule + subject + programme + period, + what the
rule declares): a re-run links what it finds again to the earlier hit and carries its
verification and clue (仍存在), marks what is new (新发现) and what it no longer finds
(已消失); one person's hits under one rule are shown, assigned and excluded together."""

import pytest
from django.urls import reverse

from jiandu.core.choices import AuditAction
from jiandu.core.models import AuditLog
from jiandu.datacheck.choices import HitAction, HitPresence, HitStatus
from jiandu.datacheck.lifecycle import HitTransitionError
from jiandu.datacheck.models import Hit
from jiandu.datacheck.services import (
    hit_assign,
    hit_confirm,
    hit_convert,
    hits_assign,
    hits_exclude,
    run_start,
)

from .platform_data import (
    P_PANLONG,
    P_WUHUA,
    PANLONG,
    WUHUA,
    import_files,
    payment,
    small_run,
    write_csv,
)

pytest_plugins = ["jiandu.datacheck.tests.platform_support"]

DEATHS = [
    {"id_no": P_WUHUA, "name": "张三", "death_date": "2024-03-10", "source": "公安注销"},
    {"id_no": P_PANLONG, "name": "李四", "death_date": "2024-03-20", "source": "民政殡葬"},
]


def _run(dc, tag, periods_wuhua, periods_panlong=("2024-04",)):
    """R01 over payments to 五华's person for ``periods_wuhua`` and 盘龙's for
    ``periods_panlong`` (both died in March 2024)."""
    folder = dc.tmp / tag
    payments = [payment(f"W{i}", P_WUHUA, p, WUHUA) for i, p in enumerate(periods_wuhua)] + [
        payment(f"L{i}", P_PANLONG, p, PANLONG) for i, p in enumerate(periods_panlong)
    ]
    paths = {
        "payments": write_csv(folder / "payments.csv", payments),
        "deaths": write_csv(folder / "deaths.csv", DEATHS),
    }
    versions = import_files(dc.city_data, paths, "530100")
    return run_start(actor=dc.city_data, rules=["R01"], versions=versions, region_code="530100")


def _hit(run, period, region=WUHUA):
    return Hit.objects.get(run=run, period=period, region_code__startswith=region)


def test_a_rerun_links_found_hits_and_keeps_verification_and_clue(dc, client):
    first = small_run(dc)
    april = _hit(first, "2024-04")
    april = hit_assign(actor=dc.city_data, hit=april, handling_org=dc.world.county)
    april = hit_confirm(actor=dc.city_data, hit=april, reason="核实属实")
    april = hit_convert(actor=dc.city_data, hit=april)
    may = hit_assign(actor=dc.city_data, hit=_hit(first, "2024-05"), handling_org=dc.world.county)

    second = small_run(dc)
    again = _hit(second, "2024-04")
    assert again.previous_id == april.pk and again.presence == HitPresence.STILL
    assert again.identity_key == april.identity_key != ""
    assert (again.status, again.handling_org, again.decision_reason, again.clue_id) == (
        HitStatus.CONVERTED,
        dc.world.county,
        "核实属实",
        april.clue_id,
    )
    assert _hit(second, "2024-05").status == HitStatus.ASSIGNED
    assert _hit(second, "2024-04", PANLONG).status == HitStatus.PENDING
    assert set(Hit.objects.filter(run=second).values_list("presence", flat=True)) == {
        HitPresence.STILL
    }
    assert not Hit.objects.filter(run=first, is_current=True).exists()
    assert second.summary["presence"] == {"new": 0, "still": 3, "gone": 0}
    # the carried verification is on the new hit's timeline, with the earlier steps
    assert again.events.get().action == HitAction.CARRY
    client.force_login(dc.city_data)
    page = client.get(reverse("datacheck:hit_detail", args=[again.pk]))
    titles = [e["title"] for e in page.context["events"]]
    assert titles[:3] == ["分派核查至五华区纪委监委", "确认问题", titles[2]]
    assert any(t.startswith("转为问题线索") for t in titles)
    # verification continues on the latest finding only
    with pytest.raises(HitTransitionError, match="再次发现"):
        hit_confirm(actor=dc.city_data, hit=may)
    old_page = client.get(reverse("datacheck:hit_detail", args=[may.pk]))
    assert old_page.context["actions"] == []
    assert old_page.context["successor"] == _hit(second, "2024-05")
    # the list across runs shows each identity once: the latest finding
    rows = client.get(reverse("datacheck:hit_list")).context["rows"]
    assert sorted(r["hit"].pk for r in rows) == sorted(
        Hit.objects.filter(run=second).values_list("pk", flat=True)
    )
    api = client.get("/api/v1/datacheck/hits").json()["items"]
    assert {(h["id"], h["presence"], h["is_current"]) for h in api} == {
        (h.pk, "still", True) for h in Hit.objects.filter(run=second)
    }
    assert {h["previous_id"] for h in api} == set(
        Hit.objects.filter(run=first).values_list("pk", flat=True)
    )


def test_new_and_disappeared_hits_are_marked(dc, client):
    first = _run(dc, "a", ["2024-04", "2024-05"])
    may = _hit(first, "2024-05")
    second = _run(dc, "b", ["2024-04", "2024-06"])
    assert _hit(second, "2024-04").presence == HitPresence.STILL
    assert _hit(second, "2024-06").presence == HitPresence.NEW
    may.refresh_from_db()
    assert may.gone_in_run == second and may.is_current and may.presence_label == "已消失"
    assert second.summary["presence"] == {"new": 1, "still": 2, "gone": 1}
    client.force_login(dc.city_data)
    url = reverse("datacheck:run_detail", args=[second.pk])
    assert client.get(url).context["presence"] == {"new": 1, "still": 2, "gone": 1}
    gone = client.get(url, {"presence": "gone"}).context["rows"]
    assert [r["hit"].pk for r in gone] == [may.pk]
    new = client.get(url, {"presence": "new"}).context["rows"]
    assert [r["hit"].period for r in new] == ["2024-06"]
    assert "已消失" in client.get(reverse("datacheck:hit_list")).content.decode()


def test_one_persons_hits_are_grouped_assigned_and_excluded_together(dc, client):
    run = _run(dc, "g", ["2024-04", "2024-05", "2024-06"])
    first = _hit(run, "2024-04")
    client.force_login(dc.city_data)
    groups = client.get(reverse("datacheck:hit_list"), {"view": "groups"}).context["rows"]
    mine = next(r["group"] for r in groups if r["hit"].subject == P_WUHUA)
    assert (mine.count, mine.periods) == (3, ["2024-04", "2024-05", "2024-06"])
    group_url = reverse("datacheck:hit_group", args=[first.pk])
    page = client.get(group_url)
    assert [r["hit"].period for r in page.context["rows"]] == ["2024-04", "2024-05", "2024-06"]
    ids = [str(r["hit"].pk) for r in page.context["rows"]]

    before = AuditLog.objects.count()
    response = client.post(
        group_url, {"action": "assign", "hits": ids, "handling_org": dc.world.county.pk}
    )
    assert response.status_code == 302
    hits = list(Hit.objects.filter(run=run, region_code__startswith=WUHUA))
    assert {(h.status, h.handling_org_id) for h in hits} == {
        (HitStatus.ASSIGNED, dc.world.county.pk)
    }
    assert all(h.events.get().action == HitAction.ASSIGN for h in hits)
    batch = AuditLog.objects.get(summary="批量分派核查：疑点3条")
    assert sorted(batch.changes["hits"]) == sorted(h.pk for h in hits)
    assert AuditLog.objects.count() == before + 4  # one per hit and one for the batch
    groups = client.get(reverse("datacheck:hit_list"), {"view": "groups"}).context["rows"]
    mine = next(r["group"] for r in groups if r["hit"].subject == P_WUHUA)
    assert (mine.statuses, mine.handling_orgs) == ({"assigned": 3}, [dc.world.county.name])

    # the county verifies what was assigned to it: exclude two with one reason
    client.force_login(dc.county_data)
    page = client.get(group_url)
    assert len(page.context["rows"]) == 3
    refused = client.post(group_url, {"action": "exclude", "hits": ids[:2], "reason": " "})
    assert refused.status_code == 422
    assert not Hit.objects.filter(status=HitStatus.EXCLUDED).exists()
    response = client.post(
        group_url, {"action": "exclude", "hits": ids[:2], "reason": "系同名人员，已核实"}
    )
    assert response.status_code == 302
    excluded = Hit.objects.filter(status=HitStatus.EXCLUDED).order_by("period")
    assert [(h.period, h.decision_reason) for h in excluded] == [
        ("2024-04", "系同名人员，已核实"),
        ("2024-05", "系同名人员，已核实"),
    ]
    assert AuditLog.objects.filter(
        action=AuditAction.TRANSITION, summary="批量排除疑点：疑点2条", actor=dc.county_data
    ).exists()


def test_a_bulk_move_is_all_or_nothing(dc):
    run = _run(dc, "h", ["2024-04", "2024-05"])
    april, may = _hit(run, "2024-04"), _hit(run, "2024-05")
    hit_assign(actor=dc.city_data, hit=april, handling_org=dc.world.county)
    with pytest.raises(HitTransitionError, match=f"疑点#{may.pk}"):
        hits_exclude(actor=dc.city_data, hits=[april, may], reason="无问题")
    april.refresh_from_db()
    assert april.status == HitStatus.ASSIGNED and april.decision_reason == ""
    assert not AuditLog.objects.filter(summary__startswith="批量").exists()
    with pytest.raises(Exception, match="请选择核查单位"):
        hits_assign(actor=dc.city_data, hits=[may], handling_org=None)


def test_a_group_is_scoped_like_its_hits(dc, client):
    run = _run(dc, "s", ["2024-04", "2024-05"])
    april, may = _hit(run, "2024-04"), _hit(run, "2024-05")
    group_url = reverse("datacheck:hit_group", args=[april.pk])
    client.force_login(dc.county_data)
    assert client.get(group_url).status_code == 404  # nothing assigned to the county yet
    hit_assign(actor=dc.city_data, hit=april, handling_org=dc.world.county)
    page = client.get(group_url)
    assert [r["hit"].pk for r in page.context["rows"]] == [april.pk]
    # a hit the county cannot see is not a choice: nothing happens to it
    response = client.post(group_url, {"action": "assign", "hits": [str(may.pk)],
                                       "handling_org": dc.world.county.pk})  # fmt: skip
    assert response.status_code == 422
    may.refresh_from_db()
    assert may.status == HitStatus.PENDING
    client.force_login(dc.outsider)
    assert client.get(group_url).status_code == 404
    assert client.post(group_url, {"action": "exclude"}).status_code == 404


def test_the_migration_links_hits_stored_before_identities(dc):
    """Hits stored before identities existed get them, and later runs' hits point to
    the earlier ones, each keeping its own verification."""
    import importlib

    from django.apps import apps

    migration = importlib.import_module("jiandu.datacheck.migrations.0002_hit_identity")
    first = small_run(dc)
    april = hit_assign(actor=dc.city_data, hit=_hit(first, "2024-04"), handling_org=dc.world.county)
    second = small_run(dc)
    # as stored before the migration: no identity, nothing linked, everything current
    Hit.objects.update(identity_key="", previous=None, presence=HitPresence.NEW, is_current=True)
    Hit.objects.filter(run=second).update(status=HitStatus.PENDING, handling_org=None)
    migration.link_existing_hits(apps, None)
    again = _hit(second, "2024-04")
    assert again.previous_id == april.pk and again.presence == HitPresence.STILL
    assert again.identity_key == Hit.objects.get(pk=april.pk).identity_key != ""
    assert set(Hit.objects.filter(run=first).values_list("is_current", flat=True)) == {False}
    assert set(Hit.objects.filter(run=second).values_list("is_current", flat=True)) == {True}
    assert Hit.objects.get(pk=april.pk).status == HitStatus.ASSIGNED
