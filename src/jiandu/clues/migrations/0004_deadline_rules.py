"""The clue stages' periods move from code (``lifecycle.DUE_DAYS``) into the deadline
table (core.DeadlineRule), one step per stage. Clues keep the due dates they already
have (stored on the clue when the stage started); a rule in force is never changed
here."""

from django.db import migrations

# step, label, length in days, basis
RULES = [
    ("clues.received", "问题线索受理后处置", 30, "受理之日起30日内提出处置意见"),
    ("clues.talk_inquiry", "谈话函询", 30, "谈话函询：30日内办结"),
    ("clues.preliminary_verification", "初步核实", 90, "初步核实：90日内办结"),
    ("clues.shelved", "暂存待查", 365, "暂存待查：365日内复查"),
    ("clues.dismissed", "予以了结", 15, "予以了结：15日内办结"),
    ("clues.case_filed", "立案审查", 180, "立案审查：180日内办结"),
]


def forwards(apps, schema_editor):
    DeadlineRule = apps.get_model("core", "DeadlineRule")
    for step, label, days, basis in RULES:
        if not DeadlineRule.objects.filter(step=step, archived_at__isnull=True).exists():
            DeadlineRule.objects.create(
                step=step, label=label, period_kind="days", length=days, basis=basis
            )


class Migration(migrations.Migration):
    dependencies = [
        ("clues", "0003_month_count_indexes"),
        ("core", "0004_calendar_and_deadline_table"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
