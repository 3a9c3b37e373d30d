"""The real-name feedback on the petition page: the steps with due dates and state, the
buttons recording 受理告知, 结果反馈 and the reply (htmx and plain posts) for the 信访受理
staff only, within the jurisdiction, audited, and never the reporter's identity; the
backfill of steps that petitions from before the follow-up records lack."""

import datetime as dt
import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from jiandu.clues import services as clue_services
from jiandu.clues.choices import Channel, Conclusion, DisposalMethod
from jiandu.core.models import AuditLog
from jiandu.followup.choices import FeedbackKind
from jiandu.followup.models import FeedbackStep
from jiandu.followup.services import feedback_backfill

pytestmark = pytest.mark.django_db

HX = {"HTTP_HX_REQUEST": "true"}


def _petition(world, received, *, real=True, user="petition_officer", org=None):
    return clue_services.petition_register(
        actor=world.users[user],
        received_date=received,
        channel=Channel.LETTER,
        title="反映某局长违规收受礼金",
        content="内容",
        is_real_name=real,
        reporter_name="张实名" if real else "",
        reporter_phone="13800000000" if real else "",
        received_org=org,
    )


def _page(client, petition):
    response = client.get(reverse("clues:petition_detail", args=[petition.pk]))
    assert response.status_code == 200
    return response.content.decode()


def _url(petition):
    return reverse("followup:petition_feedback", args=[petition.pk])


def _step(petition, kind):
    return FeedbackStep.objects.get(petition=petition, kind=kind)


def test_the_petition_page_shows_the_steps_and_records_both_and_the_reply(world, client):
    today = dt.date.today()
    officer = world.users["petition_officer"]
    petition = _petition(world, today - dt.timedelta(days=40))
    client.force_login(officer)
    page = _page(client, petition)
    assert 'id="petition-feedback"' in page and "受理告知" in page
    assert "已超期" in page  # 40 days ago: past its 15 working days
    assert "张实名" not in page and "13800000000" not in page
    assert 'id="petition-feedback-record"' in page and "保存受理告知" in page
    assert "办结后生成结果反馈环节" in page

    acceptance = _step(petition, FeedbackKind.ACCEPTANCE)
    done = today - dt.timedelta(days=3)
    response = client.post(_url(petition), {
        "form": "record", "step": acceptance.pk, "feedback-done_on": done.isoformat(),
        "feedback-method": "phone", "feedback-note": "电话告知已受理",
    }, **HX)  # fmt: skip
    assert response.status_code == 200
    panel = response.content.decode()
    assert "已记录受理告知" in panel and "超期完成" in panel and "电话" in panel
    assert 'id="petition-feedback"' in panel and "<html" not in panel
    acceptance.refresh_from_db()
    assert (acceptance.done_on, acceptance.method) == (done, "phone")
    assert acceptance.recorded_by == officer
    audit = AuditLog.objects.filter(
        object_type="followup.feedbackstep", object_id=str(acceptance.pk)
    )
    assert audit.filter(summary__contains="受理告知").exists()

    # Closed: the 结果反馈 step appears with its form; a plain post returns to the page.
    clue_services.petition_file(actor=officer, petition=petition, reason="所反映问题已另案查处")
    page = _page(client, petition)
    assert "保存结果反馈" in page
    result = _step(petition, FeedbackKind.RESULT)
    response = client.post(_url(petition), {
        "form": "record", "step": result.pk, "feedback-done_on": today.isoformat(),
        "feedback-method": "letter",
    })  # fmt: skip
    assert response.status_code == 302
    assert response.headers["Location"] == reverse("clues:petition_detail", args=[petition.pk])
    page = client.get(response.headers["Location"]).content.decode()
    assert "已记录结果反馈" in page and "记录举报人评价" in page

    # 不满意 needs the objection: 422 with the error, nothing written.
    response = client.post(_url(petition), {
        "form": "reply", "step": result.pk, "reply-reply": "dissatisfied",
        "reply-reply_on": today.isoformat(),
    }, **HX)  # fmt: skip
    assert response.status_code == 422
    assert "请填写举报人的异议内容" in response.content.decode()
    result.refresh_from_db()
    assert result.reply == ""
    response = client.post(_url(petition), {
        "form": "reply", "step": result.pk, "reply-reply": "dissatisfied",
        "reply-reply_on": today.isoformat(), "reply-objection": "认为处理过轻",
    }, **HX)  # fmt: skip
    assert response.status_code == 200
    result.refresh_from_db()
    assert (result.reply, result.objection) == ("dissatisfied", "认为处理过轻")
    assert "举报人评价：不满意" in response.content.decode()
    assert "张实名" not in response.content.decode()


def test_result_cannot_be_recorded_before_acceptance_and_errors_name_the_field(world, client):
    today = dt.date.today()
    officer = world.users["petition_officer"]
    petition = _petition(world, today - dt.timedelta(days=10))
    clue_services.petition_file(actor=officer, petition=petition, reason="不属于受理范围")
    result = _step(petition, FeedbackKind.RESULT)
    client.force_login(officer)
    # The page offers 受理告知 first, not 结果反馈.
    assert "保存受理告知" in _page(client, petition)
    response = client.post(_url(petition), {
        "form": "record", "step": result.pk, "feedback-done_on": today.isoformat(),
        "feedback-method": "letter",
    })  # fmt: skip
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).content.decode()
    assert "结果反馈未记录" in page and "请先记录受理告知" in page
    result.refresh_from_db()
    assert result.done_on is None
    # A date before receipt names the field (htmx answer with the form).
    acceptance = _step(petition, FeedbackKind.ACCEPTANCE)
    response = client.post(_url(petition), {
        "form": "record", "step": acceptance.pk,
        "feedback-done_on": (today - dt.timedelta(days=20)).isoformat(), "feedback-method": "phone",
    }, **HX)  # fmt: skip
    assert response.status_code == 422
    assert "告知日期不能早于受理日期" in response.content.decode()


def test_who_sees_and_who_records(world, client):
    today = dt.date.today()
    petition = _petition(world, today - dt.timedelta(days=2))
    acceptance = _step(petition, FeedbackKind.ACCEPTANCE)
    anonymous = _petition(world, today, real=False)
    data = {"form": "record", "step": acceptance.pk, "feedback-done_on": today.isoformat(),
            "feedback-method": "phone"}  # fmt: skip
    # The leader reads the steps but has no buttons and may not post.
    client.force_login(world.users["leader"])
    page = _page(client, petition)
    assert "受理告知" in page and "petition-feedback-record" not in page
    assert client.post(_url(petition), data).status_code == 403
    # An anonymous petition has no panel.
    assert 'id="petition-feedback"' not in _page(client, anonymous)
    # Outside the jurisdiction the petition does not exist, nor its panel.
    client.force_login(world.users["outsider"])
    assert client.get(_url(petition), **HX).status_code == 404
    assert client.post(_url(petition), data).status_code == 404
    # A step of another petition is not this petition's.
    other = _petition(world, today - dt.timedelta(days=1))
    client.force_login(world.users["petition_officer"])
    foreign = dict(data, step=_step(other, FeedbackKind.ACCEPTANCE).pk)
    assert client.post(_url(petition), foreign).status_code == 404
    assert _step(other, FeedbackKind.ACCEPTANCE).done_on is None
    # The panel alone (htmx refresh after the page's 办理 is swapped).
    response = client.get(_url(petition), **HX)
    assert response.status_code == 200 and "实名举报告知反馈" in response.content.decode()
    assert client.get(_url(anonymous), **HX).status_code == 204


def test_backfill_creates_the_missing_steps_once(world, client):
    officer = world.users["petition_officer"]
    county = world.users["county"]
    today = dt.date.today()
    pending = _petition(world, today - dt.timedelta(days=30))
    filed = _petition(world, today - dt.timedelta(days=60))
    clue_services.petition_file(actor=officer, petition=filed, reason="不属于受理范围")
    converted = _petition(world, today - dt.timedelta(days=90), user="county", org=world.county)
    clue = clue_services.petition_convert_to_clue(
        actor=county, petition=converted, reason="有具体线索", on_date=today - dt.timedelta(days=89)
    )
    clue_services.clue_dispose(actor=county, clue=clue, method=DisposalMethod.DISMISSED,
                               on_date=today - dt.timedelta(days=80))  # fmt: skip
    clue = clue_services.clue_close(actor=county, clue=clue, conclusion=Conclusion.UNSUBSTANTIATED,
                                    on_date=today - dt.timedelta(days=70))  # fmt: skip
    open_convert = _petition(world, today - dt.timedelta(days=20), user="county", org=world.county)
    clue_services.petition_convert_to_clue(
        actor=county,
        petition=open_convert,
        reason="有具体线索",
        on_date=today - dt.timedelta(days=19),
    )
    _petition(world, today, real=False)
    expected = {
        (p.pk, s.kind): (s.start_on, s.due_on, s.unit_id)
        for p in (pending, filed, converted, open_convert)
        for s in FeedbackStep.objects.filter(petition=p)
    }
    assert len(expected) == 6  # 4 受理告知, 结果反馈 of the filed and the closed conversion
    # As if they were registered before the follow-up records existed.
    FeedbackStep.objects.all().delete()

    dry = feedback_backfill(actor=None, dry_run=True)
    assert (dry.acceptance, dry.result, dry.total) == (4, 2, 6)
    assert not FeedbackStep.objects.exists()

    out = StringIO()
    call_command("followup", "backfill", "--json", "--user", "sysadmin", stdout=out)
    assert json.loads(out.getvalue()) == {
        "ok": True, "dry_run": False, "acceptance": 4, "result": 2, "total": 6,
    }  # fmt: skip
    got = {(s.petition_id, s.kind): (s.start_on, s.due_on, s.unit_id)
           for s in FeedbackStep.objects.all()}  # fmt: skip
    assert got == expected  # the same steps the registry's saves create
    assert AuditLog.objects.filter(summary__contains="补建实名举报告知反馈环节").count() == 1

    out = StringIO()
    call_command("followup", "backfill", stdout=out)
    assert "已补建受理告知0个、结果反馈0个，共0个" in out.getvalue()
    assert FeedbackStep.objects.count() == 6
    # The backfilled steps are on the petition page as any.
    client.force_login(officer)
    assert "保存受理告知" in _page(client, pending)


def test_the_registry_saves_create_the_steps_on_every_closing(world):
    today = dt.date.today()
    officer = world.users["petition_officer"]
    transferred = _petition(world, today - dt.timedelta(days=5))
    clue_services.petition_transfer(
        actor=officer, petition=transferred, transferred_to="市信访局", reason="不属于受理范围"
    )
    assert _step(transferred, FeedbackKind.RESULT).start_on == today
    # A petition made real-name later gets its 受理告知 on that save.
    anonymous = _petition(world, today - dt.timedelta(days=3), real=False)
    anonymous.is_real_name = True
    anonymous.save()
    assert _step(anonymous, FeedbackKind.ACCEPTANCE).start_on == today - dt.timedelta(days=3)
