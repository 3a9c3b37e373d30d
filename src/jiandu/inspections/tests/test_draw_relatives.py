"""回避 of relatives: pairs derived from the comparison engine's datasets (亲属关系 either
way, 同户) and the registry's posts, used by the platform's draw."""

from __future__ import annotations

import csv
import datetime as dt
import json
from pathlib import Path

import pytest
from django.urls import reverse

from jiandu.core.crypto import search_key
from jiandu.core.idnumbers import check_char, mask
from jiandu.datacheck import files
from jiandu.datacheck.engine.datasets import DatasetStore
from jiandu.datacheck.models import DatasetVersion
from jiandu.inspections import services
from jiandu.inspections.draw import (
    SOURCE_DECLARED,
    SOURCE_HOUSEHOLD,
    SOURCE_RELATIONS,
    Team,
    TeamMember,
    check_teams,
)
from jiandu.inspections.relatives import pool_keys, relatives_with_posts
from jiandu.inspections.tests.helpers import make_round
from jiandu.people.choices import ManagementLevel
from jiandu.people.models import Person, Post

AS_OF = dt.date(2026, 10, 1)


def number(n: int) -> str:
    body = f"53010219800101{n:03d}"
    return body + check_char(body)


def write_csv(path: Path, rows: list[dict]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return path


def person_row(id_no: str, name: str, household: str) -> dict:
    return {
        "id_no": id_no,
        "name": name,
        "gender": "男",
        "birth_date": "1980-01-01",
        "region_code": "530102",
        "household_no": household,
        "relation_to_head": "",
    }


def cadre_row(id_no: str, name: str, org: str, end: str = "") -> dict:
    return {
        "id_no": id_no,
        "name": name,
        "org_name": org,
        "region_code": "530102",
        "position": "科员",
        "is_village_cadre": "false",
        "start_date": "2020-01-01",
        "end_date": end,
    }


def store_files(folder: Path, *, persons, relations, cadres) -> dict[str, Path]:
    folder.mkdir(parents=True, exist_ok=True)
    store = DatasetStore(folder / "store")
    out = {}
    for name, rows in (("persons", persons), ("relations", relations), ("cadres", cadres)):
        report = store.import_file(dataset=name, path=write_csv(folder / f"{name}.csv", rows))
        out[name] = report.path
    return out


# --- the derivation itself (no database) ------------------------------------------


def test_relatives_both_directions_household_and_current_posts(tmp_path):
    a, b, c, d, e = (number(i) for i in (11, 13, 15, 17, 19))
    paths = store_files(
        tmp_path,
        persons=[
            person_row(a, "甲", "H1"),
            person_row(b, "乙", "H1"),
            person_row(c, "丙", "H2"),
            person_row(d, "丁", "H3"),
            person_row(e, "戊", "H4"),
        ],
        # 丙's 父母 is 甲 (so 丙 is 甲's 子女); 甲's 配偶 is 丁.
        relations=[
            {"id_no": c, "relative_id_no": a, "relation": "父母"},
            {"id_no": a, "relative_id_no": d, "relation": "配偶"},
        ],
        cadres=[
            cadre_row(b, "乙", "农业局"),
            cadre_row(c, "丙", "水务局"),
            cadre_row(d, "丁", "教育局", end="2021-01-01"),
            cadre_row(e, "戊", "财政局"),
        ],
    )
    found = relatives_with_posts(pool_keys([("P1", a), ("P5", e)]), as_of=AS_OF, **paths)
    rows = {(r.person_id, r.relative_name, r.link, r.source, r.org_name) for r in found}
    assert rows == {
        ("P1", "乙", "同户人员", SOURCE_HOUSEHOLD, "农业局"),
        ("P1", "丙", "子女", SOURCE_RELATIONS, "水务局"),
        # 丁's post ended before the as-of day (and the datasets name a relative only
        # through the 户 or a post: the platform adds the registry's name).
        ("P1", "", "配偶", SOURCE_RELATIONS, ""),
    }
    # Before 丁's post ended it counts; the same files give the same list.
    early = relatives_with_posts(pool_keys([("P1", a)]), as_of=dt.date(2020, 6, 1), **paths)
    assert ("丁", "教育局") in {(r.relative_name, r.org_name) for r in early}
    assert found == relatives_with_posts(pool_keys([("P1", a), ("P5", e)]), as_of=AS_OF, **paths)
    # Without the population register, relations still count (and no household).
    only = relatives_with_posts(
        pool_keys([("P1", a)]),
        as_of=AS_OF,
        persons=None,
        relations=paths["relations"],
        cadres=paths["cadres"],
    )
    assert {(r.link, r.org_name) for r in only} == {("子女", "水务局"), ("配偶", "")}


# --- the platform's draw ------------------------------------------------------------


def give_number(person: Person, id_no: str) -> None:
    person.id_number = id_no
    person.id_search_key = search_key(id_no)
    person.id_masked = mask(id_no)
    person.save()


def import_for(org, folder: Path, actor, region: str = "530102", **rows) -> None:
    """The datasets as imported versions of ``org``'s store (as datacheck's import
    writes them), registers of ``region``."""
    store = DatasetStore(files.store_root(org.pk))
    for name, data in rows.items():
        report = store.import_file(dataset=name, path=write_csv(folder / f"{name}.csv", data))
        DatasetVersion.objects.create(
            dataset=name,
            version=report.version,
            org=org,
            region_code=region,
            file_path=files.relative_to_root(report.path),
            source_name=f"{name}.csv",
            rows_read=report.rows_read,
            uploaded_by=actor,
        )


@pytest.fixture
def data_dir(settings, tmp_path):
    settings.JIANDU_DATA_DIR = tmp_path / "jiandu-data"
    return settings.JIANDU_DATA_DIR


def teams_of(draw) -> list[Team]:
    return [
        Team(t["target"], tuple(TeamMember(m["person_id"], m["role"]) for m in t["members"]))
        for t in draw.result["teams"]
    ]


def test_relative_in_a_target_unit_is_never_drawn_into_its_team(
    rw, actor, pool, data_dir, tmp_path, client
):
    w = rw.world
    for i, person in enumerate(pool):
        give_number(person, number(100 + 2 * i))
    spouse = number(301)
    item = make_round(rw, actor)  # targets 五华区 (with 红云街道) and 市财政局
    # 干部1's spouse 李四 works in 红云街道 (干部名册); the relation row names 干部1 second.
    import_for(
        item.owner_org,
        tmp_path,
        actor,
        persons=[person_row(spouse, "李四", "H9")],
        relations=[{"id_no": spouse, "relative_id_no": number(102), "relation": "配偶"}],
        cadres=[cadre_row(spouse, "李四", "红云街道")],
    )
    for seed in range(1, 7):
        draw = services.round_draw(actor=actor, round=item, seed=seed, as_of=AS_OF)
        assert draw.feasible, draw.result
        request = services.draw_request_for(item, seed=seed, as_of=AS_OF)
        assert check_teams(request, teams_of(draw)) == []
        county = next(t for t in teams_of(draw) if t.target == str(w.county.pk))
        assert str(pool[1].pk) not in {m.person_id for m in county.members}
    assert draw.inputs["avoid"] == [
        {
            "person_id": str(pool[1].pk),
            "org_id": str(w.township.pk),
            "source": SOURCE_RELATIONS,
            "note": "配偶李四在红云街道任职",
        }
    ]
    from jiandu.core.models import AuditLog

    audit = AuditLog.objects.filter(object_id=str(draw.pk)).latest("pk")
    assert audit.changes["avoid"] == {SOURCE_RELATIONS: 1}
    stored = json.dumps([draw.inputs, draw.result, audit.changes], ensure_ascii=False)
    assert spouse not in stored and number(102) not in stored and spouse[:14] not in stored
    # The round's page says which pair came from where, in names.
    client.force_login(actor)
    page = client.get(reverse("inspections:round_detail", args=[item.pk])).content.decode()
    avoid = page[page.index('id="draw-avoid"') :]
    avoid = avoid[: avoid.index("</table>")]
    assert "干部1" in avoid and "红云街道" in avoid and SOURCE_RELATIONS in avoid
    assert "配偶李四在红云街道任职" in avoid
    assert spouse not in page and number(102) not in page


def test_infeasible_draw_says_relatives_work_there(rw, actor, pool, data_dir, tmp_path):
    w = rw.world
    for i, person in enumerate(pool):
        give_number(person, number(100 + 2 * i))
    # The leaders 干部0 (市财政局) and 干部1 (市民政局) are the only ones outside 五华区:
    # 干部0's 子女 works in 五华区 (the relation row names 干部0 first), and a member of
    # 干部1's 户 holds a registry post in 红云街道.
    child, housemate = number(303), number(305)
    relative = Person.objects.create(name="王五", registered_org=w.county)
    give_number(relative, housemate)
    Post.objects.create(
        person=relative,
        org=w.township,
        title="科员",
        management_level=ManagementLevel.GENERAL,
        start_date=dt.date(2021, 1, 1),
    )
    item = make_round(rw, actor, targets=[w.county], focus_items=None)
    services.conflict_declare(actor=actor, person=pool[4], org=w.county, reason="relative")
    import_for(
        item.owner_org,
        tmp_path,
        actor,
        persons=[
            person_row(number(102), "干部1", "H7"),
            person_row(housemate, "王五", "H7"),
            person_row(child, "赵六", "H8"),
        ],
        relations=[{"id_no": number(100), "relative_id_no": child, "relation": "子女"}],
        cadres=[cadre_row(child, "赵六", "五华区纪委监委")],
    )
    draw = services.round_draw(actor=actor, round=item, seed=3, as_of=AS_OF)
    assert not draw.feasible
    [row] = draw.result["infeasible"]
    assert row["target"] == str(w.county.pk)
    assert "没有能担任组长的人" in row["reason"]
    assert "亲属在该单位任职（比对数据 亲属关系）1人" in row["reason"]
    assert "同户亲属在该单位任职（比对数据 同户）1人" in row["reason"]
    sources = {(a["person_id"], a["source"], a["note"]) for a in draw.inputs["avoid"]}
    assert sources == {
        (str(pool[0].pk), SOURCE_RELATIONS, "子女赵六在五华区纪委监委任职"),
        (str(pool[1].pk), SOURCE_HOUSEHOLD, "同户人员王五在红云街道任职"),
        (str(pool[4].pk), SOURCE_DECLARED, "亲属在该单位任职"),
    }


def test_only_the_commissions_own_datasets_are_read(rw, actor, pool, data_dir, tmp_path):
    w = rw.world
    for i, person in enumerate(pool):
        give_number(person, number(100 + 2 * i))
    spouse = number(301)
    item = make_round(rw, actor)
    rows = dict(
        persons=[person_row(spouse, "李四", "H9")],
        relations=[{"id_no": number(102), "relative_id_no": spouse, "relation": "配偶"}],
        cadres=[cadre_row(spouse, "李四", "红云街道")],
    )
    import_for(w.other_county, tmp_path, actor, **rows)
    request = services.draw_request_for(item, seed=1, as_of=AS_OF)
    assert request.conflicts == []
    import_for(item.owner_org, tmp_path, actor, **rows)
    request = services.draw_request_for(item, seed=1, as_of=AS_OF)
    assert [(c.person_id, c.org_id, c.source) for c in request.conflicts] == [
        (str(pool[1].pk), str(w.township.pk), SOURCE_RELATIONS)
    ]


def test_a_countys_newer_register_leaves_the_citys_in_force(rw, actor, pool, data_dir, tmp_path):
    """Registers are read per region: a county's newer import (say for a comparison run)
    does not retire the city's relatives data; a newer city register does."""
    w = rw.world
    for i, person in enumerate(pool):
        give_number(person, number(100 + 2 * i))
    spouse, other, other_spouse = number(301), number(401), number(403)
    item = make_round(rw, actor)
    import_for(
        item.owner_org,
        tmp_path,
        actor,
        region="530100",
        persons=[person_row(spouse, "李四", "H9")],
        relations=[{"id_no": number(102), "relative_id_no": spouse, "relation": "配偶"}],
        cadres=[cadre_row(spouse, "李四", "红云街道")],
    )
    unrelated = dict(
        persons=[person_row(other, "周八", "H1")],
        relations=[{"id_no": other, "relative_id_no": other_spouse, "relation": "配偶"}],
        cadres=[cadre_row(other_spouse, "吴九", "红云街道")],
    )
    import_for(item.owner_org, tmp_path, actor, region="530102", **unrelated)
    request = services.draw_request_for(item, seed=1, as_of=AS_OF)
    assert [(c.person_id, c.org_id, c.source, c.note) for c in request.conflicts] == [
        (str(pool[1].pk), str(w.township.pk), SOURCE_RELATIONS, "配偶李四在红云街道任职")
    ]
    # A newer register of the whole city is the truth for all of it.
    import_for(item.owner_org, tmp_path, actor, region="530100", **unrelated)
    assert services.draw_request_for(item, seed=1, as_of=AS_OF).conflicts == []
    draw = services.round_draw(actor=actor, round=item, seed=1, as_of=AS_OF)
    from jiandu.core.models import AuditLog

    audit = AuditLog.objects.filter(object_id=str(draw.pk)).latest("pk")
    latest = DatasetVersion.objects.filter(org=item.owner_org, dataset="relations").latest("pk")
    assert audit.changes["avoid_data"]["datasets"]["relations"] == [latest.pk]
