"""The 多色榜 API: boards, snapshots (frozen JSON), cell records, the close (permission
checked), warnings and their follow-up."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from jiandu.boards.services import board_close, board_create

API = "/api/v1/boards"


def _two_months(bw):
    for month in (1, 2):
        for org in (bw.world.county, bw.dongchuan):
            bw.receive(org, month, 1)
        outcome = board_close(
            actor=bw.users["city"], board=bw.counties_board, month=f"2020-{month:02d}"
        )
    return outcome


def test_boards_and_snapshots(bw, client):
    outcome = _two_months(bw)
    client.force_login(bw.users["city"])
    boards = client.get(f"{API}/").json()
    assert {b["key"]: b["latest_month"] for b in boards} == {
        "poverty-stationed": None,
        "poverty-counties": "2020-02",
    }
    detail = client.get(f"{API}/{bw.counties_board.pk}").json()
    assert [i["heading"] for i in detail["indicators"]][-1] == "通报曝光（批次/人次）"
    assert detail["closed_months"] == ["2020-02", "2020-01"]
    snapshots = client.get(f"{API}/{bw.counties_board.pk}/snapshots").json()
    assert [(s["month"], s["version"]) for s in snapshots] == [("2020-02", 1), ("2020-01", 1)]
    snapshot = client.get(f"{API}/snapshots/{outcome.snapshot.pk}").json()
    assert snapshot["data"]["result"]["cumulative"]["label"] == "2020年1—2月"
    assert snapshot["data"] == outcome.snapshot.data


def test_list_queries_do_not_grow_with_boards(bw, client, django_assert_max_num_queries):
    _two_months(bw)
    client.force_login(bw.users["city"])

    def count(url):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    count(f"{API}/")  # the first request also renews the session and fills the caches
    before = (count(f"{API}/"), count(f"{API}/warnings"))
    columns = [(row.indicator, "") for row in bw.counties_board.board_indicators.all()]
    for i in range(3):
        board = board_create(
            actor=bw.users["city"],
            key=f"extra-{i}",
            title=f"附加多色榜{i}",
            owner_org=bw.world.city,
            indicators=columns,
            participant_orgs=[bw.world.county, bw.dongchuan],
        )
        for month in (1, 2):
            board_close(actor=bw.users["city"], board=board, month=f"2020-{month:02d}")
    assert (count(f"{API}/"), count(f"{API}/warnings")) == before
    with django_assert_max_num_queries(16):
        client.get(f"{API}/")


def test_cell_records(bw, client):
    outcome = _two_months(bw)
    client.force_login(bw.users["city"])
    county = bw.world.county.pk
    answer = client.get(
        f"{API}/snapshots/{outcome.snapshot.pk}/cells",
        {"period": "cumulative", "unit": county, "indicator": "clues_received"},
    ).json()
    assert answer["cell"]["value"] == 2 and answer["count"] == 2
    assert [m["count"] for m in answer["slots"][0]["months"]] == [1, 1]
    assert len(answer["slots"][0]["months"][1]["records"]) == 1


def test_close_needs_the_permission_and_a_reason_to_recompute(bw, client):
    client.force_login(bw.users["leader"])  # 领导查阅: may look, may not close
    url = f"{API}/{bw.counties_board.pk}/close"
    answer = client.post(url, {"month": "2020-03"}, content_type="application/json")
    assert answer.status_code == 403
    client.force_login(bw.users["city"])
    first = client.post(url, {"month": "2020-03"}, content_type="application/json")
    assert first.status_code == 201
    assert first.json()["snapshot"]["version"] == 1
    again = client.post(url, {"month": "2020-03"}, content_type="application/json")
    assert again.status_code == 422
    assert "重新计算须填写原因" in again.json()["detail"]
    second = client.post(
        url, {"month": "2020-03", "reason": "复核"}, content_type="application/json"
    )
    assert second.json()["snapshot"]["version"] == 2


def test_warnings_and_their_follow_up(bw, client):
    outcome = _two_months(bw)
    (warning,) = outcome.warnings
    client.force_login(bw.users["city"])
    listing = client.get(f"{API}/warnings", {"kind": "consecutive_last"}).json()
    assert [(w["id"], w["org"]["name"]) for w in listing] == [(warning.pk, "禄劝县纪委监委")]
    detail = client.get(f"{API}/warnings/{warning.pk}").json()
    assert detail["next_actions"] == ["send_notice"]
    assert {e["month"] for e in detail["evidence"]} == {"2020-01", "2020-02"}
    url = f"{API}/warnings/{warning.pk}/actions"
    illegal = client.post(url, {"action": "acknowledge"}, content_type="application/json")
    assert illegal.status_code == 409
    assert "不能执行“签收”" in illegal.json()["detail"]
    done = client.post(
        url, {"action": "send_notice", "note": "已送达"}, content_type="application/json"
    )
    assert done.status_code == 200
    assert done.json()["status"] == "notice_sent"
    assert [e["action"] for e in done.json()["events"]] == ["issue", "send_notice"]


def test_outsider_gets_404(bw, client):
    outcome = _two_months(bw)
    client.force_login(bw.grant_view("outsider"))
    assert client.get(f"{API}/{bw.counties_board.pk}").status_code == 404
    assert client.get(f"{API}/snapshots/{outcome.snapshot.pk}").status_code == 404
    assert client.get(f"{API}/warnings/{outcome.warnings[0].pk}").status_code == 404
    assert client.get(f"{API}/warnings").json() == []
