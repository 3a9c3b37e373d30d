"""Uploading a department file: step 1 stores it and reads its headers, step 2 maps each
header to a canonical column (pre-filled where the names match) and imports it as a new
dataset version with its report; a file refused as a whole stores nothing."""

from django.urls import reverse

from jiandu.core.choices import AuditAction
from jiandu.core.models import AuditLog
from jiandu.datacheck import files
from jiandu.datacheck.models import DatasetVersion

from .platform_data import P_PANLONG, P_WUHUA, write_csv

pytest_plugins = ["jiandu.datacheck.tests.platform_support"]

HEADERS = ["身份证号", "姓名", "死亡时间", "信息来源", "备注"]


def _row(id_no, name, died, *, source="", note=""):
    return dict(zip(HEADERS, (id_no, name, died, source, note), strict=True))


def _deaths_file(folder, rows):
    return write_csv(folder / "民政死亡名单.csv", rows, HEADERS)


def _upload(client, path, dataset="deaths", region="530100"):
    with path.open("rb") as handle:
        return client.post(
            reverse("datacheck:dataset_upload"),
            {"dataset": dataset, "region_code": region, "file": handle},
        )


def test_upload_map_and_import_with_the_report(client, dc):
    rows = [
        _row(P_WUHUA, "张三", "2024-03-10", source="民政"),
        _row(P_PANLONG, "李四", "2024-02-30"),
        _row("530102194005010019", "王五", "2024-01-05", source="公安", note="号码有误"),
    ]
    client.force_login(dc.city_data)
    response = _upload(client, _deaths_file(dc.tmp, rows))
    assert response.status_code == 302
    mapping_url = response["Location"]

    page = client.get(mapping_url)
    assert page.status_code == 200
    form = page.context["form"]
    guesses = {field.label: field.initial for field in form.fields.values()}
    # headers shown, names that match pre-filled, unknown headers left unmapped
    assert guesses == {
        "身份证号": "id_no",
        "姓名": "name",
        "死亡时间": "death_date",
        "信息来源": "source",
        "备注": "",
    }
    assert "民政死亡名单.csv" in page.content.decode()

    response = client.post(
        mapping_url,
        {"col_0": "id_no", "col_1": "name", "col_2": "death_date", "col_3": "source", "col_4": ""},
    )
    version = DatasetVersion.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("datacheck:version_detail", args=[version.pk])
    assert (version.dataset, version.version, version.org, version.region_code) == (
        "deaths",
        1,
        dc.world.city,
        "530100",
    )
    assert (version.rows_read, version.rows_rejected, version.rows_imported) == (3, 1, 2)
    assert version.mapping == {
        "身份证号": "id_no",
        "姓名": "name",
        "死亡时间": "death_date",
        "信息来源": "source",
    }
    assert files.absolute(version.file_path).exists()
    # the staged upload is gone once imported
    assert client.get(mapping_url).status_code == 404

    report = client.get(response["Location"]).content.decode()
    assert "读取行数" in report
    # the rejected row: its spreadsheet row number, column and why
    assert version.report["errors"] == [
        {"row": 3, "column": "death_date", "message": "日期无效（应为 YYYY-MM-DD，且为真实日期）"}
    ]
    assert "<td>死亡日期</td>" in report and "日期无效" in report
    assert "death_date" not in report and "id_valid" not in report
    # the invalid ID number is kept and flagged, not rejected
    assert version.report["warnings"][0]["row"] == 4
    assert "标记为身份证号码无效" in version.report["warnings"][0]["message"]
    assert "id_valid" not in version.report["warnings"][0]["message"]
    audit = AuditLog.objects.filter(action=AuditAction.IMPORT).get()
    assert audit.object_id == str(version.pk)
    assert audit.changes["rows_rejected"] == 1


def test_a_second_upload_is_a_new_version(client, dc):
    row = _row(P_WUHUA, "张三", "2024-03-10")
    client.force_login(dc.city_data)
    for _ in range(2):
        mapping_url = _upload(client, _deaths_file(dc.tmp, [row]))["Location"]
        client.post(mapping_url, {"col_0": "id_no", "col_1": "name", "col_2": "death_date"})
    assert list(DatasetVersion.objects.order_by("version").values_list("version", flat=True)) == [
        1,
        2,
    ]


def test_missing_required_column_is_refused_and_nothing_stored(client, dc):
    row = _row(P_WUHUA, "张三", "2024-03-10")
    client.force_login(dc.city_data)
    mapping_url = _upload(client, _deaths_file(dc.tmp, [row]))["Location"]
    response = client.post(mapping_url, {"col_0": "id_no", "col_1": "name", "col_2": ""})
    assert response.status_code == 422
    assert "缺少必需的列：死亡日期" in response.content.decode()
    assert response.context["form"].non_field_errors() == ["缺少必需的列：死亡日期"]
    assert not DatasetVersion.objects.exists()
    assert not files.store_root(dc.world.city.pk).exists()


def test_a_file_with_no_importable_row_lists_the_errors_and_stores_nothing(client, dc):
    rows = [
        _row(P_WUHUA, "张三", "2024-13-01"),
        _row(P_PANLONG, "", "2024-01-01"),
    ]
    client.force_login(dc.city_data)
    mapping_url = _upload(client, _deaths_file(dc.tmp, rows))["Location"]
    response = client.post(mapping_url, {"col_0": "id_no", "col_1": "name", "col_2": "death_date"})
    assert response.status_code == 422
    text = response.content.decode()
    assert "文件未导入" in text and "没有可导入的数据行" in text and "第2行" in text
    assert not DatasetVersion.objects.exists()
    assert not AuditLog.objects.filter(action=AuditAction.IMPORT).exists()


def test_unreadable_file_is_refused_at_upload(client, dc):
    path = dc.tmp / "gbk.csv"
    path.write_bytes("身份证号,姓名\n".encode("gbk"))
    client.force_login(dc.city_data)
    response = _upload(client, path)
    assert response.status_code == 422
    assert "不是 UTF-8 编码的 CSV 文件" in response.content.decode()
    uploads = files.data_root() / "datacheck" / "uploads"
    assert not uploads.exists() or not any(uploads.iterdir())


def test_region_outside_the_jurisdiction_is_not_offered(client, dc):
    row = _row(P_WUHUA, "张三", "2024-03-10")
    client.force_login(dc.county_data)
    response = _upload(client, _deaths_file(dc.tmp, [row]), region="530103")
    assert response.status_code == 422
    assert "region_code" in response.context["form"].errors


def test_permissions(client, dc):
    client.force_login(dc.users["petition_officer"])  # no comparison permissions
    assert client.get(reverse("datacheck:dataset_list")).status_code == 403
    assert client.get(reverse("datacheck:dataset_upload")).status_code == 403
    client.force_login(dc.users["leader"])  # may look, may not upload
    assert client.get(reverse("datacheck:dataset_list")).status_code == 200
    assert client.get(reverse("datacheck:dataset_upload")).status_code == 403


def test_another_users_staged_upload_is_not_found(client, dc):
    row = _row(P_WUHUA, "张三", "2024-03-10")
    client.force_login(dc.city_data)
    mapping_url = _upload(client, _deaths_file(dc.tmp, [row]))["Location"]
    client.force_login(dc.identity)
    assert client.get(mapping_url).status_code == 404


def test_a_jurisdiction_without_region_codes_is_explained(client, dc):
    from jiandu.accounts import roles as r
    from jiandu.testing import make_user

    officer = make_user("group_data", dc.world.group1, r.ROLE_DATA)  # 市直单位 only
    client.force_login(officer)
    response = _upload(
        client, _deaths_file(dc.tmp, [_row(P_WUHUA, "张三", "2024-03-10")]), region=""
    )
    assert response.status_code == 422
    assert response.context["form"].errors["region_code"] == [
        "您管辖范围内的单位都没有设置行政区划代码，请联系系统管理员"
    ]
