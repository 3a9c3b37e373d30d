"""Writes to the cadre registry. ID numbers are validated (GB 11643), birth date and
gender are derived from them, and the number is stored encrypted with a search key."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from jiandu.core import idnumbers
from jiandu.core.audit import StagedWrite, audit_record, diff, model_snapshot
from jiandu.core.choices import AuditAction
from jiandu.core.crypto import search_key
from jiandu.core.db import reserve_ids
from jiandu.orgs.models import Org
from jiandu.people.models import Person, Post

ID_NUMBER_TAKEN = "该身份证号码已登记，不能重复登记"


def _apply_id_number(person: Person, raw: str, *, actor: Any) -> None:
    """Set the number and what it says (birth date, gender). A number is refused when a
    person in the actor's jurisdiction already has it; registrations outside the
    jurisdiction are not looked at — the answer must not tell whether a number exists
    there — so another registering org may hold the same number (the database keeps it
    unique per registering org)."""
    if not raw:
        person.id_number = ""
        person.id_search_key = ""
        person.id_masked = ""
        return
    try:
        facts = idnumbers.parse(raw)
    except idnumbers.IdNumberError as exc:
        raise ValidationError({"id_number": str(exc)}) from exc
    key = search_key(facts.number)
    clash = (
        Person.objects.restrict(actor).filter(id_search_key=key).exclude(pk=person.pk).exists()
    ) or (
        person.registered_org_id is not None
        and Person.objects.filter(id_search_key=key, registered_org_id=person.registered_org_id)
        .exclude(pk=person.pk)
        .exists()
    )
    if clash:
        raise ValidationError({"id_number": ID_NUMBER_TAKEN})
    _set_id_number(person, facts)


def _set_id_number(person: Person, facts: idnumbers.IdFacts) -> None:
    person.id_number = facts.number
    person.id_search_key = search_key(facts.number)
    person.id_masked = idnumbers.mask(facts.number)
    person.birth_date = facts.birth_date
    person.gender = facts.gender


def person_build(
    *,
    name: str,
    registered_org: Org,
    id_number: str = "",
    political_status: str = "party_member",
    note: str = "",
) -> Person:
    """An unsaved, validated person for a bulk registration (an import): what
    :func:`person_create` checks except whether the number is already registered, which
    :func:`people_registered` answers for the whole batch in a few queries, and whether
    ``registered_org`` exists, which the caller knows (an org it looked up: no query per
    person)."""
    person = Person(
        name=name.strip(),
        registered_org=registered_org,
        political_status=political_status,
        note=note,
    )
    if id_number:
        try:
            _set_id_number(person, idnumbers.parse(id_number))
        except idnumbers.IdNumberError as exc:
            raise ValidationError({"id_number": str(exc)}) from exc
    person.full_clean(
        exclude=["id_search_key", "id_masked", "registered_org"],
        validate_unique=False,
        validate_constraints=False,
    )
    return person


def people_registered(*, actor: Any, people: list[Person]) -> set[str]:
    """The search keys among ``people`` already registered where :func:`person_create`
    would refuse them: in the actor's jurisdiction, or by the same registering org."""
    keys = sorted({p.id_search_key for p in people if p.id_search_key})
    orgs = {p.registered_org_id for p in people}
    pairs = {(p.id_search_key, p.registered_org_id) for p in people}
    taken: set[str] = set()
    for start in range(0, len(keys), 500):
        chunk = keys[start : start + 500]
        taken.update(
            Person.objects.restrict(actor)
            .filter(id_search_key__in=chunk)
            .values_list("id_search_key", flat=True)
        )
        taken.update(
            key
            for key, org_id in Person.objects.filter(
                id_search_key__in=chunk, registered_org_id__in=orgs
            ).values_list("id_search_key", "registered_org_id")
            if (key, org_id) in pairs
        )
    return taken


def people_stage(*, actor: Any, people: list[Person], staged: StagedWrite) -> list[Person]:
    """Stage the registration of people built by :func:`person_build` (and checked with
    :func:`people_registered`), outside any transaction: their ids reserved, the rows
    and one audit row each (as :func:`person_create` writes them) written where nobody
    sees them until ``staged.publish()`` runs in the caller's transaction. The
    database's per-org uniqueness still guards a number registered since the check
    (IntegrityError at publication: nothing is written)."""
    # In the order of the number's search key: publishing then inserts into its indexes
    # (and the table) in order rather than all over them, which on SQLite is about half
    # the time the write lock is held.
    people = sorted(people, key=lambda p: p.id_search_key)
    for person, pk in zip(people, reserve_ids(Person, len(people)), strict=True):
        person.pk = pk
    staged.add(Person, people)
    staged.add_audit(
        [
            {"actor": actor, "action": AuditAction.CREATE, "obj": p, "changes": model_snapshot(p)}
            for p in people
        ]
    )
    return people


def person_create_many(*, actor: Any, people: list[Person]) -> list[Person]:
    """Register people built by :func:`person_build` (and checked with
    :func:`people_registered`), all or none: staged first (:func:`people_stage`), then
    published in one short transaction. Call it outside a transaction, or the write
    lock (SQLite) is held from the caller's start."""
    with StagedWrite() as staged:
        people_stage(actor=actor, people=people, staged=staged)
        with transaction.atomic():
            staged.publish()
    return people


@transaction.atomic
def person_create(
    *,
    actor: Any,
    name: str,
    registered_org: Org,
    id_number: str = "",
    political_status: str = "party_member",
    gender: str = "",
    birth_date: dt.date | None = None,
    note: str = "",
) -> Person:
    person = Person(
        name=name.strip(),
        registered_org=registered_org,
        political_status=political_status,
        gender=gender,
        birth_date=birth_date,
        note=note,
    )
    _apply_id_number(person, id_number, actor=actor)
    person.full_clean(exclude=["id_search_key", "id_masked"])
    person.save()
    audit_record(actor=actor, action=AuditAction.CREATE, obj=person, changes=model_snapshot(person))
    return person


@transaction.atomic
def person_update(*, actor: Any, person: Person, **fields: Any) -> Person:
    before = model_snapshot(person)
    id_changed = "id_number" in fields
    raw_id = fields.pop("id_number", None)
    for key, value in fields.items():
        setattr(person, key, value)
    if id_changed:
        _apply_id_number(person, raw_id or "", actor=actor)
    person.full_clean(exclude=["id_search_key", "id_masked"])
    person.save()
    changes = diff(before, model_snapshot(person))
    if id_changed:
        changes["id_number"] = {"changed": True}
    audit_record(actor=actor, action=AuditAction.UPDATE, obj=person, changes=changes)
    return person


@transaction.atomic
def post_add(
    *,
    actor: Any,
    person: Person,
    org: Org,
    title: str,
    management_level: str,
    start_date: dt.date,
    end_date: dt.date | None = None,
    is_leader: bool = False,
) -> Post:
    post = Post(
        person=person,
        org=org,
        title=title,
        management_level=management_level,
        start_date=start_date,
        end_date=end_date,
        is_leader=is_leader,
        created_by=actor if getattr(actor, "pk", None) else None,
    )
    post.full_clean()
    if end_date is not None and end_date < start_date:
        raise ValidationError({"end_date": "免职日期不能早于任职日期"})
    post.save()
    audit_record(actor=actor, action=AuditAction.CREATE, obj=post, changes=model_snapshot(post))
    return post


def post_build(
    *,
    actor: Any,
    person: Person,
    org: Org,
    title: str,
    management_level: str,
    start_date: dt.date,
    end_date: dt.date | None = None,
    is_leader: bool = False,
) -> Post:
    """An unsaved, validated post for a bulk registration (an import): what
    :func:`post_add` checks, except that ``person`` and ``org`` exist, which the caller
    knows (it looked them up: no query per post)."""
    post = Post(
        person=person,
        org=org,
        title=title,
        management_level=management_level,
        start_date=start_date,
        end_date=end_date,
        is_leader=is_leader,
        created_by=actor if getattr(actor, "pk", None) else None,
    )
    post.full_clean(exclude=["person", "org", "created_by"])
    if end_date is not None and end_date < start_date:
        raise ValidationError({"end_date": "免职日期不能早于任职日期"})
    return post


def posts_stage(*, actor: Any, posts: list[Post], staged: StagedWrite) -> list[Post]:
    """Stage posts built by :func:`post_build` with one audit row each (as
    :func:`post_add` writes them), outside any transaction, for ``staged.publish()``."""
    for post, pk in zip(posts, reserve_ids(Post, len(posts)), strict=True):
        post.pk = pk
    staged.add(Post, posts)
    staged.add_audit(
        [
            {"actor": actor, "action": AuditAction.CREATE, "obj": p, "changes": model_snapshot(p)}
            for p in posts
        ]
    )
    return posts


@transaction.atomic
def post_end(*, actor: Any, post: Post, end_date: dt.date) -> Post:
    if post.end_date is not None:
        raise ValidationError({"end_date": "该任职已结束"})
    if end_date < post.start_date:
        raise ValidationError({"end_date": "免职日期不能早于任职日期"})
    post.end_date = end_date
    post.save(update_fields=["end_date", "updated_at"])
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        obj=post,
        changes={"end_date": {"before": None, "after": end_date.isoformat()}},
    )
    return post


def person_reveal_id_number(*, actor: Any, person: Person) -> str:
    """The full ID number, for a user holding ``people.view_id_number``; audited."""
    if not actor.has_perm("people.view_id_number"):
        raise PermissionError("没有查看身份证号码的权限")
    audit_record(
        actor=actor,
        action=AuditAction.VIEW_PROTECTED,
        obj=person,
        summary="查看身份证号码",
    )
    return person.id_number


def person_export(
    *,
    actor: Any,
    people: Iterable[Person],
    criteria: dict[str, Any],
    full_id_numbers: bool = False,
) -> list[Person]:
    """Record an export of the cadre list and return the rows exported.

    With ``full_id_numbers`` the file carries complete ID numbers: only for holders of
    ``people.view_id_number``, audited as EXPORT_PROTECTED with the persons' ids;
    otherwise the numbers are masked and the export is audited as EXPORT."""
    if full_id_numbers and not actor.has_perm("people.view_id_number"):
        raise PermissionError("没有导出身份证号码的权限")
    rows = list(people)
    action = AuditAction.EXPORT_PROTECTED if full_id_numbers else AuditAction.EXPORT
    audit_record(
        actor=actor,
        action=action,
        object_type=Person._meta.label_lower,
        summary=(
            f"导出党员干部名单{len(rows)}人（"
            f"{'含完整身份证号码' if full_id_numbers else '身份证号码已脱敏'}）"
        ),
        changes={
            "criteria": criteria,
            "rows": len(rows),
            "full_id_numbers": full_id_numbers,
            "person_ids": [p.pk for p in rows],
        },
    )
    return rows
