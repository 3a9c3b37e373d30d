"""Reference data of the 督导 campaigns: the "5+2" list kinds (seed 003) and the deadline
table's row for the 整改警示卡 escalation period. Later changes are made as data
(archived, never deleted); this migration only adds what is missing."""

from django.db import migrations

def forwards(apps, schema_editor):
    from jiandu.supervision.reference import install_reference_data

    install_reference_data(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("supervision", "0001_initial"),
        ("core", "0004_calendar_and_deadline_table"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
