"""The shipped colour table and grading table (first versions); only adds what is missing."""

from django.db import migrations


def forwards(apps, schema_editor):
    from jiandu.dossiers.reference import install_reference_data

    install_reference_data(apps)


class Migration(migrations.Migration):
    dependencies = [("dossiers", "0001_initial")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
