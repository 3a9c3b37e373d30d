"""The clue stages' periods move from code (``lifecycle.DUE_DAYS``) into the deadline
table (core.DeadlineRule), one step per stage. Clues keep the due dates they already
have (stored on the clue when the stage started); a rule in force is never changed
here."""

from django.db import migrations

from jiandu.clues.reference import install_reference_data


def forwards(apps, schema_editor):
    install_reference_data(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("clues", "0003_month_count_indexes"),
        ("core", "0004_calendar_and_deadline_table"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
