"""The follow-up periods as rows of the deadline table (受理告知, 结果反馈, the
personnel and pay changes after a heavy sanction, the suggested 回访教育 date)."""

from django.db import migrations


def forwards(apps, schema_editor):
    from jiandu.followup.reference import install_reference_data

    install_reference_data(apps)


class Migration(migrations.Migration):
    dependencies = [("followup", "0001_initial")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
