"""A close is counted, ranked and frozen before its write transaction (which, on SQLite,
holds the only write lock); storing checks that the board did not change meanwhile and
draws the close again when it did."""

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from jiandu.boards import close
from jiandu.boards.models import BoardSnapshot
from jiandu.boards.services import board_close


def test_counting_and_ranking_run_outside_the_write_transaction(bw, monkeypatch):
    """Only storing runs in a transaction of the close's own (the test's transaction
    is the outermost block here, so the depth is compared to it)."""
    depth = {}
    outer = len(connection.savepoint_ids)
    for step in ("count", "rank", "freeze", "store"):
        original = getattr(close, step)

        def spy(*args, _step=step, _original=original, **kwargs):
            depth[_step] = len(connection.savepoint_ids) - outer
            return _original(*args, **kwargs)

        monkeypatch.setattr(close, step, spy)
    board_close(actor=bw.users["city"], board=bw.counties_board, month="2020-02")
    assert depth == {"count": 0, "rank": 0, "freeze": 0, "store": 1}


def test_a_close_stored_meanwhile_is_not_overwritten(bw, monkeypatch):
    """Someone else closes the same month while this close is being drawn: storing sees
    the new snapshot, draws again, and now (the month closed) asks for a reason, as it
    would have had it started later. One version exists."""
    bw.receive(bw.world.county, 2, 2)
    original = close.freeze
    calls = []

    def freeze(**kwargs):
        if not calls:
            calls.append(1)
            board_close(actor=bw.users["city"], board=bw.counties_board, month="2020-02")
        return original(**kwargs)

    monkeypatch.setattr(close, "freeze", freeze)
    with pytest.raises(ValidationError, match="已结账（第1版），重新计算须填写原因"):
        board_close(actor=bw.users["city"], board=bw.counties_board, month="2020-02")
    assert list(
        BoardSnapshot.objects.filter(board=bw.counties_board).values_list("version", flat=True)
    ) == [1]


def test_a_board_changing_under_every_draw_gives_up_with_a_message(bw, monkeypatch):
    monkeypatch.setattr(close, "still_current", lambda job: False)
    with pytest.raises(ValidationError, match="被他人改动，请稍后重新结账"):
        board_close(actor=bw.users["city"], board=bw.counties_board, month="2020-02")
    assert not BoardSnapshot.objects.filter(board=bw.counties_board).exists()
