"""The inbox as its user sees it: the page (unread first, mark read, mark all read), the
API (keyset cursor, mark read), both scoped to the user — another user's message does
not exist — the unread count in the header (one bounded query), and delivery adapters
(a failing one loses nothing, blocks nothing, and is retried alone)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from jiandu.inbox.choices import DeliveryStatus
from jiandu.inbox.choices import MessageKind as K
from jiandu.inbox.models import DeliveryFailure, Message
from jiandu.inbox.selectors import unread_count
from jiandu.inbox.services import messages_deliver


def add(user, n, **extra):
    return [
        Message.objects.create(
            recipient=user,
            kind=K.OVERDUE,
            title=f"整改已超期：第{i}条",
            link="/oversight/problems/1/",
            record_type="oversight.problem",
            record_id=i,
            **extra,
        )
        for i in range(n)
    ]


@pytest.fixture
def officer_client(iw, client):
    client.force_login(iw.officer)
    return client


def test_the_page_lists_unread_first_and_marks_read(iw, officer_client):
    old, new = add(iw.officer, 2)
    officer_client.post(reverse("inbox:message_read", args=[new.pk]))
    page = officer_client.get(reverse("inbox:message_list")).content.decode()
    # ``old`` and the problem's (older) assignment are unread; ``new`` (read) comes last.
    assert page.index("第0条") < page.index("新问题待整改") < page.index("第1条")
    response = officer_client.get(reverse("inbox:message_open", args=[old.pk]))
    assert response.status_code == 302 and response["Location"] == "/oversight/problems/1/"
    old.refresh_from_db()
    assert not old.unread and old.read_at is not None
    officer_client.post(reverse("inbox:message_read_all"))
    assert not Message.objects.filter(recipient=iw.officer, unread=True).exists()


def test_the_page_pages_with_the_core_pager(iw, officer_client):
    add(iw.officer, 35)
    first = officer_client.get(reverse("inbox:message_list")).content.decode()
    assert "共<strong>36</strong>件" in first and "第1/2页" in first
    second = officer_client.get(reverse("inbox:message_list") + "?page=2").content.decode()
    assert "第0条" in second and "第34条" not in second


def test_another_users_message_does_not_exist(iw, officer_client):
    (theirs,) = add(iw.colleague, 1)
    for name, method in (("inbox:message_open", "get"), ("inbox:message_read", "post")):
        response = getattr(officer_client, method)(reverse(name, args=[theirs.pk]))
        assert response.status_code == 404
    assert "第0条" not in officer_client.get(reverse("inbox:message_list")).content.decode()
    for path, method in ((f"/api/v1/inbox/{theirs.pk}", "get"),
                         (f"/api/v1/inbox/{theirs.pk}/read", "post")):  # fmt: skip
        assert getattr(officer_client, method)(path).status_code == 404
    theirs.refresh_from_db()
    assert theirs.unread
    officer_client.post(reverse("inbox:message_read_all"))
    theirs.refresh_from_db()
    assert theirs.unread


def test_the_api_pages_with_a_keyset_cursor_and_marks_read(iw, officer_client):
    add(iw.officer, 5)
    seen, after = [], None
    while True:
        url = "/api/v1/inbox/?limit=2" + (f"&after={after}" if after else "")
        body = officer_client.get(url).json()
        seen += [(m["unread"], m["id"]) for m in body["items"]]
        after = body["next_cursor"]
        if after is None:
            break
    assert len(seen) == 6 and seen == sorted(seen, reverse=True)
    assert body["unread_count"] == 6
    one = officer_client.post(f"/api/v1/inbox/{seen[0][1]}/read").json()
    assert one["unread"] is False and one["read_at"]
    assert officer_client.get("/api/v1/inbox/?unread=true").json()["unread_count"] == 5
    assert officer_client.post("/api/v1/inbox/read-all").json() == {"marked": 5}
    bad = officer_client.get("/api/v1/inbox/?after=xyz")
    assert bad.status_code == 422 and "after" in bad.json()["errors"]


def test_the_header_shows_the_unread_count_with_one_bounded_query(
    iw, officer_client, django_assert_num_queries
):
    add(iw.officer, 2)
    page = officer_client.get(reverse("core:workbench")).content.decode()
    assert 'aria-label="站内消息，3条未读"' in page
    with django_assert_num_queries(1):
        assert unread_count(user=iw.officer) == 3
    add(iw.officer, 120)
    page = officer_client.get(reverse("core:workbench")).content.decode()
    assert ">99+</span>" in page
    Message.objects.filter(recipient=iw.officer).update(unread=False)
    page = officer_client.get(reverse("core:workbench")).content.decode()
    assert "data-inbox-unread" not in page and "站内消息" in page


class Recorder:
    sent: list[int] = []

    def deliver(self, message):
        Recorder.sent.append(message.pk)


class Broken:
    fail = True

    def deliver(self, message):
        if Broken.fail:
            raise ConnectionError("短信网关无响应")


def test_a_failing_adapter_loses_nothing_blocks_nothing_and_is_retried_alone(iw, settings):
    settings.JIANDU_INBOX_ADAPTERS = [f"{__name__}.Broken", f"{__name__}.Recorder"]
    Recorder.sent, Broken.fail = [], True
    messages = add(iw.officer, 3)
    ids = [m.pk for m in messages]
    assert messages_deliver(ids=ids) == {"delivered": 0, "failed": 3}
    assert sorted(Recorder.sent) == ids  # the other adapter was not held up
    failures = DeliveryFailure.objects.filter(message_id__in=ids)
    assert failures.count() == 3 and {f.adapter for f in failures} == {f"{__name__}.Broken"}
    assert "短信网关无响应" in failures.first().error
    assert Message.objects.filter(pk__in=ids, delivered_at=None).count() == 3  # still there
    assert messages_deliver(ids=ids) == {"delivered": 0, "failed": 3}
    assert {f.attempts for f in DeliveryFailure.objects.filter(message_id__in=ids)} == {2}
    Broken.fail = False
    Recorder.sent = []
    assert messages_deliver(ids=ids) == {"delivered": 3, "failed": 0}
    assert Recorder.sent == []  # it had them already: only the failed adapter is retried
    assert set(failures.values_list("status", flat=True)) == {DeliveryStatus.SENT}
    assert not Message.objects.filter(pk__in=ids, delivered_at=None).exists()


def test_a_failing_adapter_does_not_fail_the_reminder_job(iw, settings):
    import datetime as dt

    from jiandu.inbox.services import reminders_run

    settings.JIANDU_INBOX_ADAPTERS = [f"{__name__}.Broken"]
    Broken.fail = True
    iw.due(dt.date(2026, 9, 1))
    result = reminders_run(actor=None, on_date=dt.date(2026, 9, 30))
    assert result["total"] == 1 and result["delivery"]["failed"] >= 1
    assert Message.objects.filter(recipient=iw.officer, kind=K.OVERDUE).exists()


def test_attempts_stop_at_the_limit(iw, settings):
    settings.JIANDU_INBOX_ADAPTERS = [f"{__name__}.Broken"]
    settings.JIANDU_INBOX_DELIVERY_ATTEMPTS = 2
    Broken.fail = True
    (message,) = add(iw.officer, 1)
    messages_deliver(ids=[message.pk])
    messages_deliver(ids=[message.pk])
    assert messages_deliver(ids=[message.pk]) == {"delivered": 0, "failed": 0}
    message.refresh_from_db()
    assert message.delivery_attempts == 2 and message.delivered_at is None


def test_marking_read_goes_back_to_a_page_of_this_site_only(iw, officer_client):
    """``next`` comes from the form: a path of this site is followed; anything else (a
    word, a number, another site) goes back to the inbox instead of failing."""
    (message,) = add(iw.officer, 1)
    url = reverse("inbox:message_read", args=[message.pk])
    back = officer_client.post(url, {"next": "/inbox/?page=2"})
    assert back.status_code == 302 and back["Location"] == "/inbox/?page=2"
    for target in ("999999999", "inbox", "https://example.com/", "//example.com/"):
        response = officer_client.post(url, {"next": target})
        assert response.status_code == 302 and response["Location"] == reverse(
            "inbox:message_list"
        ), target
