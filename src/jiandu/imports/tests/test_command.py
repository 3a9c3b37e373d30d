import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from jiandu.imports.services import import_file
from jiandu.imports.tests.helpers import ID_1, ID_2, sheet_file
from jiandu.people.models import Person


def _run(*args):
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("import", *args, stdout=out, stderr=err)
    except CommandError as exc:
        return exc, out.getvalue(), err.getvalue()
    return None, out.getvalue(), err.getvalue()


def test_json_output_is_the_service_result(users, world, tmp_path):
    good = tmp_path / "人员.xlsx"
    good.write_bytes(sheet_file("people", ["张某某", ID_1, "", "红云街道", ""]))

    failure, out, _ = _run("people", str(good), "--actor", "county", "--json")

    assert failure is None
    printed = json.loads(out)
    assert printed == {
        "kind": "people",
        "filename": "人员.xlsx",
        "ok": True,
        "rows": 1,
        "errors": [],
        "created": {"people": 1},
        "references": {},
    }
    assert Person.objects.get().name == "张某某"


def test_errors_exit_non_zero_with_the_same_result_as_the_service(users, world, tmp_path):
    data = sheet_file(
        "people",
        ["张某某", ID_1, "", "红云街道", ""],
        ["李某", ID_2[:17], "党员", "红云街道", ""],
    )
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(data)

    failure, out, _ = _run("people", str(bad), "--actor", "county", "--json")

    assert failure is not None and failure.returncode == 1
    printed = json.loads(out)
    expected = import_file(actor=users["county"], kind="people", filename="bad.xlsx", data=data)
    assert printed == expected.as_dict()
    assert [(e["row"], e["column"]) for e in printed["errors"]] == [
        (3, "身份证号码"),
        (3, "政治面貌"),
    ]
    assert not Person.objects.exists()


def test_plain_output_lists_every_problem(users, world, tmp_path):
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(sheet_file("people", ["李某", ID_2[:17], "", "红云街道", ""]))
    failure, _, err = _run("people", str(bad), "--actor", "county")
    assert failure is not None and failure.returncode == 1
    assert "第2行“身份证号码”：身份证号码应为18位，实际为17位" in err


def test_the_actor_needs_the_permission_of_the_kind(users, world, tmp_path):
    path = tmp_path / "o.xlsx"
    path.write_bytes(sheet_file("orgs", ["龙翔街道", "", "乡镇街道", "五华区纪委监委", "", "", ""]))
    failure, _, _ = _run("orgs", str(path), "--actor", "county")
    assert failure is not None and "没有导入组织机构的权限" in str(failure)
    failure, _, _ = _run("orgs", str(path), "--actor", "nobody")
    assert failure is not None and "不存在" in str(failure)


def test_an_oversized_file_is_refused_unread(users, world, tmp_path, settings, monkeypatch):
    path = tmp_path / "big.xlsx"
    path.write_bytes(b"\0" * 4096)
    settings.JIANDU_MAX_UPLOAD_BYTES = 1024
    monkeypatch.setattr("pathlib.Path.read_bytes", lambda self: pytest.fail("file was read"))
    failure, out, _ = _run("people", str(path), "--actor", "county", "--json")
    assert failure is not None and failure.returncode == 1
    assert "超过上限" in json.loads(out)["errors"][0]["message"]


def test_help_names_the_registrys_own_kinds_as_the_importers_do():
    from jiandu.imports.choices import ImportKindKey
    from jiandu.imports.kinds import KINDS

    own = list(ImportKindKey.values)
    assert list(KINDS)[: len(own)] == own
    assert [k.label for k in ImportKindKey] == [KINDS[k].label for k in own]
