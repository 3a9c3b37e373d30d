"""As served by ``make demo`` (DEBUG off): Chinese error pages, and no traceback or
warning in the log for a 403 or 404 (the request line is enough)."""

from __future__ import annotations

import datetime as dt
import logging

from django.test import override_settings
from django.urls import reverse


@override_settings(DEBUG=False)
def test_out_of_jurisdiction_record_is_a_chinese_404_without_a_log_line(client, world, caplog):
    from jiandu.clues import services
    from jiandu.clues.choices import ClueSource

    clue = services.clue_create(
        actor=world.users["outsider"],
        source=ClueSource.PETITION,
        title="外区线索",
        received_date=dt.date(2020, 3, 2),
        handling_org=world.other_county,
    )
    client.force_login(world.users["county"])
    with caplog.at_level(logging.DEBUG, logger="django"):
        response = client.get(reverse("clues:clue_detail", args=[clue.pk]))
    assert response.status_code == 404
    body = response.content.decode()
    assert "记录不存在" in body
    assert "URLconf" not in body and "Page not found" not in body
    assert not [r for r in caplog.records if r.name == "django.request"]


@override_settings(DEBUG=False)
def test_forbidden_page_is_chinese_without_a_traceback(client, world, caplog):
    client.force_login(world.users["county"])
    with caplog.at_level(logging.DEBUG, logger="django"):
        response = client.get(reverse("core:audit_list"))
    assert response.status_code == 403
    assert "无权访问" in response.content.decode()
    assert not [r for r in caplog.records if r.name == "django.request"]
    assert not [r for r in caplog.records if r.exc_info]
