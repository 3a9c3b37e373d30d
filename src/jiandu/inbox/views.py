"""Pages of the inbox: every signed-in user has one and sees only their own messages
(another user's message is a 404)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_POST

from jiandu.core.pagination import SortOption, paginate_list
from jiandu.inbox import selectors, services
from jiandu.inbox.choices import MessageKind

PAGE_SIZE = 30
# One order: unread first, newest first (``Message.unread`` then id).
SORTS = [SortOption("unread", "unread", "状态")]
KIND_TONES: dict[str, str] = {
    MessageKind.ASSIGNMENT: "blue",
    MessageKind.DUE_IN_3: "yellow",
    MessageKind.DUE_IN_1: "orange",
    MessageKind.OVERDUE: "red",
    MessageKind.ACCEPTANCE: "green",
    MessageKind.WARNING: "red",
}


@login_required
@require_GET
def message_list(request: HttpRequest) -> HttpResponse:
    unread_only = request.GET.get("show") == "unread"
    qs = selectors.message_list(user=request.user, unread_only=unread_only)
    page = paginate_list(
        qs, params=request.GET, sorts=SORTS, default_sort="-unread", size=PAGE_SIZE
    )
    for message in page.items:
        message.tone = KIND_TONES.get(message.kind, "gray")
    context = {"page": page, "unread_only": unread_only}
    if request.headers.get("HX-Target") == "inbox-results":
        return render(request, "inbox/message_list.html#results", context)
    return render(request, "inbox/message_list.html", context)


def _back(request: HttpRequest) -> str:
    """The page to return to: ``next`` when it is a path of this site (a bare word would
    be taken for a URL name by ``redirect``), else the inbox."""
    target = request.POST.get("next", "")
    if target.startswith("/") and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}
    ):
        return target
    return reverse("inbox:message_list")


@login_required
@require_GET
def message_open(request: HttpRequest, pk: int) -> HttpResponse:
    """Open a message's record: marked read, then on to the record's page."""
    message = selectors.message_get(user=request.user, pk=pk)
    services.message_mark_read(actor=request.user, message=message)
    if message.link and url_has_allowed_host_and_scheme(
        message.link, allowed_hosts={request.get_host()}
    ):
        return redirect(message.link)
    return redirect("inbox:message_list")


@login_required
@require_POST
def message_read(request: HttpRequest, pk: int) -> HttpResponse:
    message = selectors.message_get(user=request.user, pk=pk)
    services.message_mark_read(actor=request.user, message=message)
    return redirect(_back(request))


@login_required
@require_POST
def message_read_all(request: HttpRequest) -> HttpResponse:
    count = services.messages_mark_all_read(actor=request.user)
    messages.success(request, f"已将{count}条消息标为已读" if count else "没有未读消息")
    return redirect("inbox:message_list")
