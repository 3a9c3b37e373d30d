"""多色榜 results give red dots: the item kind ``board_top`` (a closed month's overall
rank within the board's top band), red in the shipped colour table (a kind new to the
platform: no earlier item had it, so no earlier answer changes)."""

from django.db import migrations, models


def forwards(apps, schema_editor):
    from jiandu.dossiers.reference import DEFAULT_VERSION

    ColourTable = apps.get_model("dossiers", "ColourTable")
    ColourRule = apps.get_model("dossiers", "ColourRule")
    table = ColourTable.objects.filter(version=DEFAULT_VERSION).first()
    if table is not None and not ColourRule.objects.filter(table=table, item_kind="board_top").exists():
        ColourRule.objects.create(table=table, item_kind="board_top", colour="red")


class Migration(migrations.Migration):

    dependencies = [
        ('dossiers', '0002_reference_data'),
    ]

    operations = [
        migrations.AlterField(
            model_name='colourrule',
            name='item_kind',
            field=models.CharField(choices=[('clue_subject', '被反映问题线索'), ('outcome_criticism', '批评教育'), ('outcome_organisational', '组织处理'), ('outcome_accountability', '问责'), ('outcome_party', '党纪处分'), ('outcome_government', '政务处分'), ('outcome_judicial', '移送司法机关'), ('outcome_name_cleared', '澄清正名'), ('problem', '发现问题（单位）'), ('problem_rectified', '问题整改销号（单位）'), ('board_warning', '多色榜预警（单位）'), ('board_top', '多色榜综合排名前列（单位）'), ('commendation', '表彰嘉奖'), ('appraisal_excellent', '年度考核优秀'), ('appraisal_competent', '年度考核称职（合格）'), ('appraisal_basic', '年度考核基本称职（基本合格）'), ('appraisal_incompetent', '年度考核不称职（不合格）'), ('personal_matters_ok', '个人有关事项查核一致'), ('personal_matters_finding', '个人有关事项漏报瞒报'), ('audit_finding', '审计发现问题'), ('police_record', '公安机关通报'), ('other_info', '其他信息')], max_length=32, verbose_name='信息类别'),
        ),
        migrations.AlterField(
            model_name='dossieritem',
            name='kind',
            field=models.CharField(choices=[('clue_subject', '被反映问题线索'), ('outcome_criticism', '批评教育'), ('outcome_organisational', '组织处理'), ('outcome_accountability', '问责'), ('outcome_party', '党纪处分'), ('outcome_government', '政务处分'), ('outcome_judicial', '移送司法机关'), ('outcome_name_cleared', '澄清正名'), ('problem', '发现问题（单位）'), ('problem_rectified', '问题整改销号（单位）'), ('board_warning', '多色榜预警（单位）'), ('board_top', '多色榜综合排名前列（单位）'), ('commendation', '表彰嘉奖'), ('appraisal_excellent', '年度考核优秀'), ('appraisal_competent', '年度考核称职（合格）'), ('appraisal_basic', '年度考核基本称职（基本合格）'), ('appraisal_incompetent', '年度考核不称职（不合格）'), ('personal_matters_ok', '个人有关事项查核一致'), ('personal_matters_finding', '个人有关事项漏报瞒报'), ('audit_finding', '审计发现问题'), ('police_record', '公安机关通报'), ('other_info', '其他信息')], max_length=32, verbose_name='信息类别'),
        ),
        migrations.RunPython(forwards, migrations.RunPython.noop),
    ]
