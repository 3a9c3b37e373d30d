"""Snapshots are frozen: no update, no delete. Closing a month again needs a reason and
makes the next version; the earlier one stays exactly as it was, and viewable."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from jiandu.boards.models import BoardSnapshot
from jiandu.boards.services import board_close


def _received(snapshot, org):
    period = snapshot.data["result"]["months"][-1]
    row = next(r for r in period["units"] if r["unit"] == str(org.pk))
    return row["cells"]["clues_received"]["value"]


def test_snapshots_cannot_be_changed_or_deleted(bw):
    snapshot = board_close(
        actor=bw.users["city"], board=bw.counties_board, month="2020-02"
    ).snapshot
    snapshot.reason = "改一下"
    with pytest.raises(PermissionError):
        snapshot.save()
    with pytest.raises(PermissionError):
        snapshot.delete()
    with pytest.raises(PermissionError):
        BoardSnapshot.objects.filter(pk=snapshot.pk).update(reason="改一下")
    with pytest.raises(PermissionError):
        BoardSnapshot.objects.filter(pk=snapshot.pk).delete()
    assert BoardSnapshot.objects.get(pk=snapshot.pk).reason == ""


def test_recomputing_makes_version_two_and_keeps_version_one(bw, client):
    county = bw.world.county
    bw.receive(county, 2, 2)
    first = board_close(actor=bw.users["city"], board=bw.counties_board, month="2020-02").snapshot
    bw.receive(county, 2, 3)  # late entries for February

    with pytest.raises(ValidationError, match="已结账（第1版），重新计算须填写原因"):
        board_close(actor=bw.users["city"], board=bw.counties_board, month="2020-02")

    second = board_close(
        actor=bw.users["city"],
        board=bw.counties_board,
        month="2020-02",
        reason="补录2月线索后重新计算",
    ).snapshot
    assert (second.version, second.reason) == (2, "补录2月线索后重新计算")
    assert _received(second, county) == 5
    first.refresh_from_db()
    assert first.version == 1 and _received(first, county) == 2

    client.force_login(bw.users["city"])
    url = reverse("boards:board_detail", args=[bw.counties_board.pk])
    latest = client.get(url, {"month": "2020-02"}).content.decode()
    assert "第2版" in latest and "补录2月线索后重新计算" in latest
    old = client.get(url, {"month": "2020-02", "version": "1"}).content.decode()
    assert "第1版" in old
    assert 'id="pick-version"' in old
    cell = reverse("boards:cell_detail", args=[bw.counties_board.pk, first.pk])
    assert cell in old
