"""Who sees a board: the owner's jurisdiction sees all of it; a participant sees the whole
board or only its own row, as the board says; anyone else gets 404 — on the page, the
snapshot, the drill-down, the documents and the warnings."""

import pytest
from django.urls import reverse

from jiandu.boards.choices import Visibility
from jiandu.boards.services import board_close, board_update


@pytest.fixture
def closed(bw):
    for month in (1, 2):
        for org in (bw.world.county, bw.dongchuan):
            bw.receive(org, month, 1)
        outcome = board_close(
            actor=bw.users["city"], board=bw.counties_board, month=f"2020-{month:02d}"
        )
    return outcome


def _urls(bw, outcome):
    board = bw.counties_board
    snapshot = outcome.snapshot
    cell = reverse("boards:cell_detail", args=[board.pk, snapshot.pk])
    return {
        "page": reverse("boards:board_detail", args=[board.pk]),
        "cell": f"{cell}?period=month&unit={bw.dongchuan.pk}&indicator=clues_received",
        "xlsx": reverse("boards:board_xlsx", args=[board.pk, snapshot.pk]),
        "bulletin": reverse("boards:bulletin_docx", args=[board.pk, "2020-02"]),
        "snapshot_api": f"/api/v1/boards/snapshots/{snapshot.pk}",
        "cell_api": f"/api/v1/boards/snapshots/{snapshot.pk}/cells"
        f"?unit={bw.dongchuan.pk}&indicator=clues_received",
        "warning": reverse("boards:warning_detail", args=[outcome.warnings[0].pk]),
        "notice": reverse("boards:warning_notice", args=[outcome.warnings[0].pk]),
    }


def test_outsider_gets_404_everywhere(bw, closed, client):
    client.force_login(bw.grant_view("outsider"))
    for name, url in _urls(bw, closed).items():
        assert client.get(url).status_code == 404, name
    board_list = client.get(reverse("boards:board_list")).content.decode()
    assert bw.counties_board.title not in board_list


def test_participant_sees_the_whole_board_by_default(bw, closed, client):
    client.force_login(bw.grant_view("county"))
    urls = _urls(bw, closed)
    page = client.get(urls["page"]).content.decode()
    assert page.count('class="mcb-fixed unit"') == 3
    assert client.get(urls["cell"]).status_code == 200
    assert client.get(urls["xlsx"]).status_code == 200
    # the 通报 sums up every board of the owner: the owner's jurisdiction only
    assert client.get(urls["bulletin"]).status_code == 403
    # 禄劝's warning is visible on a whole board, but not its to move
    assert client.get(urls["warning"]).status_code == 200
    stationed = reverse("boards:board_detail", args=[bw.stationed_board.pk])
    assert client.get(stationed).status_code == 404


def test_own_row_board_shows_a_participant_only_its_row(bw, closed, client):
    board_update(actor=bw.users["city"], board=bw.counties_board, visibility=Visibility.OWN_ROW)
    client.force_login(bw.grant_view("county"))
    urls = _urls(bw, closed)
    page = client.get(urls["page"]).content.decode()
    assert page.count('class="mcb-fixed unit"') == 1
    assert "五华区纪委监委" in page and "东川区纪委监委" not in page
    assert client.get(urls["cell"]).status_code == 404
    own_cell = urls["cell"].replace(f"unit={bw.dongchuan.pk}", f"unit={bw.world.county.pk}")
    assert client.get(own_cell).status_code == 200
    assert client.get(urls["xlsx"]).status_code == 403
    assert client.get(urls["cell_api"]).status_code == 404
    data = client.get(urls["snapshot_api"]).json()["data"]
    assert [u["name"] for u in data["units"]] == ["五华区纪委监委"]
    assert [r["unit"] for r in data["result"]["cumulative"]["units"]] == [str(bw.world.county.pk)]
    assert client.get(urls["warning"]).status_code == 404  # 禄劝's warning


def test_the_owners_jurisdiction_sees_everything(bw, closed, client):
    urls = _urls(bw, closed)
    # The 通报 and the notice are downloaded once the board's managers have issued them.
    client.force_login(bw.users["leader"])
    assert client.get(urls["notice"]).status_code == 302
    client.force_login(bw.users["city"])
    for name in ("bulletin", "notice"):
        assert client.post(urls[name]).status_code == 200, name
    client.force_login(bw.users["leader"])
    for name, url in urls.items():
        assert client.get(url).status_code == 200, name


def test_only_the_boards_managers_issue_its_documents(bw, closed, client):
    urls = _urls(bw, closed)
    # 禄劝县 sees its own warning and reads its notice once issued, but does not issue it.
    client.force_login(bw.grant_view("county"))
    assert client.post(urls["notice"]).status_code == 403
    assert client.post(urls["bulletin"]).status_code == 403
    from jiandu.documents.models import Document

    assert not Document.objects.exists()
