"""API of the cadre registry: people and their posts.

ID numbers are always masked in answers. A holder of ``people.view_id_number`` gets the
full number from ``GET /people/{id}/id-number`` alone, and every such look is audited
(``person_reveal_id_number``)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Prefetch, Q
from django.http import HttpRequest
from ninja import Query, Router, Status

from jiandu.core.access import get_or_404, require_perm
from jiandu.core.pagination import decode_cursor, encode_cursor
from jiandu.core.schemas import ERRORS_WITH_RATE_LIMIT as ERRORS
from jiandu.orgs.selectors import visible_org
from jiandu.people.models import Person, Post
from jiandu.people.schemas import (
    PersonCreateIn,
    PersonDetailOut,
    PersonIdNumberOut,
    PersonPageOut,
    PersonQuery,
    PersonUpdateIn,
    PostAddIn,
    PostEndIn,
    PostOut,
)
from jiandu.people.selectors import person_get, person_list, person_lookup_check
from jiandu.people.services import (
    person_create,
    person_reveal_id_number,
    person_update,
    post_add,
    post_end,
)

router = Router(tags=["党员干部"])


def _detail(user: Any, pk: int) -> Person:
    """The person with their posts over time (newest first), within the jurisdiction."""
    person = get_or_404(
        person_list(user=user, include_archived=True)
        .defer("id_number")
        .prefetch_related(
            Prefetch("posts", queryset=Post.objects.select_related("org").order_by("-start_date"))
        ),
        pk=pk,
    )
    return person


@router.get("/", response={200: PersonPageOut, **ERRORS}, summary="党员干部列表")
def list_people(request: HttpRequest, query: Query[PersonQuery]):
    """By name, then id; keyset-paged (``after`` = the previous page's ``next_cursor``).
    ``q`` that is a valid ID number finds that person through the search key."""
    require_perm(request, "people.view_person")
    person_lookup_check(request.user)
    qs = person_list(
        user=request.user,
        query=query.q,
        org_id=query.org,
        management_level=query.level or "",
        include_archived=query.include_archived,
    ).defer("id_number")
    if query.after:
        key = decode_cursor(query.after)
        if not key or len(key) != 2 or not isinstance(key[1], int):
            raise ValidationError({"after": "分页游标无效"})
        qs = qs.filter(Q(name__gt=key[0]) | Q(name=key[0], pk__gt=key[1]))
    rows = list(qs.order_by("name", "pk")[: query.limit + 1])
    next_cursor = None
    if len(rows) > query.limit:
        last = rows[query.limit - 1]
        next_cursor = encode_cursor([last.name, last.pk])
    return {"items": rows[: query.limit], "next_cursor": next_cursor}


@router.get(
    "/{int:person_id}",
    response={200: PersonDetailOut, **ERRORS},
    summary="人员详情",
)
def get_person(request: HttpRequest, person_id: int):
    require_perm(request, "people.view_person")
    person_lookup_check(request.user)
    return _detail(request.user, person_id)


@router.get(
    "/{int:person_id}/id-number",
    response={200: PersonIdNumberOut, **ERRORS},
    summary="查看完整身份证号码（留痕）",
)
def reveal_id_number(request: HttpRequest, person_id: int):
    """The full ID number, for holders of ``people.view_id_number``; each call writes an
    audit row."""
    require_perm(request, "people.view_person")
    require_perm(request, "people.view_id_number")
    person_lookup_check(request.user)
    person = person_get(user=request.user, pk=person_id)
    number = person_reveal_id_number(actor=request.user, person=person)
    return {"id": person.pk, "name": person.name, "id_number": number}


@router.post("/", response={201: PersonDetailOut, **ERRORS}, summary="新增人员")
def create_person(request: HttpRequest, payload: PersonCreateIn):
    require_perm(request, "people.add_person")
    person_lookup_check(request.user)  # an ID number's check is also a look-up
    person = person_create(
        actor=request.user,
        name=payload.name,
        registered_org=visible_org(request.user, payload.registered_org, "registered_org"),
        id_number=payload.id_number.strip(),
        political_status=payload.political_status,
        gender=payload.gender or "",
        birth_date=payload.birth_date,
        note=payload.note,
    )
    return Status(201, _detail(request.user, person.pk))


@router.patch(
    "/{int:person_id}",
    response={200: PersonDetailOut, **ERRORS},
    summary="修改人员",
)
def update_person(request: HttpRequest, person_id: int, payload: PersonUpdateIn):
    """Change the fields sent. A new ID number is validated and re-derives gender and
    birth date; ``null`` removes it."""
    require_perm(request, "people.change_person")
    person_lookup_check(request.user)
    person = person_get(user=request.user, pk=person_id)
    changes = payload.dict(exclude_unset=True)
    for field in ("name", "registered_org", "political_status"):
        if field in changes and changes[field] is None:
            raise ValidationError({field: "不能为空"})
    if "registered_org" in changes:
        changes["registered_org"] = visible_org(
            request.user, changes["registered_org"], "registered_org"
        )
    if "name" in changes:
        changes["name"] = changes["name"].strip()
    for field in ("id_number", "gender", "note"):
        if field in changes:
            changes[field] = (changes[field] or "").strip()
    person_update(actor=request.user, person=person, **changes)
    return _detail(request.user, person.pk)


@router.post("/{int:person_id}/posts", response={201: PostOut, **ERRORS}, summary="新增任职")
def add_post(request: HttpRequest, person_id: int, payload: PostAddIn):
    require_perm(request, "people.change_person")
    person = person_get(user=request.user, pk=person_id)
    post = post_add(
        actor=request.user,
        person=person,
        org=visible_org(request.user, payload.org, "org"),
        title=payload.title.strip(),
        management_level=payload.management_level,
        start_date=payload.start_date,
        end_date=payload.end_date,
        is_leader=payload.is_leader,
    )
    return Status(201, post)


@router.post(
    "/{int:person_id}/posts/{int:post_id}/end",
    response={200: PostOut, **ERRORS},
    summary="免职（结束任职）",
)
def end_post(request: HttpRequest, person_id: int, post_id: int, payload: PostEndIn):
    require_perm(request, "people.change_person")
    person = person_get(user=request.user, pk=person_id)
    post = get_or_404(person.posts.select_related("org"), pk=post_id)
    return post_end(actor=request.user, post=post, end_date=payload.end_date)
