"""After ``jiandu demo`` the demo's officers have their deadline reminders for the demo's
"today" (a small demo, "today" fixed for the test)."""

from __future__ import annotations

import pytest

from jiandu.accounts.models import User
from jiandu.clues.models import Clue
from jiandu.inbox.choices import MessageKind
from jiandu.inbox.models import Message
from jiandu.inbox.services import reminders_run
from jiandu.testing import SMALL_DEMO_TODAY

pytestmark = pytest.mark.django_db
TODAY = SMALL_DEMO_TODAY


@pytest.fixture(scope="module")
def demo(small_demo):
    return small_demo


def test_the_demo_officers_have_their_reminders(demo):
    overdue = Clue.objects.open().filter(due_date__lt=TODAY)
    assert overdue.exists()
    reminded = Message.objects.filter(kind=MessageKind.OVERDUE, record_type="clues.clue")
    assert set(reminded.values_list("record_id", flat=True)) <= set(
        overdue.values_list("pk", flat=True)
    )
    assert reminded.exists()
    # To the handling unit's clue officers, never to an account without that work.
    recipients = User.objects.filter(pk__in=reminded.values("recipient"))
    assert all(u.has_perm("clues.change_clue") for u in recipients)
    assert not reminded.filter(recipient__username__in=["leader", "sysadmin", "rectify"]).exists()
    assert reminders_run(actor=None, on_date=TODAY, deliver=False, lookback_days=400)["total"] == 0
