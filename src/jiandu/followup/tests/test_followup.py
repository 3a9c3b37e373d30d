"""Real-name feedback periods on the working-day calendar, the overdue lists, the daily
reminders, 处分执行, 回访教育, 三名 and the set-based statistics, each as the role that
does the work and within its jurisdiction."""

import datetime as dt

import pytest
from django.urls import reverse

from jiandu.clues import services as clue_services
from jiandu.clues.choices import (
    Channel,
    ClueSource,
    Conclusion,
    DisposalMethod,
    OutcomeKind,
    OutcomeSubtype,
)
from jiandu.core.deadlines import calendar_import, shipped_holiday_rows
from jiandu.followup import selectors, services
from jiandu.followup.choices import FeedbackKind, Reply
from jiandu.followup.models import FeedbackStep, SanctionExecution
from jiandu.inbox.models import Message
from jiandu.inbox.services import reminders_run

pytestmark = pytest.mark.django_db


@pytest.fixture
def holidays(world):
    for year in (2025, 2026):
        calendar_import(actor=world.users["city"], rows=shipped_holiday_rows(year))


def _petition(world, received, *, real=True, user="petition_officer", org=None):
    return clue_services.petition_register(
        actor=world.users[user],
        received_date=received,
        channel=Channel.LETTER,
        title="反映某局长违规收受礼金",
        content="内容",
        is_real_name=real,
        reporter_name="张三" if real else "",
        received_org=org,
    )


def _step(petition, kind):
    return FeedbackStep.objects.get(petition=petition, kind=kind)


def test_acceptance_is_due_15_working_days_after_receipt_across_national_day(world, holidays):
    # Received Friday 2025-09-26: 09-28 (Sunday) is a 班 day, 10-01..10-08 off, 10-11 班.
    petition = _petition(world, dt.date(2025, 9, 26))
    step = _step(petition, FeedbackKind.ACCEPTANCE)
    assert step.due_on == dt.date(2025, 10, 23)
    assert step.rule.step == "followup.acceptance_notice"
    assert (step.rule.period_kind, step.rule.length) == ("workdays", 15)
    assert not FeedbackStep.objects.filter(petition=petition, kind=FeedbackKind.RESULT).exists()


def test_acceptance_across_spring_festival_counts_the_saturday_work_days(world, holidays):
    # 2026-02-14 (Saturday) and 02-28 (Saturday) are 班; 02-15..02-23 off.
    step = _step(_petition(world, dt.date(2026, 2, 10)), FeedbackKind.ACCEPTANCE)
    assert step.due_on == dt.date(2026, 3, 9)


def test_anonymous_petitions_owe_no_feedback(world, holidays):
    petition = _petition(world, dt.date(2026, 3, 2), real=False)
    assert not FeedbackStep.objects.filter(petition=petition).exists()


def test_result_feedback_is_due_from_the_day_the_last_clue_closes(world, holidays):
    petition = _petition(world, dt.date(2026, 9, 1), user="county", org=world.county)
    clue = clue_services.petition_convert_to_clue(
        actor=world.users["county"], petition=petition, reason="有具体线索",
        on_date=dt.date(2026, 9, 2),
    )  # fmt: skip
    assert not FeedbackStep.objects.filter(petition=petition, kind=FeedbackKind.RESULT).exists()
    clue = clue_services.clue_dispose(
        actor=world.users["county"], clue=clue, method=DisposalMethod.DISMISSED,
        on_date=dt.date(2026, 9, 3),
    )  # fmt: skip
    clue_services.clue_close(
        actor=world.users["county"], clue=clue, conclusion=Conclusion.UNSUBSTANTIATED,
        on_date=dt.date(2026, 9, 25),
    )  # fmt: skip
    result = _step(petition, FeedbackKind.RESULT)
    # Closed Friday 09-25; 10-01..10-07 off (10-10 Saturday 班): 15th working day 10-22.
    assert result.start_on == dt.date(2026, 9, 25)
    assert result.due_on == dt.date(2026, 10, 22)


def test_feedback_recorded_replied_and_counted(world, holidays):
    petition = _petition(world, dt.date(2026, 3, 2))
    clue_services.petition_file(actor=world.users["petition_officer"], petition=petition,
                                reason="已另案处理")  # fmt: skip
    user = world.users["petition_officer"]
    acceptance = _step(petition, FeedbackKind.ACCEPTANCE)
    result = _step(petition, FeedbackKind.RESULT)
    with pytest.raises(Exception, match="请先记录受理告知"):
        services.feedback_record(actor=user, step=result, done_on=dt.date.today(), method="phone")
    services.feedback_record(actor=user, step=acceptance, done_on=dt.date(2026, 3, 5),
                             method="phone")  # fmt: skip
    services.feedback_record(actor=user, step=result, done_on=dt.date.today(), method="letter")
    with pytest.raises(Exception, match="异议内容"):
        services.feedback_reply(actor=user, step=result, reply=Reply.DISSATISFIED,
                                reply_on=dt.date.today())  # fmt: skip
    services.feedback_reply(actor=user, step=result, reply=Reply.BASICALLY,
                            reply_on=dt.date.today())  # fmt: skip
    today = dt.date.today()
    assert selectors.satisfaction(None, today, today) == (1, 1)
    assert selectors.satisfaction([world.other_county.pk], today, today) == (0, 0)
    assert list(selectors.satisfaction_records(None, today, today)) == [result]
    assert selectors.real_name_share(None, dt.date(2026, 3, 1), dt.date(2026, 3, 31)) == (1, 1)
    # The statistics centre counts the same records (followup/figures.py).
    from jiandu.core.figures import figure

    rate = figure("real_name_satisfaction_rate")
    for key, expected in ((rate.numerator, [result]), (rate.denominator, [result])):
        counted = figure(key)
        assert list(counted.model.objects.filter(counted.condition(today, today))) == expected
    assert not FeedbackStep.objects.filter(
        figure("feedback_satisfied").condition(dt.date(2026, 1, 1), today - dt.timedelta(days=1))
    ).exists()


def test_overdue_and_due_soon_lists_and_jurisdiction(world, holidays, client):
    today = dt.date.today()
    old = _petition(world, today - dt.timedelta(days=60))
    fresh = _petition(world, today)
    overdue = selectors.feedback_list(user=world.users["petition_officer"], state="overdue")
    assert [s.petition_id for s in overdue] == [old.pk]
    open_ = selectors.feedback_list(user=world.users["petition_officer"], state="open")
    assert {s.petition_id for s in open_} == {old.pk, fresh.pk}
    step = _step(old, FeedbackKind.ACCEPTANCE)
    client.force_login(world.users["outsider"])
    assert client.get(reverse("followup:feedback_detail", args=[step.pk])).status_code == 404
    client.force_login(world.users["petition_officer"])
    page = client.get(reverse("followup:feedback_list") + "?state=overdue").content.decode()
    assert old.number in page and fresh.number not in page
    assert "张三" not in page  # the reporter's identity is never shown here
    response = client.post(
        reverse("followup:feedback_detail", args=[step.pk]),
        {"form": "record", "done_on": today.isoformat(), "method": "in_person"},
    )
    assert response.status_code == 302
    step.refresh_from_db()
    assert step.done_on == today and step.recorded_by == world.users["petition_officer"]


def test_reminders_are_sent_once(world, holidays):
    today = dt.date(2026, 12, 1)
    petition = _petition(world, dt.date(2026, 11, 10))  # due 2026-12-01
    first = reminders_run(actor=None, on_date=today, deliver=False)
    again = reminders_run(actor=None, on_date=today, deliver=False)
    rows = Message.objects.filter(record_type="followup.feedbackstep")
    assert rows.count() >= 1 and first["total"] >= rows.count()
    assert again["total"] == 0
    assert all("受理告知" in m.body and "张三" not in m.body for m in rows)
    assert rows.filter(recipient=world.users["petition_officer"]).exists()
    assert petition.number in rows.first().title


def _sanction(world, subtype, decided=dt.date(2026, 9, 30)):
    from jiandu.people.services import person_create

    person = person_create(actor=world.users["county"], name="李四", registered_org=world.county)
    clue = clue_services.clue_create(
        actor=world.users["county"], source=ClueSource.OTHER, title="某科长挪用公款",
        received_date=dt.date(2026, 6, 1), handling_org=world.county,
    )  # fmt: skip
    clue = clue_services.clue_dispose(
        actor=world.users["county"], clue=clue, method=DisposalMethod.CASE_FILED,
        on_date=dt.date(2026, 6, 2),
    )  # fmt: skip
    kind = (OutcomeKind.GOVERNMENT_SANCTION if subtype.startswith("gov")
            else OutcomeKind.PARTY_DISCIPLINE)  # fmt: skip
    return clue_services.outcome_record(
        actor=world.users["county"], clue=clue, kind=kind, subtype=subtype,
        decision_date=decided, person=person,
    )  # fmt: skip


def test_execution_of_a_demotion_is_due_within_a_month_and_listed_overdue(world, holidays):
    outcome = _sanction(world, OutcomeSubtype.GOV_DEMOTION)
    row = SanctionExecution.objects.get(outcome=outcome)
    # One month from 09-30 is 10-30 (a Friday, a working day).
    assert row.personnel_required and row.personnel_due == dt.date(2026, 10, 30)
    light = SanctionExecution.objects.get(outcome=_sanction(world, OutcomeSubtype.GOV_DEMERIT))
    assert not light.personnel_required and light.personnel_due is None
    county = world.users["county"]
    assert list(selectors.execution_list(user=county, state="overdue")) == [row]
    assert list(selectors.execution_list(user=world.users["outsider"])) == []
    with pytest.raises(Exception, match="请先填写处分决定送达日期"):
        services.execution_record(actor=county, execution=row, served_on=None,
                                  post_changed_on=dt.date(2026, 10, 20))  # fmt: skip
    services.execution_record(actor=county, execution=row, served_on=dt.date(2026, 10, 8),
                              post_changed_on=dt.date(2026, 10, 20))  # fmt: skip
    row.refresh_from_db()
    assert row.completed_on is None
    services.execution_record(actor=county, execution=row, served_on=None,
                              pay_changed_on=dt.date(2026, 11, 3))  # fmt: skip
    row.refresh_from_db()
    assert row.completed_on == dt.date(2026, 11, 3)
    assert list(selectors.execution_list(user=county, state="overdue")) == []
    with pytest.raises(Exception, match="无须记录职务、工资变更"):
        services.execution_record(actor=county, execution=light, served_on=dt.date(2026, 10, 8),
                                  pay_changed_on=dt.date(2026, 10, 9))  # fmt: skip


def test_party_expulsion_is_heavy_and_a_warning_is_not(world, holidays):
    heavy = _sanction(world, OutcomeSubtype.PARTY_EXPULSION)
    light = _sanction(world, OutcomeSubtype.PARTY_SERIOUS_WARNING)
    assert SanctionExecution.objects.get(outcome=heavy).personnel_required
    assert not SanctionExecution.objects.get(outcome=light).personnel_required


def test_visits_planned_recorded_and_reminded(world, holidays, client):
    outcome = _sanction(world, OutcomeSubtype.GOV_DEMERIT)
    county = world.users["county"]
    visit = services.visit_plan(actor=county, outcome=outcome, org=world.county,
                                visitors="王五、赵六", planned_on=dt.date(2026, 12, 2))  # fmt: skip
    reminders_run(actor=None, on_date=dt.date(2026, 12, 1), deliver=False)
    assert Message.objects.filter(record_type="followup.followupvisit", record_id=visit.pk,
                                  recipient=county).exists()  # fmt: skip
    client.force_login(county)
    url = reverse("followup:visit_detail", args=[visit.pk])
    assert client.post(url, {"held_on": "2026-12-02", "findings": ""}).status_code == 422
    assert client.post(url, {"held_on": "2026-12-02", "findings": "思想稳定"}).status_code == 302
    visit.refresh_from_db()
    assert visit.held_on == dt.date(2026, 12, 2)


def test_clarification_and_false_accusation_counted_and_listed(world, holidays, client):
    from jiandu.people.services import person_create

    person = person_create(actor=world.users["county"], name="钱七", registered_org=world.county)
    clue = clue_services.clue_create(
        actor=world.users["county"], source=ClueSource.OTHER, title="反映钱七收受礼金",
        received_date=dt.date(2026, 6, 1), handling_org=world.county, subject_people=[person],
    )  # fmt: skip
    clue = clue_services.clue_dispose(
        actor=world.users["county"], clue=clue, method=DisposalMethod.PRELIMINARY_VERIFICATION,
        on_date=dt.date(2026, 6, 2),
    )  # fmt: skip
    outcome = clue_services.outcome_record(
        actor=world.users["county"], clue=clue, kind=OutcomeKind.FALSE_ACCUSATION,
        decision_date=dt.date(2026, 7, 1), subject_name="孙八",
    )  # fmt: skip
    clue = clue_services.clue_close(
        actor=world.users["county"], clue=clue, conclusion=Conclusion.UNSUBSTANTIATED,
        on_date=dt.date(2026, 7, 2),
    )  # fmt: skip
    client.force_login(world.users["county"])
    url = reverse("followup:clarification_create") + f"?clue={clue.number}"
    response = client.post(url, {"person": person.pk, "method": "meeting",
                                 "held_on": "2026-07-10", "scope": "所在单位党委会"})  # fmt: skip
    assert response.status_code == 302, response.content.decode()[:2000]
    url = reverse("followup:false_accusation_create") + f"?clue={clue.number}"
    response = client.post(url, {"outcome": outcome.pk, "nature": "false",
                                 "found_on": "2026-07-05", "description": "捏造事实"})  # fmt: skip
    assert response.status_code == 302
    start, end = dt.date(2026, 7, 1), dt.date(2026, 7, 31)
    assert selectors.clarifications(None, start, end) == 1
    assert selectors.clarifications([world.other_county.pk], start, end) == 0
    assert selectors.false_accusations([world.county.pk], start, end) == 1
    from jiandu.core.figures import figure

    for key, records in (("clarifications", selectors.clarification_records),
                         ("false_accusations", selectors.false_accusation_records)):  # fmt: skip
        counted = figure(key)
        assert set(counted.model.objects.filter(counted.condition(start, end))) == set(
            records(None, start, end)
        )
    index = client.get(reverse("followup:index") + "?from=2026-07-01&to=2026-07-31")
    assert index.status_code == 200
    listed = client.get(reverse("followup:clarification_list") + "?from=2026-07-01&to=2026-07-31")
    assert "钱七" in listed.content.decode()
    client.force_login(world.users["outsider"])
    assert "钱七" not in client.get(reverse("followup:clarification_list")).content.decode()


def test_api_records_feedback_within_the_jurisdiction_only(world, holidays, client):
    petition = _petition(world, dt.date(2026, 3, 2))
    step = _step(petition, FeedbackKind.ACCEPTANCE)
    client.force_login(world.users["outsider"])
    url = f"/api/v1/followup/feedback/{step.pk}"
    assert client.get(url).status_code == 404
    assert client.post(url + "/record", {"done_on": "2026-03-04", "method": "phone"},
                       content_type="application/json").status_code == 404  # fmt: skip
    client.force_login(world.users["room"])  # 线索管理 only: may not record feedback
    assert client.post(url + "/record", {"done_on": "2026-03-04", "method": "phone"},
                       content_type="application/json").status_code in (403, 404)  # fmt: skip
    client.force_login(world.users["petition_officer"])
    bad = client.post(url + "/record", {"done_on": "2026-03-01", "method": "phone"},
                      content_type="application/json")  # fmt: skip
    assert bad.status_code == 422 and "不能早于受理日期" in str(bad.json())
    ok = client.post(url + "/record", {"done_on": "2026-03-04", "method": "phone"},
                     content_type="application/json")  # fmt: skip
    assert ok.status_code == 200 and ok.json()["method_label"] == "电话"
    listed = client.get("/api/v1/followup/feedback?state=done").json()["items"]
    assert [i["id"] for i in listed] == [step.pk]
    counts = client.get("/api/v1/followup/counts?start=2026-03-01&end=2026-03-31").json()
    assert (counts["real_name"], counts["petitions"]) == (1, 1)
