"""党员干部 pages: the list (search by name or full ID number), the export, a person's
profile with posts, clues and outcomes, and the edits through ``people.services``.

ID numbers appear masked everywhere. The full number leaves the server only through
``person_reveal_id_number`` (one person, audited) and the export of a holder of
``people.view_id_number`` (audited as EXPORT_PROTECTED). A search by ID number is turned
into the number's keyed hash at once, so that no link, page or browser history entry
carries the number typed."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Prefetch, QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, QueryDict
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_http_methods, require_POST
from django_htmx.http import push_url
from django_htmx.middleware import HtmxDetails

from jiandu.core import idnumbers
from jiandu.core.access import get_or_404, jurisdiction_org_ids
from jiandu.core.contenttypes import XLSX_CONTENT_TYPE
from jiandu.core.crypto import search_key
from jiandu.core.ratelimit import answers_429
from jiandu.core.xlsx import Column, export_rows
from jiandu.orgs.forms import add_service_errors
from jiandu.people.forms import (
    PersonFilterForm,
    PersonForm,
    PostEndForm,
    PostForm,
    id_search_key_param,
)
from jiandu.people.models import Person, Post
from jiandu.people.selectors import person_get, person_list, person_lookup_check
from jiandu.people.services import (
    person_create,
    person_export,
    person_reveal_id_number,
    person_update,
    post_add,
    post_end,
)

PAGE_SIZE = 50


class HtmxHttpRequest(HttpRequest):
    htmx: HtmxDetails


def _targets(request: HtmxHttpRequest, element_id: str) -> bool:
    """True for an htmx request aimed at ``element_id`` (answered with its partial)."""
    return bool(request.htmx) and request.htmx.target == element_id


# --- list, search and export ---------------------------------------------------------


def _hide_id_number(params: QueryDict) -> QueryDict | None:
    """If ``q`` is a full ID number, the same query with the number replaced by its
    keyed hash (``idk``); None when there is nothing to hide."""
    number = idnumbers.normalize(params.get("q", ""))
    if not number or not idnumbers.is_valid(number):
        return None
    hidden = params.copy()
    hidden.pop("q", None)
    hidden.pop("page", None)
    hidden["idk"] = search_key(number)
    return hidden


@dataclass
class PeopleQuery:
    form: PersonFilterForm
    id_key: str  # the keyed hash of a searched ID number, or ""
    people: QuerySet[Person] | None  # None when the filters are invalid


def _filtered_people(request: HttpRequest, params: QueryDict) -> PeopleQuery:
    filters = params.copy()
    id_key = id_search_key_param(filters.pop("idk", [""])[-1])
    form = PersonFilterForm(filters if params else None, user=request.user)
    if id_key is None:
        form.is_valid()
        form.add_error(None, "身份证号码查询条件无效，请重新输入完整的身份证号码")
        return PeopleQuery(form, "", None)
    if not form.is_bound:
        people = person_list(user=request.user, id_key=id_key)
    elif form.is_valid():
        data = form.cleaned_data
        people = person_list(
            user=request.user,
            query=data["q"],
            id_key=id_key,
            org_id=data["org"].pk if data["org"] else None,
            management_level=data["level"],
        )
    else:
        return PeopleQuery(form, id_key, None)
    return PeopleQuery(form, id_key, people)


def _with_current_posts(people: QuerySet[Person]) -> QuerySet[Person]:
    current = Post.objects.current().select_related("org").order_by("-is_leader", "start_date")
    return people.prefetch_related(Prefetch("posts", queryset=current, to_attr="current_posts"))


@dataclass
class ListPage:
    """A page of a numbered list in the shape components/pagination.html reads."""

    items: list[Any]
    total: int
    number: int
    has_next: bool
    has_prev: bool
    base_query: str

    def _url(self, number: int) -> str:
        return f"?{self.base_query}{'&' if self.base_query else ''}page={number}"

    @property
    def next_url(self) -> str:
        return self._url(self.number + 1)

    @property
    def prev_url(self) -> str:
        return self._url(self.number - 1)


def _page(people: QuerySet[Person], params: QueryDict) -> ListPage:
    page = Paginator(_with_current_posts(people), PAGE_SIZE).get_page(params.get("page"))
    base = params.copy()
    base.pop("page", None)
    return ListPage(
        items=list(page.object_list),
        total=page.paginator.count,
        number=page.number,
        has_next=page.has_next(),
        has_prev=page.has_previous(),
        base_query=base.urlencode(),
    )


@login_required
@permission_required("people.view_person", raise_exception=True)
@answers_429
def person_list_view(request: HtmxHttpRequest) -> HttpResponse:
    person_lookup_check(request.user)
    params: QueryDict = request.GET
    partial = _targets(request, "person-results")
    hidden = _hide_id_number(params)
    if hidden is not None:
        if not partial:
            return HttpResponseRedirect(f"{request.path}?{hidden.urlencode()}")
        params = hidden
    query = _filtered_people(request, params)
    page = _page(query.people, params) if query.people is not None else None
    base = params.copy()
    base.pop("page", None)
    context = {
        "filter_form": query.form,
        "page": page,
        "id_search": bool(query.id_key),
        "query_string": base.urlencode(),
        "can_see_id_numbers": request.user.has_perm("people.view_id_number"),
    }
    if partial:
        response = render(request, "people/person_list.html#results", context)
        if hidden is not None:
            push_url(response, f"{request.path}?{hidden.urlencode()}")
        return response
    return render(request, "people/person_list.html", context)


def _criteria(query: PeopleQuery) -> dict[str, Any]:
    """The export's filters for the audit row (an ID-number search is named, never
    written out)."""
    data = query.form.cleaned_data if query.form.is_bound else {}
    return {
        "q": data.get("q", ""),
        "id_number_search": bool(query.id_key),
        "org": data["org"].pk if data.get("org") else None,
        "level": data.get("level", ""),
    }


@login_required
@permission_required("people.view_person", raise_exception=True)
@answers_429
def person_export_view(request: HttpRequest) -> HttpResponse:
    person_lookup_check(request.user)
    params = _hide_id_number(request.GET) or request.GET
    query = _filtered_people(request, params)
    if query.people is None:
        messages.error(request, "导出条件有误，请检查筛选条件后重试")
        return redirect("people:person_list")
    full = request.user.has_perm("people.view_id_number")
    rows = person_export(
        actor=request.user,
        people=_with_current_posts(query.people),
        criteria=_criteria(query),
        full_id_numbers=full,
    )

    def current_posts(person: Person) -> str:
        return "；".join(f"{post.org.name}{post.title}" for post in person.current_posts)  # type: ignore[attr-defined]

    def levels(person: Person) -> str:
        names = [post.get_management_level_display() for post in person.current_posts]  # type: ignore[attr-defined]
        return "、".join(dict.fromkeys(names))

    columns = [
        Column("姓名", lambda p: p.name, 12),
        Column("性别", lambda p: p.gender, 6),
        Column("出生日期", lambda p: p.birth_date if full or not p.id_masked else "", 12),
        Column("身份证号码", (lambda p: p.id_number) if full else (lambda p: p.masked_id()), 22),
        Column("政治面貌", lambda p: p.get_political_status_display(), 12),
        Column("登记单位", lambda p: p.registered_org.name, 24),
        Column("现任职务", current_posts, 40),
        Column("干部管理层级", levels, 14),
    ]
    content = export_rows(title="党员干部名单", columns=columns, rows=rows)
    response = HttpResponse(content, content_type=XLSX_CONTENT_TYPE)
    filename = f"党员干部名单-{timezone.localdate():%Y%m%d}.xlsx"
    response["Content-Disposition"] = content_disposition_header(True, filename) or ""
    return response


# --- profile ---------------------------------------------------------------------------


def _profile_context(request: HttpRequest, person: Person) -> dict[str, Any]:
    user: Any = request.user
    context: dict[str, Any] = {
        "person": person,
        "posts": list(person.posts.select_related("org").order_by("-start_date", "-pk")),
        "can_see_id_numbers": user.has_perm("people.view_id_number"),
        "can_change": user.has_perm("people.change_person"),
        "visible_org_ids": jurisdiction_org_ids(user),
        "end_form": PostEndForm(initial={"end_date": timezone.localdate()}),
    }
    # A person's clues and outcomes through the relations the clues app declares
    # (people sits below clues).
    if user.has_perm("clues.view_clue"):
        context["clues"] = list(
            person.clues.restrict(user)
            .select_related("handling_org")
            .order_by("-received_date", "-pk")
        )
    if user.has_perm("clues.view_outcome"):
        context["outcomes"] = list(
            person.outcomes.restrict(user)
            .select_related("clue", "decided_by")
            .order_by("-decision_date", "-pk")
        )
    return context


@login_required
@permission_required("people.view_person", raise_exception=True)
@answers_429
def person_detail(request: HttpRequest, pk: int) -> HttpResponse:
    person_lookup_check(request.user)
    person = person_get(user=request.user, pk=pk)
    return render(request, "people/person_detail.html", _profile_context(request, person))


@login_required
@permission_required("people.view_id_number", raise_exception=True)
@require_POST
@answers_429
def person_reveal_id(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    person_lookup_check(request.user)
    person = person_get(user=request.user, pk=pk)
    number = person_reveal_id_number(actor=request.user, person=person)
    if _targets(request, "id-number"):
        return render(
            request, "people/person_detail.html#id-number", {"person": person, "revealed": number}
        )
    context = _profile_context(request, person)
    context["revealed"] = number
    return render(request, "people/person_detail.html", context)


# --- edits -----------------------------------------------------------------------------


@login_required
@permission_required("people.add_person", raise_exception=True)
@require_http_methods(["GET", "POST"])
@answers_429
def person_create_view(request: HttpRequest) -> HttpResponse:
    person_lookup_check(request.user)
    form = PersonForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            person = person_create(actor=request.user, **form.service_fields())
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"已登记“{person.name}”")
            return redirect("people:person_detail", pk=person.pk)
    return render(request, "people/person_form.html", {"form": form, "person": None})


@login_required
@permission_required("people.change_person", raise_exception=True)
@require_http_methods(["GET", "POST"])
@answers_429
def person_edit(request: HttpRequest, pk: int) -> HttpResponse:
    person_lookup_check(request.user)
    person = person_get(user=request.user, pk=pk)
    form = PersonForm(request.POST or None, user=request.user, instance=person)
    if request.method == "POST" and form.is_valid():
        try:
            person_update(actor=request.user, person=person, **form.service_fields())
        except ValidationError as exc:
            add_service_errors(form, exc)
            person.refresh_from_db()
        else:
            messages.success(request, f"已保存“{person.name}”的信息")
            return redirect("people:person_detail", pk=person.pk)
    return render(request, "people/person_form.html", {"form": form, "person": person})


@login_required
@permission_required("people.change_person", raise_exception=True)
@require_http_methods(["GET", "POST"])
def post_add_view(request: HttpRequest, pk: int) -> HttpResponse:
    person = person_get(user=request.user, pk=pk)
    form = PostForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            post_add(actor=request.user, person=person, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"已为“{person.name}”添加任职")
            return redirect("people:person_detail", pk=person.pk)
    return render(request, "people/post_form.html", {"form": form, "person": person})


@login_required
@permission_required("people.change_person", raise_exception=True)
@require_POST
def post_end_view(request: HttpRequest, pk: int, post_pk: int) -> HttpResponse:
    person = person_get(user=request.user, pk=pk)
    post = get_or_404(person.posts.select_related("org"), pk=post_pk)
    if post.org_id not in jurisdiction_org_ids(request.user):
        raise PermissionDenied("该任职所在单位不在您的管辖范围内")
    form = PostEndForm(request.POST)
    if form.is_valid():
        try:
            post_end(actor=request.user, post=post, end_date=form.cleaned_data["end_date"])
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, f"“{post.org.name}{post.title}”未能免职：{message}")
        else:
            messages.success(request, f"已记录“{post.org.name}{post.title}”免职")
    else:
        messages.error(request, "请填写有效的免职日期")
    return redirect("people:person_detail", pk=person.pk)
