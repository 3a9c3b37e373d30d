"""``jiandu import orgs|people|posts|clues|outcomes FILE --actor USERNAME [--json]``.

The same all-or-nothing import as the upload page, as the named user (whose permissions
and jurisdiction apply). Exit code 1, with every problem listed, when nothing was
imported."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import CommandError, CommandParser

from jiandu.core.management.base import PlatformCommand
from jiandu.imports.choices import ImportKindKey

# The importers (and with them every app's models) are imported in handle(), so that
# ``--help`` answers without loading the models (jiandu.cli.help_without_setup).


class Command(PlatformCommand):
    help = "从按模板填写的 Excel 文件导入组织机构、人员、任职、问题线索或处理结果（全部正确才写入）"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "kind",
            metavar="类型",
            help="导入类型："
            + "，".join(f"{k.value}（{k.label}）" for k in ImportKindKey)
            + "，以及各业务模块登记的类型",
        )
        parser.add_argument("file", help=".xlsx 文件路径")
        parser.add_argument(
            "--actor", required=True, help="以该用户（用户名）的权限和管辖范围导入，并记入审计日志"
        )
        parser.add_argument("--json", action="store_true", help="以 JSON 输出结果")

    def handle(self, *args: Any, **options: Any) -> None:
        from django.contrib.auth import get_user_model

        from jiandu.imports.importers import MAX_ROWS_COMMAND_LINE, check_size
        from jiandu.imports.kinds import KINDS
        from jiandu.imports.services import ImportResult, import_file

        # Checked here rather than by argparse: the kinds other apps register are found
        # only when the importers load.
        if options["kind"] not in KINDS:
            known = "，".join(f"{key}（{KINDS[key].label}）" for key in KINDS)
            raise CommandError(f"没有“{options['kind']}”这种导入类型；可用：{known}", returncode=2)
        kind = KINDS[options["kind"]]
        actor = get_user_model().objects.filter(username=options["actor"], is_active=True).first()
        if actor is None:
            raise CommandError(f"用户“{options['actor']}”不存在或已停用")
        if not kind.permitted(actor):
            raise CommandError(f"用户“{actor.username}”没有导入{kind.label}的权限")
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"文件“{path}”不存在")
        refusal = check_size(path.stat().st_size)
        if refusal:
            # Refused before the file is read, as the upload page does.
            result = ImportResult.refused(
                kind=kind.key, filename=path.name, message=refusal, sheet=kind.sheets[0].title
            )
        else:
            # No request timeout here: a whole register may come in one file.
            result = import_file(
                actor=actor,
                kind=kind.key,
                filename=path.name,
                data=path.read_bytes(),
                max_rows=MAX_ROWS_COMMAND_LINE,
            )
        if options["json"]:
            self.stdout.write(json.dumps(result.as_dict(), ensure_ascii=False, indent=2))
        elif result.ok:
            self.stdout.write(f"已导入“{path.name}”：{result.rows}行")
            for label, count in result.created_items:
                self.stdout.write(f"  {label}：{count}")
            for external, number in result.references.items():
                self.stdout.write(f"  外部编号 {external} → {number}")
        else:
            for error in result.errors:
                place = "".join(
                    part
                    for part in (
                        f"[{error.sheet}]" if error.sheet and len(kind.sheets) > 1 else "",
                        f"第{error.row}行" if error.row else "",
                        f"“{error.column}”" if error.column else "",
                    )
                )
                self.stderr.write(f"{place}：{error.message}" if place else error.message)
        if not result.ok:
            raise CommandError(
                f"未导入：发现{len(result.errors)}个问题，没有写入任何数据", returncode=1
            )
