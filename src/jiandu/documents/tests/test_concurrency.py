"""Two connections issuing at once never get the same number (PostgreSQL: the counter
row is locked with SELECT … FOR UPDATE; the second issue waits for the first to commit)."""

import threading
import time

import pytest
from django.db import connection, connections

from jiandu.documents.choices import DocumentType
from jiandu.documents.models import Document
from jiandu.documents.services import document_issue

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs two PostgreSQL sessions"),
]


def _issue(world, render):
    return document_issue(
        actor=world.users["city"],
        organ=world.city,
        document_type=DocumentType.RECTIFICATION_NOTICE,
        title="督促整改通知书",
        render=render,
        file_name="通知书.docx",
    )


def test_the_second_issue_waits_for_the_first_and_gets_the_next_number(world):
    _issue(world, lambda number, day: b"warm-up")  # the counter row exists
    holding = threading.Event()
    results: dict[str, object] = {}

    def first():
        def render(number, day):
            holding.set()  # the counter row is locked by this transaction now
            time.sleep(0.5)
            results["first_number"] = number
            return b"first"

        try:
            _issue(world, render)
            results["first_done"] = time.monotonic()
        finally:
            connections.close_all()

    def second():
        holding.wait(5)
        try:
            document = _issue(world, lambda number, day: b"second")
            results["second_number"] = document.number
            results["second_done"] = time.monotonic()
        finally:
            connections.close_all()

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(20)
    assert results["first_number"] != results["second_number"]
    assert str(results["first_number"]).endswith("〔" + str(_year()) + "〕2号")
    assert str(results["second_number"]).endswith("3号")
    assert results["second_done"] > results["first_done"]


def _year():
    from django.utils import timezone

    return timezone.localdate().year


def test_many_concurrent_issues_get_distinct_consecutive_numbers(world):
    start = threading.Barrier(4)
    errors: list[BaseException] = []

    def worker():
        try:
            start.wait(5)
            for _ in range(5):
                _issue(world, lambda number, day: number.encode())
        except BaseException as exc:  # reported by the assertion below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert errors == []
    sequences = sorted(Document.objects.values_list("sequence", flat=True))
    assert sequences == list(range(1, 21))
