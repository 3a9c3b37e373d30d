"""The demo's follow-up work: real-name feedback with replies (satisfaction up on last
year), 处分执行 with some overdue, 回访教育, and 澄清正名 / 严查诬名 in seed 004's
proportion to the petitions received."""

from __future__ import annotations

import datetime as dt

import pytest

from jiandu.clues.models import Petition
from jiandu.followup import selectors
from jiandu.followup.models import FeedbackStep, FollowUpVisit, SanctionExecution
from jiandu.testing import SMALL_DEMO_TODAY

pytestmark = pytest.mark.django_db
TODAY = SMALL_DEMO_TODAY


def test_the_demo_has_the_follow_up_work(small_demo):
    real = Petition.objects.filter(is_real_name=True).count()
    assert FeedbackStep.objects.filter(kind="acceptance").count() == real
    assert FeedbackStep.objects.filter(done_on__isnull=True, due_on__lt=TODAY).exists()
    assert not FeedbackStep.objects.filter(done_on__gte=TODAY).exists()
    this_year = selectors.satisfaction(None, dt.date(TODAY.year, 1, 1), TODAY)
    last_year = selectors.satisfaction(
        None, dt.date(TODAY.year - 1, 1, 1), dt.date(TODAY.year - 1, 12, 31)
    )
    assert this_year[1] and last_year[1]
    assert this_year[0] / this_year[1] > last_year[0] / last_year[1]
    assert SanctionExecution.objects.filter(personnel_required=True).exists()
    assert FollowUpVisit.objects.filter(held_on__isnull=False).exists()
    whole = (dt.date(2000, 1, 1), TODAY)
    petitions = Petition.objects.count()
    assert selectors.clarifications(None, *whole) <= round(petitions * 103 / 880)
    assert selectors.clarifications(None, *whole) > 0
    assert selectors.false_accusations(None, *whole) >= 1


def test_the_demo_lacks_no_feedback_step(small_demo):
    """Every real-name petition of the demo has its steps: the backfill finds nothing."""
    from jiandu.followup.services import feedback_backfill

    found = feedback_backfill(actor=None, dry_run=True)
    assert (found.acceptance, found.result) == (0, 0)
