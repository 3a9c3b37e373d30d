"""The shipped default tree (version 1): 7 dimensions, 18 first-level and 46 second-level
indicators (seed 004). Later changes are new versions; this only adds version 1 when no
version exists."""

from django.db import migrations


def forwards(apps, schema_editor):
    from jiandu.ecoindex.reference import install_reference_data

    install_reference_data(apps)


class Migration(migrations.Migration):
    dependencies = [("ecoindex", "0001_initial")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
