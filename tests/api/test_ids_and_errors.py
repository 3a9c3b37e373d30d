"""Out-of-range ids and malformed dates are refused with 422 and a Chinese message (on
SQLite they used to reach the driver: OverflowError → an HTML 500); every /api/v1/ path
answers errors as JSON, unknown paths and unforeseen failures included; the OpenAPI
schema documents every status an endpoint answers."""

import re

import pytest
from tests.api.records import DAY

from jiandu.api import api
from jiandu.core.ids import MAX_ID

TOO_BIG = MAX_ID + 1  # 9223372036854775808
HUGE = 99999999999999999999


def _refused(response, field):
    assert response.status_code == 422, response.content
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert field in body["errors"], body
    assert "编号无效" in body["errors"][field][0]
    return body


def test_an_out_of_range_org_filter_is_422(login, users):
    client = login(users["city"])
    _refused(client.get("/api/v1/clues/clues", {"org": HUGE}), "org")
    _refused(client.get("/api/v1/people/", {"org": HUGE}), "org")
    _refused(
        client.get(
            "/api/v1/clues/statistics",
            {"key": "x", "start": "2020-01-01", "end": "2020-02-01", "org": HUGE},
        ),
        "org",
    )
    _refused(client.get("/api/v1/orgs/", {"parent": 0}), "parent")


@pytest.mark.parametrize(
    ("path", "body", "field"),
    [
        ("/api/v1/people/", {"name": "张三", "registered_org": TOO_BIG}, "registered_org"),
        (
            "/api/v1/clues/clues",
            {
                "source": "supervision",
                "title": "某事",
                "received_date": "2020-03-02",
                "subject_people": [1, TOO_BIG],
            },
            "subject_people.1",
        ),
        ("/api/v1/clues/clues/1/actions", {"action": "escalate", "to_org": TOO_BIG}, "to_org"),
        (
            "/api/v1/clues/exposure-batches",
            {
                "title": "通报",
                "published_on": "2020-03-02",
                "cases": [{"title": "案例", "persons": [TOO_BIG]}],
            },
            "cases.0.persons.0",
        ),
        ("/api/v1/clues/petitions/1/assign", {"to_org": TOO_BIG, "reason": "交办"}, "to_org"),
        (
            "/api/v1/clues/petitions/1/convert",
            {"reason": "转", "handling_org": TOO_BIG},
            "handling_org",
        ),
        (
            "/api/v1/people/1/posts",
            {
                "org": TOO_BIG,
                "title": "科员",
                "management_level": "other",
                "start_date": "2020-01-01",
            },
            "org",
        ),
        ("/api/v1/datacheck/hits/1/assign", {"handling_org": TOO_BIG}, "handling_org"),
        ("/api/v1/datacheck/hits/1/convert", {"handling_org": TOO_BIG}, "handling_org"),
    ],
)
def test_an_out_of_range_id_in_a_body_is_422(login, users, path, body, field):
    response = login(users["city"]).post(path, body, content_type="application/json")
    _refused(response, field)


def test_a_number_is_not_a_date(login, users):
    client = login(users["city"])
    for value in ("0", "1583107200", "2020-3-2"):
        response = client.get("/api/v1/clues/clues", {"received_to": value})
        assert response.status_code == 422, value
        assert response.json()["errors"]["received_to"] == ["日期格式应为 YYYY-MM-DD"]
    response = client.post(
        "/api/v1/clues/clues",
        {"source": "supervision", "title": "某事", "received_date": 0},
        content_type="application/json",
    )
    assert response.status_code == 422
    assert "received_date" in response.json()["errors"]
    assert client.get("/api/v1/clues/clues", {"received_to": DAY.isoformat()}).status_code == 200


@pytest.mark.parametrize("method", ["get", "post", "patch", "delete"])
def test_an_unknown_api_path_is_a_json_404(login, users, client, method):
    for c in (client, login(users["city"])):
        response = getattr(c, method)("/api/v1/no-such-thing/12")
        assert response.status_code == 404
        assert response["Content-Type"].startswith("application/json")
        assert "接口不存在" in response.json()["detail"]


def test_an_unforeseen_failure_is_a_json_500(login, users, monkeypatch):
    def broken(**kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr("jiandu.clues.api.clue_list", broken)
    response = login(users["city"]).get("/api/v1/clues/clues")
    assert response.status_code == 500
    assert response["Content-Type"].startswith("application/json")
    assert "服务器内部错误" in response.json()["detail"]
    assert "boom" not in response.content.decode()


def test_every_operation_documents_its_error_statuses():
    schema = api.get_openapi_schema()
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            codes = {str(code) for code in operation["responses"]}
            assert {"401", "500"} <= codes, (method, path, codes)
            if operation.get("parameters") or operation.get("requestBody"):
                assert {"400", "422"} <= codes, (method, path, codes)
            if path.startswith("/api/v1/people/"):
                assert "429" in codes, (method, path, codes)


def test_the_schema_gives_ids_their_range():
    schema = api.get_openapi_schema()
    params = schema["paths"]["/api/v1/clues/clues"]["get"]["parameters"]
    org = next(p for p in params if p["name"] == "org")
    assert {k: v for k, v in org["schema"]["anyOf"][0].items() if k in ("minimum", "maximum")} == {
        "minimum": 1,
        "maximum": MAX_ID,
    }


def test_a_method_an_endpoint_does_not_take_is_a_json_405(login, users):
    response = login(users["city"]).delete("/api/v1/clues/clues")
    assert response.status_code == 405
    assert response["Content-Type"].startswith("application/json")
    assert "DELETE" in response.json()["detail"] and "GET" in response["Allow"]


def test_a_path_with_a_line_break_is_a_json_404(login, users):
    response = login(users["city"]).post("/api/v1/orgs/%C3%84%0A/archive", {})
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/json")


def test_limits_of_lengths_counts_and_digits_are_told_in_chinese(login, users):
    client = login(users["city"])
    base = {"source": "supervision", "title": "某事", "received_date": "2020-03-02"}
    limits = (("1.234", "小数不能超过2位"), ("123456789012345", "数字总位数不能超过14位"))
    for funds, message in limits:
        body = {**base, "funds_involved": funds}
        response = client.post("/api/v1/clues/clues", body, content_type="application/json")
        assert response.status_code == 422
        assert response.json()["errors"]["funds_involved"] == [message]


def test_no_request_error_is_answered_in_english():
    """Every kind of error the API's request schemas can raise has Chinese wording."""
    import datetime as dt
    from decimal import Decimal

    from ninja import Schema
    from pydantic import ConfigDict, Field, ValidationError

    from jiandu.api import _request_error_message

    class Probe(Schema):
        model_config = ConfigDict(extra="forbid")
        text: str = Field(min_length=1, pattern=r"^\d+$")
        items: list[int] = Field(min_length=2, max_length=3)
        pair: tuple[int, str]
        at: dt.datetime
        time: dt.time
        amount: Decimal = Field(max_digits=4, decimal_places=1)
        step: int = Field(multiple_of=5)

    bad = [
        {"text": "", "items": [1], "pair": 1, "at": "x", "time": "x", "amount": "1.25", "step": 3,
         "extra": 1},
        {"text": "ab", "items": [1, 2, 3, 4], "pair": [1], "at": "2026-02-30T00:00:00",
         "time": "25:00", "amount": "12345", "step": 5},
    ]  # fmt: skip
    for data in bad:
        with pytest.raises(ValidationError) as caught:
            Probe.model_validate(data)
        for error in caught.value.errors():
            message = _request_error_message(error)
            english = re.sub(r"YYYY-MM-DD|THH:MM:SS|HH:MM|JSON", "", message)
            assert not re.search(r"[A-Za-z]{2,}", english), (error["type"], message)
