"""The 零报告 rule installed with the platform (changed later on the rule page, each
change a new version)."""

from django.db import migrations

BASIS = "景县“对账销账定期化”：对“零报告”、自查问题较少但群众反映集中的单位进行专项督导"


def forwards(apps, schema_editor):
    ZeroReportRule = apps.get_model("reconciliation", "ZeroReportRule")
    if not ZeroReportRule.objects.filter(archived_at__isnull=True).exists():
        ZeroReportRule.objects.create(
            zero_min_other=1, share_threshold="0.500", share_min_other=3, basis=BASIS
        )


class Migration(migrations.Migration):
    dependencies = [("reconciliation", "0001_initial")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
