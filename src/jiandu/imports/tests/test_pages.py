from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from jiandu.imports.tests.helpers import ID_1, ID_2, sheet_file
from jiandu.people.models import Person

BAD_PEOPLE = sheet_file(
    "people",
    ["张某某", ID_1, "", "红云街道", ""],
    ["李某", ID_1[:17] + ("0" if ID_1[17] != "0" else "1"), "", "红云镇", ""],
)


def _upload(client, kind, data, name="人员.xlsx", **headers):
    return client.post(
        reverse("imports:upload", args=[kind]), {"file": SimpleUploadedFile(name, data)}, **headers
    )


def test_the_index_lists_the_kinds_the_user_may_import(
    client, users, world, django_assert_max_num_queries
):
    client.force_login(users["city"])
    for number, name in ((ID_1, "张某某"), (ID_2, "李某")):  # history rows cost no queries
        _upload(client, "people", sheet_file("people", [name, number, "", "红云街道", ""]))
    with django_assert_max_num_queries(9):
        response = client.get(reverse("imports:index"))
    assert response.status_code == 200
    page = response.content.decode()
    for key in ("people", "posts", "clues", "outcomes"):
        assert reverse("imports:template", args=[key]) in page
        assert reverse("imports:upload", args=[key]) in page
    assert reverse("imports:template", args=["orgs"]) not in page  # no orgs.add_org
    assert "下载模板" in page


def test_the_upload_page_shows_the_error_table(client, users, world):
    client.force_login(users["county"])
    response = _upload(client, "people", BAD_PEOPLE)
    assert response.status_code == 422
    page = response.content.decode()
    assert '<th scope="col">行</th>' in page and '<th scope="col">列</th>' in page
    assert '<th scope="col">问题</th>' in page
    assert "校验位错误" in page and "单位“红云镇”不存在或不在您的管辖范围内" in page
    assert "没有写入任何数据" in page
    assert "<html" in page  # a full page without htmx
    assert not Person.objects.exists()


def test_htmx_gets_the_result_partial(client, users, world):
    client.force_login(users["county"])
    response = _upload(client, "people", BAD_PEOPLE, HTTP_HX_REQUEST="true")
    page = response.content.decode()
    assert "<html" not in page and "校验位错误" in page

    good = sheet_file("people", ["张某某", ID_1, "", "红云街道", ""])
    response = _upload(client, "people", good, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    page = response.content.decode()
    assert "导入成功" in page and "登记人员" in page
    assert Person.objects.get().name == "张某某"


def test_the_history_shows_the_users_imports(client, users, world):
    client.force_login(users["county"])
    _upload(
        client,
        "people",
        sheet_file("people", ["张某某", ID_1, "", "红云街道", ""]),
        name="名册.xlsx",
    )
    page = client.get(reverse("imports:index")).content.decode()
    assert "名册.xlsx" in page and "登记人员 1" in page
    client.force_login(users["city"])
    assert "名册.xlsx" not in client.get(reverse("imports:index")).content.decode()


def test_a_non_xlsx_upload_is_refused(client, users, world):
    client.force_login(users["county"])
    response = _upload(client, "people", b"a,b\n", name="人员.csv")
    assert response.status_code == 422
    assert "请上传 .xlsx 文件" in response.content.decode()


def test_permissions(client, users, world, data_officer):
    urls = [
        ("get", reverse("imports:template", args=["orgs"])),
        ("post", reverse("imports:upload", args=["orgs"])),
    ]
    # Anonymous: to the login page.
    response = client.get(reverse("imports:index"))
    assert response.status_code == 302 and reverse("accounts:login") in response["Location"]
    # No import permission at all (a leader reads, the auditor audits): 403.
    for name in ("leader", "auditor"):
        client.force_login(users[name])
        assert client.get(reverse("imports:index")).status_code == 403
    # A clue officer may not import orgs.
    client.force_login(users["city"])
    for method, url in urls:
        assert getattr(client, method)(url).status_code == 403
    assert client.get(reverse("imports:template", args=["people"])).status_code == 200
    # A data officer may import orgs and people but not clues or outcomes.
    client.force_login(data_officer)
    assert client.get(urls[0][1]).status_code == 200
    assert client.get(reverse("imports:template", args=["clues"])).status_code == 403
    assert _upload(client, "outcomes", b"x").status_code == 403
    # An unknown kind does not exist.
    assert client.get(reverse("imports:template", args=["secrets"])).status_code == 404
