"""The demo's 督导 campaign carries seed 003's figures (the small demo shared by the
tests, conftest's ``small_demo``)."""

from __future__ import annotations

import pytest

from jiandu.accounts.models import User
from jiandu.demo.supervision import CAMPAIGN_NAME, TARGETS
from jiandu.documents.choices import DocumentType
from jiandu.documents.models import Document
from jiandu.oversight.models import Interview
from jiandu.supervision import selectors, services
from jiandu.supervision.models import Campaign, CampaignProblem, ListEntry, WarningCard
from jiandu.testing import SMALL_DEMO_TODAY

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def demo(small_demo, django_db_blocker):
    with django_db_blocker.unblock():
        return Campaign.objects.get(name=CAMPAIGN_NAME)


def test_the_campaign_has_the_seeds_figures(demo):
    stats = User.objects.get(username="stats")
    counts = selectors.campaign_counts(user=stats, campaign=demo).totals
    assert (counts.immediate, counts.in_progress, counts.pending, counts.closed) == (
        TARGETS["immediate"], TARGETS["in_progress"], TARGETS["pending"], TARGETS["closed"]
    )  # fmt: skip
    assert (counts.immediate, counts.in_progress, counts.pending) == (53, 42, 6)
    assert demo.inspections.count() == 6
    assert CampaignProblem.objects.filter(campaign=demo, inspection__isnull=False).count() == 60
    problems = CampaignProblem.objects.filter(campaign=demo).values("problem")
    notices = Document.objects.filter(
        document_type=DocumentType.RECTIFICATION_NOTICE, record_id__in=[
            str(p["problem"]) for p in problems]
    )  # fmt: skip
    assert notices.count() == 10
    assert all("改〔" in n.number for n in notices)
    assert Interview.objects.filter(problem__campaign_link__campaign=demo).count() == 3
    assert [c.name for c in demo.chain.all()] == [
        "牵头责任单位", "督导问责组", "领导小组办公室", "领导小组"
    ]  # fmt: skip
    assert (
        ListEntry.objects.filter(campaign=demo, kind__key="tasks").values("org").distinct().count()
        == 10
    )


def test_overdue_items_have_their_cards_and_the_check_is_idempotent(demo):
    rectify = User.objects.get(username="rectify")
    stats = User.objects.get(username="stats")
    assert WarningCard.objects.filter(campaign=demo).exists()
    mine = selectors.warning_card_list(user=rectify)
    assert mine.exists() and {c.org_id for c in mine} == {rectify.org_id}
    # On the demo's "today" (the day its cards were checked for).
    assert services.warning_cards_check(actor=stats, today=SMALL_DEMO_TODAY).issued == []
