"""``jiandu index close|compute|trees``: the political-ecology index from the command line.

* ``jiandu index close --month 2026-10 [--reason TEXT] [--tree-version N] [--user USERNAME]
  [--json]`` — the monthly close (same service as the page's button);
* ``jiandu index compute --spec SPEC.json --values VALUES.csv [--json]`` — the calculator
  on files, without a database (see :mod:`jiandu.ecoindex.index_cli`);
* ``jiandu index trees [--json]`` — the tree versions and the months they apply from;
* ``jiandu index export-tree [--version N]`` — a version as JSON (to edit into a new one);
* ``jiandu index new-version --file TREE.json --from 2027-01 --reason TEXT [--json]`` — a
  new version of the tree, applying from that month on (months closed before keep theirs).

Errors are printed in Chinese and exit with 1.
"""

from __future__ import annotations

import json
import sys
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import CommandError, CommandParser

from jiandu.core.management.base import PlatformCommand
from jiandu.ecoindex import index_cli

# The models and services are imported where they are used, so that ``--help`` answers
# without loading every app's models (jiandu.cli.help_without_setup).


class Command(PlatformCommand):
    help = "政治生态指数：月度结账（close）、按文件计算（compute）、列出指标体系版本（trees）"

    def run_from_argv(self, argv: list[str]) -> None:
        if len(argv) > 2 and argv[2] == "compute":
            sys.exit(index_cli.main(argv[3:]))
        super().run_from_argv(argv)

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="subcommand", required=True)
        close = sub.add_parser(
            "close", help="结账：计算各单位当月指数，冻结快照，发出预警、记录复绿"
        )
        close.add_argument("--month", required=True, help="结账月份，如 2026-10")
        close.add_argument("--reason", default="", help="重新结账的原因（该月已结账时必填）")
        close.add_argument(
            "--tree-version", type=int, default=None,
            help="按指定版本的指标体系计算（默认：该月已用的版本，或该月适用的最新版本）",
        )  # fmt: skip
        close.add_argument("--user", default="", help="以该用户结账（须有结账权限）")
        close.add_argument("--json", action="store_true", help="以 JSON 输出")
        compute = sub.add_parser("compute", help="按规则文件和数据 CSV 计算指数（不读写数据库）")
        compute.add_argument("compute_args", nargs="*", help="见 jiandu index compute --help")
        trees = sub.add_parser("trees", help="列出指标体系版本")
        trees.add_argument("--json", action="store_true", help="以 JSON 输出")
        export = sub.add_parser("export-tree", help="以 JSON 输出一个版本的指标体系")
        export.add_argument("--version", type=int, default=None, help="版本号（默认最新）")
        new = sub.add_parser("new-version", help="建立指标体系新版本（从某月起适用）")
        new.add_argument("--file", required=True, help="指标体系 JSON（格式同 export-tree 的输出）")
        new.add_argument(
            "--from", dest="effective_from", required=True, help="起用月份，如 2027-01"
        )
        new.add_argument("--reason", required=True, help="建立新版本的原因")
        new.add_argument("--json", action="store_true", help="以 JSON 输出")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["subcommand"] == "compute":
            code = index_cli.main(options["compute_args"], stdout=self.stdout, stderr=self.stderr)
            if code:
                raise CommandError("计算未完成", returncode=code)
            return
        handler = {
            "close": self._close,
            "trees": self._trees,
            "export-tree": self._export,
            "new-version": self._new_version,
        }[options["subcommand"]]
        handler(options)

    def _emit(self, options: dict[str, Any], data: Any, text: str) -> None:
        if options.get("json"):
            self.stdout.write(json.dumps(data, ensure_ascii=False, indent=2, default=str))
        else:
            self.stdout.write(text)

    def _close(self, options: dict[str, Any]) -> None:
        from django.contrib.auth import get_user_model

        from jiandu.ecoindex.choices import LABEL_BY_COLOUR
        from jiandu.ecoindex.close import index_close
        from jiandu.ecoindex.models import IndexTree, month_label
        from jiandu.ecoindex.selectors import can_close

        actor = None
        if options["user"]:
            actor = (
                get_user_model().objects.filter(username=options["user"], is_active=True).first()
            )
            if actor is None:
                raise CommandError(f"用户“{options['user']}”不存在或已停用")
            if not can_close(actor):
                raise CommandError(f"用户“{actor.username}”没有政治生态指数的结账权限")
        tree = None
        if options["tree_version"] is not None:
            tree = IndexTree.objects.filter(version=options["tree_version"]).first()
            if tree is None:
                raise CommandError(f"指标体系第{options['tree_version']}版不存在")
        try:
            outcome = index_close(
                actor=actor, month=options["month"], reason=options["reason"], tree=tree
            )
        except ValidationError as exc:
            raise CommandError("；".join(exc.messages)) from None
        data = outcome.as_dict()
        snap = outcome.snapshot
        colours = "，".join(f"{LABEL_BY_COLOUR[c]}{n}个" for c, n in data["colours"].items() if n)
        lines = [
            f"已结账：政治生态指数 {snap.month_label}（第{snap.version}版，指标体系第"
            f"{snap.tree.version}版，{data['units']}个单位：{colours or '无'}）"
        ]
        for missing in data["missing_reported"]:
            lines.append(f"缺报：{missing['department']}未填报 {'、'.join(missing['units'])}")
        for warning in data["warnings"]:
            lines.append(f"预警：{warning['org']} {warning['colour']}（{warning['number']}）")
        for item in data["regreened"]:
            months = "、".join(month_label(m) for m in item["months"])
            lines.append(f"复绿：{item['org']}（{item['number']}，{months}连续为绿）")
        self._emit(options, data, "\n".join(lines))

    def _trees(self, options: dict[str, Any]) -> None:
        from jiandu.ecoindex.models import IndexTree, month_label

        rows: list[dict[str, Any]] = [
            {"version": t.version, "effective_from": t.effective_from, "name": t.name,
             "missing": t.missing, "regreen_months": t.regreen_months, "reason": t.reason}
            for t in IndexTree.objects.order_by("version")
        ]  # fmt: skip
        text = "\n".join(
            f"第{r['version']}版 {month_label(r['effective_from'])}起 {r['name']} {r['reason']}"
            for r in rows
        )
        self._emit(options, rows, text or "没有指标体系")

    def _export(self, options: dict[str, Any]) -> None:
        from jiandu.ecoindex.models import IndexTree
        from jiandu.ecoindex.services import tree_document

        qs = IndexTree.objects.order_by("-version")
        tree = qs.filter(version=options["version"]).first() if options["version"] else qs.first()
        if tree is None:
            raise CommandError("指标体系版本不存在")
        self.stdout.write(json.dumps(tree_document(tree), ensure_ascii=False, indent=2))

    def _new_version(self, options: dict[str, Any]) -> None:
        from jiandu.ecoindex.models import month_label
        from jiandu.ecoindex.services import tree_create_version

        try:
            with open(options["file"], encoding="utf-8-sig") as handle:
                document = json.load(handle)
        except OSError as exc:
            raise CommandError(f"无法读取文件 {options['file']}：{exc.strerror or exc}") from None
        except json.JSONDecodeError as exc:
            raise CommandError(
                f"不是有效的 JSON（第{exc.lineno}行第{exc.colno}列：{exc.msg}）"
            ) from None
        try:
            tree = tree_create_version(
                actor=None, document=document, effective_from=options["effective_from"],
                reason=options["reason"],
            )  # fmt: skip
        except ValidationError as exc:
            raise CommandError("；".join(exc.messages)) from None
        data = {"version": tree.version, "effective_from": tree.effective_from}
        text = f"已建立指标体系第{tree.version}版，{month_label(tree.effective_from)}起适用"
        self._emit(options, data, text)
