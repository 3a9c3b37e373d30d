"""Jurisdiction on every record URL: the outsider (another county) gets 404 from each
detail, action and download URL of a county's records, the county officer gets 200;
exports only ever hold the user's own jurisdiction."""

import datetime as dt
import io
from types import SimpleNamespace

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from jiandu.clues import services
from jiandu.clues.choices import ClueSource, OutcomeKind
from jiandu.people.services import person_create

D = dt.date(2020, 3, 2)
HTMX = {"HX-Request": "true"}


@pytest.fixture
def records(world, users):
    county = users["county"]
    person = person_create(actor=county, name="钱某", registered_org=world.township)
    petition = services.petition_register_with_attachments(
        actor=county,
        attachments=[SimpleUploadedFile("材料.txt", b"evidence")],
        received_date=D,
        channel="letter",
        title="反映街道违规发放补贴",
        content="……",
    )
    clue = services.clue_create(
        actor=county,
        source=ClueSource.AUDIT,
        title="审计发现套取专项资金",
        received_date=D,
        handling_org=world.county,
        subject_people=[person],
    )
    outcome = services.outcome_record(
        actor=county,
        clue=clue,
        person=person,
        kind=OutcomeKind.CRITICISM,
        subtype="criticism",
        decision_date=D,
    )
    batch = services.exposure_batch_create(
        actor=county, title="典型问题通报", published_on=D, cases=[{"title": "案例一"}]
    )
    return SimpleNamespace(
        person=person,
        petition=petition,
        attachment=petition.attachments.get(),
        clue=clue,
        outcome=outcome,
        batch=batch,
    )


# (name, method, url builder, data)
CASES = [
    (
        "petition detail",
        "get",
        lambda r: reverse("clues:petition_detail", args=[r.petition.pk]),
        {},
    ),
    (
        "petition triage",
        "post",
        lambda r: reverse("clues:petition_triage", args=[r.petition.pk, "file"]),
        {"file-reason": "无具体问题"},
    ),
    ("clue detail", "get", lambda r: reverse("clues:clue_detail", args=[r.clue.pk]), {}),
    (
        "clue action",
        "post",
        lambda r: reverse("clues:clue_action", args=[r.clue.pk]),
        {"action": "dispose", "dispose-method": "shelved"},
    ),
    (
        "outcome entry",
        "post",
        lambda r: reverse("clues:outcome_create", args=[r.clue.pk]),
        {
            "outcome-subject_name": "诬告人",
            "outcome-kind": "false_accusation",
            "outcome-decision_date": "2020-03-02",
        },
    ),
    (
        "outcome kind fields",
        "get",
        lambda r: reverse("clues:outcome_kind_fields", args=[r.clue.pk]),
        {"outcome-kind": "criticism"},
    ),
    (
        "outcome archive",
        "post",
        lambda r: reverse("clues:outcome_archive", args=[r.clue.pk, r.outcome.pk]),
        {"reason": "录入错误"},
    ),
    ("exposure detail", "get", lambda r: reverse("clues:exposure_detail", args=[r.batch.pk]), {}),
    (
        "attachment",
        "get",
        lambda r: reverse("clues:attachment_download", args=[r.attachment.pk]),
        {},
    ),
    (
        "person chip",
        "get",
        lambda r: reverse("clues:person_chip", args=[r.person.pk]) + "?field=subject_people",
        {},
    ),
]


@pytest.mark.parametrize(("name", "method", "url", "data"), CASES, ids=[c[0] for c in CASES])
def test_outsider_gets_404_and_the_county_officer_200(
    client, users, records, name, method, url, data
):
    target = url(records)
    client.force_login(users["outsider"])
    assert getattr(client, method)(target, data, headers=HTMX).status_code == 404
    client.force_login(users["county"])
    assert getattr(client, method)(target, data, headers=HTMX).status_code == 200


def test_the_identity_holder_outside_the_jurisdiction_gets_404(client, world, records):
    from jiandu.accounts import roles
    from jiandu.testing import make_user

    # Another county's officer allowed to see identities: not the 五华区 petition's.
    holder = make_user(
        "other_identity", world.other_county, roles.ROLE_PETITION, roles.ROLE_IDENTITY
    )
    client.force_login(holder)
    url = reverse("clues:petition_reporter", args=[records.petition.pk])
    assert client.post(url, headers=HTMX).status_code == 404


@pytest.mark.parametrize(
    ("export", "record"), [("clues:petition_export", "petition"), ("clues:clue_export", "clue")]
)
def test_exports_hold_only_the_users_jurisdiction(client, users, records, export, record):

    def exported(user):
        client.force_login(user)
        response = client.get(reverse(export))
        assert response.status_code == 200
        sheet = load_workbook(io.BytesIO(response.content)).active
        return {row[0] for row in sheet.iter_rows(min_row=2, values_only=True)}

    assert exported(users["outsider"]) == set()
    assert exported(users["county"]) == {getattr(records, record).number}
