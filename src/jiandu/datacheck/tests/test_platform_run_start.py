"""Starting a run from the page: rules with editable parameters, dataset versions
defaulting to the latest, the run executed in the background (eager in tests), its page
polling the task and then showing results per rule and the hits."""

from django.urls import reverse

from jiandu.datacheck import files
from jiandu.datacheck.engine.rules import RULES
from jiandu.datacheck.models import Hit, Run

from .platform_data import import_files, small_files

pytest_plugins = ["jiandu.datacheck.tests.platform_support"]


def _form_data(versions, **extra):
    data = {"rules": ["R01"], "region_code": "530100", "backend": "duckdb"}
    for v in versions:
        data[f"v_{v.dataset}"] = str(v.pk)
    for rule in RULES.values():  # unchanged parameters, as the form shows them
        for name, default in rule.defaults.items():
            if isinstance(default, bool):
                if default:
                    data[f"p_{rule.code}_{name}"] = "on"
            elif isinstance(default, list):
                data[f"p_{rule.code}_{name}"] = "、".join(default)
            elif isinstance(default, dict):
                data[f"p_{rule.code}_{name}"] = "，".join(f"{k}={v}" for k, v in default.items())
            else:
                data[f"p_{rule.code}_{name}"] = str(default)
    data.update(extra)
    return data


def test_the_form_defaults_to_every_rule_and_the_latest_versions(client, dc):
    import_files(dc.city_data, small_files(dc.tmp / "a"), "530100")
    newer = import_files(dc.city_data, small_files(dc.tmp / "b"), "530100")
    client.force_login(dc.city_data)
    page = client.get(reverse("datacheck:run_start"))
    form = page.context["form"]
    assert form.fields["rules"].initial == list(RULES)
    by_dataset = {v.dataset: v for v in newer}
    assert form.fields["v_payments"].initial == str(by_dataset["payments"].pk)
    assert form.fields["v_deaths"].initial == str(by_dataset["deaths"].pk)
    assert form.fields["v_persons"].initial == ""  # never imported
    text = page.content.decode()
    assert "R07 账户集中" in text and "min_id_nos" in text and "低保、特困供养" in text


def test_start_run_with_a_changed_parameter(client, dc):
    versions = import_files(dc.city_data, small_files(dc.tmp), "530100")
    client.force_login(dc.city_data)
    response = client.post(
        reverse("datacheck:run_start"), _form_data(versions, p_R01_grace_months="1")
    )
    run = Run.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("datacheck:run_detail", args=[run.pk])
    assert run.rules == ["R01"] and run.params == {"R01": {"grace_months": 1}}
    assert run.succeeded
    # died in March: with one month's grace only May (五华) is after it; April is not
    assert sorted(Hit.objects.values_list("period", flat=True)) == ["2024-05"]

    page = client.get(response["Location"]).content.decode()
    assert "R01 死亡后仍发放" in page and "宽限月数</span>：<strong>1个月</strong>" in page
    assert "grace_months" not in page
    assert "780.00" in page  # the money involved
    assert "发放记录编号：P3" in page  # the evidence, readable


def test_a_rule_without_its_dataset_is_an_error_on_that_dataset(client, dc):
    versions = import_files(dc.city_data, small_files(dc.tmp), "530100")
    client.force_login(dc.city_data)
    response = client.post(
        reverse("datacheck:run_start"), _form_data(versions, rules=["R01", "R06"])
    )
    assert response.status_code == 422
    errors = response.context["form"].errors
    assert errors["v_persons"] == ["规则 R06 需要此数据集，请选择版本（或先导入）"]
    assert not Run.objects.exists()


def test_a_bad_parameter_names_itself(client, dc):
    versions = import_files(dc.city_data, small_files(dc.tmp), "530100")
    client.force_login(dc.city_data)
    response = client.post(
        reverse("datacheck:run_start"), _form_data(versions, p_R01_grace_months="两个月")
    )
    assert response.status_code == 422
    assert response.context["form"].errors["p_R01_grace_months"] == ["应为整数"]
    assert not Run.objects.exists()


def test_run_page_polls_while_running_and_refreshes_when_done(client, dc, settings):
    settings.JIANDU_TASKS_MODE = "worker"  # stays queued
    versions = import_files(dc.city_data, small_files(dc.tmp), "530100")
    client.force_login(dc.city_data)
    client.post(reverse("datacheck:run_start"), _form_data(versions))
    run = Run.objects.get()
    url = reverse("datacheck:run_detail", args=[run.pk])
    page = client.get(url).content.decode()
    assert 'hx-trigger="every 2s"' in page and "排队中" in page
    assert reverse("core:task_detail", args=[run.task_id]) in page

    from jiandu.core.tasks import task_run

    task_run(run.task_id)
    partial = client.get(url, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="run-status")
    assert partial["HX-Refresh"] == "true"
    assert "every 2s" not in partial.content.decode()
    page = client.get(url).content.decode()
    assert "各规则结果" in page


def test_permissions(client, dc):
    client.force_login(dc.users["leader"])  # 领导查阅: may look at runs, not start one
    assert client.get(reverse("datacheck:run_list")).status_code == 200
    assert client.get(reverse("datacheck:run_start")).status_code == 403
    client.force_login(dc.users["petition_officer"])
    assert client.get(reverse("datacheck:run_list")).status_code == 403


def test_a_failed_run_says_why(client, dc):
    versions = import_files(dc.city_data, small_files(dc.tmp), "530100")
    deaths = next(v for v in versions if v.dataset == "deaths")
    files.absolute(deaths.file_path).unlink()  # the stored version went missing
    client.force_login(dc.city_data)
    client.post(reverse("datacheck:run_start"), _form_data(versions))
    run = Run.objects.get()
    assert run.task.status == "failed" and run.finished_at is None
    assert not Hit.objects.exists()
    assert "缺少数据文件" in run.error_message and "deaths" in run.error_message
    page = client.get(reverse("datacheck:run_detail", args=[run.pk])).content.decode()
    assert "比对未完成" in page and "缺少数据文件" in page and "Traceback" not in page


def test_rule_pages_name_parameters_in_chinese(client, dc):
    """Parameters read as labels and formatted values, never as code."""
    client.force_login(dc.city_data)
    page = client.get(reverse("datacheck:rule_list")).content.decode()
    for text in (
        "宽限月数：<strong>0个月</strong>",
        "经济困难类项目：<strong>低保、特困供养</strong>",
        "只计任职期间持有：<strong>是</strong>",
        "项目起始年龄：<strong>高龄津贴：80周岁</strong>",
        "允许超出金额：<strong>0.00元</strong>",
    ):
        assert text in page
    for code in ("grace_months", "means_tested", "True", "['低保'", "age_thresholds"):
        assert code not in page
    form = client.get(reverse("datacheck:run_start")).content.decode()
    assert "宽限月数（个月）" in form and "参数 grace_months" not in form
