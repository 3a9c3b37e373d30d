"""Reference data of the loop: problem sources and categories, and the deadline table's
row for a rectification (``oversight.reference``). Later changes are made on the pages
(and archived, not deleted); this migration only adds what is missing."""

from django.db import migrations

from jiandu.oversight.reference import install_reference_data


def forwards(apps, schema_editor):
    install_reference_data(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("oversight", "0001_initial"),
        ("core", "0004_calendar_and_deadline_table"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
