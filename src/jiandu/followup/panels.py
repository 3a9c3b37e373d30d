"""The real-name feedback panel of the petition page (registered for ``clues.petition``
in :mod:`jiandu.core.hooks`): the petition's feedback steps with their due dates and
state, and — for the 信访受理 staff — the forms recording 受理告知, 结果反馈 and the
reporter's reply, posted to :func:`jiandu.followup.views.petition_feedback`.

It shows what the petition page shows (dates, units, methods), never the reporter's
identity: that stays behind the page's audited 查看举报人信息."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from jiandu.core.hooks import Panel

TEMPLATE = "followup/_petition_panel.html"
FEEDBACK_PERM = "clues.change_petition"


def panel_context(
    request: Any,
    petition: Any,
    *,
    record_form: Any = None,
    reply_form: Any = None,
    success: str = "",
) -> dict[str, Any]:
    from jiandu.followup import selectors
    from jiandu.followup.choices import FeedbackKind
    from jiandu.followup.forms import FeedbackForm, ReplyForm

    steps = selectors.petition_feedback(user=request.user, petition=petition)
    by_kind = {s.kind: s for s in steps}
    acceptance = by_kind.get(FeedbackKind.ACCEPTANCE)
    result = by_kind.get(FeedbackKind.RESULT)
    can = bool(request.user.has_perm(FEEDBACK_PERM))
    # The step to record next: 受理告知 first; 结果反馈 once 受理告知 is recorded.
    next_step = None
    if acceptance is not None and acceptance.done_on is None:
        next_step = acceptance
    elif result is not None and result.done_on is None:
        next_step = result
    reply_step = result if result is not None and result.done_on and not result.reply else None
    return {
        "petition": petition,
        "steps": steps,
        "missing": acceptance is None,
        "result_pending": result is None,
        "can": can,
        "next_step": next_step if can else None,
        "reply_step": reply_step if can else None,
        "record_form": record_form or FeedbackForm(prefix="feedback"),
        "reply_form": reply_form or ReplyForm(prefix="reply"),
        "success": success,
        "today": timezone.localdate(),
    }


def petition_feedback_panel(request: Any, petition: Any) -> Panel | None:
    """The panel of a real-name petition; nothing for an anonymous one."""
    if request is None or not getattr(petition, "is_real_name", False):
        return None
    return Panel(template=TEMPLATE, context=panel_context(request, petition))
