"""The demo's draws avoid the relatives its 比对数据 name (demo.inspections._pool_relatives)."""

from __future__ import annotations

import pytest

from jiandu.datacheck.models import DatasetVersion
from jiandu.inspections.draw import SOURCE_HOUSEHOLD, SOURCE_RELATIONS
from jiandu.inspections.models import InspectionRound

pytestmark = pytest.mark.django_db


def test_demo_draws_avoid_relatives_from_the_comparison_data(small_demo):
    rounds = InspectionRound.objects.order_by("starts_on")
    owner = rounds[0].owner_org
    assert {v.dataset for v in DatasetVersion.objects.filter(org=owner)} >= {
        "persons",
        "relations",
        "cadres",
    }
    derived = []
    for item in rounds:
        draw = item.draws.get(adopted=True)
        teams = {t["target"]: {m["person_id"] for m in t["members"]} for t in draw.result["teams"]}
        for pair in draw.inputs["avoid"]:
            if pair["source"] in (SOURCE_RELATIONS, SOURCE_HOUSEHOLD):
                derived.append(pair)
                assert pair["person_id"] not in teams.get(pair["org_id"], set())
                assert "在" in pair["note"] and "任职" in pair["note"]
    assert {p["source"] for p in derived} == {SOURCE_RELATIONS, SOURCE_HOUSEHOLD}
    assert len(derived) == 6


def test_redraw_after_the_comparison_demo_still_avoids_the_relatives(
    small_demo, small_demo_built, settings, tmp_path, client
):
    """The comparison demo (run after the draws by ``jiandu demo``) imports 东川区's
    registers as newer versions of the same datasets: the city's relatives data stays in
    force for the rest of the city, so a redraw on the round page still avoids them."""
    import shutil

    from django.urls import reverse

    from jiandu.accounts.models import User
    from jiandu.datacheck.demo import build_datacheck_demo
    from jiandu.inspections.choices import RoundStage

    settings.JIANDU_DATA_DIR = tmp_path / "jiandu-data"
    shutil.copytree(small_demo_built.data_dir, settings.JIANDU_DATA_DIR)
    build_datacheck_demo(actor=User.objects.get(username="data"), persons=300)
    item = InspectionRound.objects.order_by("starts_on").first()
    owner = item.owner_org
    newest = DatasetVersion.objects.filter(org=owner, dataset="relations").latest("created_at")
    assert newest.region_code == "530113"  # the comparison demo's is the newest version

    InspectionRound.objects.filter(pk=item.pk).update(stage=RoundStage.PREPARING)
    client.force_login(User.objects.get(username="xuncha"))
    response = client.post(reverse("inspections:round_draw", args=[item.pk]), {"seed": "7"})
    assert response.status_code == 302
    draw = item.draws.order_by("-pk").first()
    assert draw.seed == 7
    derived = [
        p for p in draw.inputs["avoid"] if p["source"] in (SOURCE_RELATIONS, SOURCE_HOUSEHOLD)
    ]
    assert len(derived) == 2, draw.inputs["avoid"]
    page = client.get(reverse("inspections:round_detail", args=[item.pk])).content.decode()
    avoid = page[page.index('id="draw-avoid"') :]
    avoid = avoid[: avoid.index("</table>")]
    assert SOURCE_RELATIONS in avoid or SOURCE_HOUSEHOLD in avoid
    for pair in derived:
        assert pair["note"] in avoid
