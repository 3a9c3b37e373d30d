"""Reference data of the cards: the 主体责任清单 and the 八小时以外 负面清单 (15 items of
seed 001) as list templates, and the deadline table's row for the quarterly summary.
Later changes are new versions made on the pages; this migration only adds what is
missing."""

from django.db import migrations


def forwards(apps, schema_editor):
    from jiandu.cards.reference import install_reference_data

    install_reference_data(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("cards", "0001_initial"),
        ("core", "0004_calendar_and_deadline_table"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
