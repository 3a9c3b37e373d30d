"""Registering people in bulk: staged where nobody sees them (a temporary table of the
job's own connection), then published with their audit rows in one short transaction."""

import datetime as dt

import pytest
from django.db import DatabaseError, IntegrityError, connection, transaction

from jiandu.core import idnumbers
from jiandu.core.audit import StagedWrite
from jiandu.core.choices import AuditAction
from jiandu.core.db import reserve_ids
from jiandu.core.models import AuditLog
from jiandu.people.models import Person
from jiandu.people.services import people_stage, person_build, person_create, person_create_many


def _people(world, count, start=0):
    return [
        person_build(
            name=f"批量人员{i}",
            id_number=idnumbers.make("530102", dt.date(1970, 1, 1) + dt.timedelta(days=i), 11),
            registered_org=world.county,
        )
        for i in range(start, start + count)
    ]


def test_reserved_ids_are_not_taken_by_later_inserts(world, users):
    reserved = reserve_ids(Person, 5)
    assert reserved == sorted(set(reserved)) and len(reserved) == 5
    later = person_create(actor=users["county"], name="后来者", registered_org=world.county)
    assert later.pk > max(reserved)


def test_staged_people_are_invisible_until_published_then_audited(world, users):
    actor = users["county"]
    before = AuditLog.objects.count()
    with StagedWrite() as staged:
        people = people_stage(actor=actor, people=_people(world, 30), staged=staged)
        assert not Person.objects.filter(name__startswith="批量人员").exists()
        assert AuditLog.objects.count() == before
        with transaction.atomic():
            staged.publish()
    assert Person.objects.filter(name__startswith="批量人员").count() == 30
    stored = Person.objects.get(pk=people[0].pk)
    assert stored.id_number == people[0].id_number  # encrypted and read back
    rows = AuditLog.objects.filter(action=AuditAction.CREATE, object_type="people.person")
    assert set(rows.values_list("object_id", flat=True)) >= {str(p.pk) for p in people}
    assert rows.get(object_id=str(people[0].pk)).changes["name"] == people[0].name
    # The temporary tables are gone with the stage.
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM {staged.tables[0].name}")


def test_a_number_registered_meanwhile_publishes_nothing(world, users):
    actor = users["county"]
    people = _people(world, 10)
    taken = people[7]
    person_create(
        actor=actor, name="先登记的", id_number=taken.id_number, registered_org=world.county
    )
    before = (Person.objects.count(), AuditLog.objects.count())
    with pytest.raises(IntegrityError), transaction.atomic():
        person_create_many(actor=actor, people=people)
    assert (Person.objects.count(), AuditLog.objects.count()) == before
