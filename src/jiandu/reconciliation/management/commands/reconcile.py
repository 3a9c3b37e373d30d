"""``jiandu reconcile zero-report|match``: 零报告 detection and 对账 from the command line.

* ``jiandu reconcile zero-report --period 2026Q3 [--within ORG_ID] [--user USERNAME]
  [--json]`` — flag the units whose self-found problems of the period are 0 or below the
  rule's share (idempotent: a unit already flagged for the period is left as it is);
* ``jiandu reconcile match --period 2026Q3 --org ORG_ID [--user USERNAME] [--json]`` —
  open a unit's reconciliation of the period and pair automatically.

Without ``--user`` the run is the system's, over every unit; with it, the user's
jurisdiction and permissions apply. Errors are printed in Chinese and exit with 1.
"""

from __future__ import annotations

import json
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import CommandError, CommandParser

from jiandu.core.management.base import PlatformCommand
from jiandu.reconciliation.lifecycle import TransitionError
from jiandu.reconciliation.periods import period_parse

# The models and services are imported where they are used, so that ``--help`` answers
# without loading every app's models (jiandu.cli.help_without_setup).


class Command(PlatformCommand):
    help = "对账销账：零报告检测（zero-report）、自动对账（match）"

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="subcommand", required=True)
        zero = sub.add_parser("zero-report", help="检测一个期间的零报告、自查偏少单位")
        zero.add_argument("--period", required=True, help="期间，如 2026Q3、2026-09、2026H1、2026")
        zero.add_argument(
            "--within", type=int, default=None, help="只检测该单位（编号）及其下属单位"
        )
        zero.add_argument("--user", default="", help="以该用户检测（须有权限，限其管辖范围）")
        zero.add_argument("--json", action="store_true", help="以 JSON 输出")
        match = sub.add_parser("match", help="按单位、类别、期间自动对账")
        match.add_argument("--period", required=True, help="期间，如 2026Q3")
        match.add_argument("--org", type=int, required=True, help="单位编号")
        match.add_argument("--user", default="", help="以该用户对账（须有权限，限其管辖范围）")
        match.add_argument("--json", action="store_true", help="以 JSON 输出")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            if options["subcommand"] == "zero-report":
                self._zero_report(options)
            else:
                self._match(options)
        except ValidationError as exc:
            raise CommandError("；".join(exc.messages)) from None
        except TransitionError as exc:
            raise CommandError(str(exc)) from None

    def _actor(self, options: dict[str, Any], perm: str) -> Any:
        from django.contrib.auth import get_user_model

        if not options["user"]:
            return None
        actor = get_user_model().objects.filter(username=options["user"], is_active=True).first()
        if actor is None:
            raise CommandError(f"用户“{options['user']}”不存在或已停用")
        if not actor.has_perm(perm):
            raise CommandError(f"用户“{actor.username}”没有该操作的权限")
        return actor

    def _emit(self, options: dict[str, Any], data: Any, text: str) -> None:
        if options.get("json"):
            self.stdout.write(json.dumps(data, ensure_ascii=False, indent=2, default=str))
        else:
            self.stdout.write(text)

    def _zero_report(self, options: dict[str, Any]) -> None:
        from jiandu.orgs.models import Org
        from jiandu.reconciliation.services import zero_report_detect

        actor = self._actor(options, "reconciliation.detect_zeroreport")
        period = period_parse(options["period"])
        within = None
        if options["within"] is not None:
            within = Org.objects.filter(pk=options["within"]).first()
            if within is None:
                raise CommandError(f"单位（编号{options['within']}）不存在")
        result = zero_report_detect(actor=actor, period=period, within=within)
        data = result.as_dict()
        lines = [
            f"{period.label}：检测{data['units_checked']}个单位，新标记{data['flags_created']}个，"
            f"此前已标记{data['flags_existing']}个（规则：{data['rule']}）"
        ]
        lines += [
            f"  {f['org']}：{f['reason']}（自查{f['self_found']}，"
            f"其他来源问题{f['other_problems']}，信访举报{f['petitions']}）"
            for f in data["created"]
        ]
        self._emit(options, data, "\n".join(lines))

    def _match(self, options: dict[str, Any]) -> None:
        from jiandu.reconciliation.services import (
            reconciliation_match,
            reconciliation_open,
            scope_units,
        )

        actor = self._actor(options, "reconciliation.change_reconciliation")
        period = period_parse(options["period"])
        org = scope_units(actor=actor).filter(pk=options["org"]).first()
        if org is None:
            raise CommandError(f"单位（编号{options['org']}）不存在或不在管辖范围内")
        reconciliation = reconciliation_open(actor=actor, org=org, period=period)
        created = reconciliation_match(actor=actor, reconciliation=reconciliation)
        data = {
            "reconciliation": reconciliation.pk,
            "org": org.name,
            "period": period.key,
            "pairs_created": [[p.self_problem_id, p.other_problem_id] for p in created],
        }
        self._emit(options, data, f"{org.name} {period.label}：新配对{len(created)}组")
