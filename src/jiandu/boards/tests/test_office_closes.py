"""The 党风政风监督室 acts for its commission (ADR 0009): it sees and closes the boards
the commission owns, on the page and with ``jiandu board close --user``; a warned unit's
officer signs its warning."""

import io

from django.core.management import call_command
from django.urls import reverse

from jiandu.boards.models import BoardSnapshot
from jiandu.testing import build_role_world


def test_the_conduct_room_sees_and_closes_the_commissions_board(bw, client):
    stats = build_role_world(bw.world).accounts["stats"]
    assert bw.counties_board.owner_org == bw.world.city
    client.force_login(stats)
    assert (
        client.get(reverse("boards:board_detail", args=[bw.counties_board.pk])).status_code == 200
    )

    out = io.StringIO()
    call_command(
        "board",
        "close",
        "--board",
        "poverty-counties",
        "--month",
        "2020-01",
        "--user",
        "stats",
        stdout=out,
    )
    assert "已结账" in out.getvalue()
    assert BoardSnapshot.objects.get(board=bw.counties_board, month="2020-01").created_by == stats


def test_a_county_officer_with_the_clue_role_sees_its_board(bw, client):
    wuhua = build_role_world(bw.world).accounts["wuhua"]
    client.force_login(wuhua)
    listing = client.get(reverse("boards:board_list")).content.decode()
    assert bw.counties_board.title in listing
