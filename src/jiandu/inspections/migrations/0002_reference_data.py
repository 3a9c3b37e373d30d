"""Reference data of the 巡察 rounds: the 菜单式 menu of focus items. Only adds what is
missing."""

from django.db import migrations


def forwards(apps, schema_editor):
    from jiandu.inspections.reference import install_reference_data

    install_reference_data(apps)


class Migration(migrations.Migration):
    dependencies = [("inspections", "0001_initial"), ("core", "0004_calendar_and_deadline_table")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
