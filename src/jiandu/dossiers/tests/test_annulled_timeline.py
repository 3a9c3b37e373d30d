"""An annulled sanction (撤销 on review) is shown on the timeline greyed as 已撤销 with its
reason and counts for nothing — no dot, no grade, no effect period — from its annulment
date on; as of an earlier date it was still a sanction."""

import datetime as dt

import pytest
from django.urls import reverse

from jiandu.dossiers import selectors, services

D = dt.date
pytestmark = pytest.mark.django_db


def annul(dw):
    services.sanction_detail_set(actor=dw.stats, outcome=dw.warning, annulled_on=D(2018, 9, 1),
                                 annul_reason="复查认定事实不清")  # fmt: skip


def test_annulled_sanction_gives_no_dot_grade_or_effect(dw):
    annul(dw)
    d = selectors.person_dossier(dw.zhang, as_of=D(2018, 12, 31), purpose="评先评优")
    assert [x.item.kind for x in d.dots] == ["clue_subject"]
    assert d.count("black") == 0
    assert d.grade.grade != "较差" and d.grade.counts["black"] == 0
    assert not d.opinion.in_effect and d.opinion.eligible_for_award
    assert [(i.kind, i.annulled_on, i.annul_reason) for i in d.annulled] == [
        ("outcome_party", D(2018, 9, 1), "复查认定事实不清")
    ]


def test_before_the_annulment_it_was_still_a_black_dot(dw):
    annul(dw)
    d = selectors.person_dossier(dw.zhang, as_of=D(2018, 8, 1))
    assert d.count("black") == 1 and d.annulled == []
    assert d.grade.grade == "较差"
    assert [x.item.until for x in d.dots if x.colour == "black"] == [D(2019, 6, 15)]


def test_the_page_and_api_show_it_greyed_with_the_reason(dw, client):
    annul(dw)
    client.force_login(dw.stats)
    url = reverse("dossiers:person", args=[dw.zhang.pk])
    page = client.get(url, {"reason": "提拔考察", "as_of": "2019-01-01", "purpose": "提拔任用"})
    html = page.content.decode()
    assert page.status_code == 200
    assert 'class="is-muted"' in html and "已撤销" in html and "复查认定事实不清" in html
    assert "badge-black" not in html.split("<tbody>")[1].split("</tbody>")[0]
    api = client.get(f"/api/v1/dossiers/people/{dw.zhang.pk}/",
                     {"reason": "提拔考察", "as_of": "2019-01-01"})  # fmt: skip
    body = api.json()
    assert api.status_code == 200
    assert [x["colour"] for x in body["dots"]] == ["blue"]
    assert body["annulled"][0]["annul_reason"] == "复查认定事实不清"
    assert body["annulled"][0]["annulled_on"] == "2018-09-01"
