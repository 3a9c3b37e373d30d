"""``jiandu stats rebuild|check``: the statistics centre's daily aggregate (ADR 0016).

* ``jiandu stats rebuild [--org ORG_ID] [--from 2025-01-01] [--to 2025-12-31] [--json]``
  — recompute the aggregate from the raw records for the org and its subtree (all orgs
  without ``--org``) and the days in the range (all days without it); idempotent;
* ``jiandu stats check [--org ORG_ID] [--from …] [--to …] [--json]`` — every figure of
  every month in the range (default: the last 24 months) and of each whole year read from
  the aggregate and counted from the raw records; exit status 1 and the differences
  named when any disagree.
"""

from __future__ import annotations

import datetime as dt
import json
import time
from typing import Any

from django.core.management.base import CommandError, CommandParser
from django.utils import timezone

from jiandu.core.management.base import PlatformCommand


def _day(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise CommandError(f"日期“{text}”格式不对，应为 YYYY-MM-DD") from None


class Command(PlatformCommand):
    help = "统计中心：重建日汇总（rebuild）、核对日汇总与原始记录（check）"

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="subcommand", required=True)
        for name, text in (("rebuild", "由原始记录重算日汇总"), ("check", "核对日汇总与原始记录")):
            p = sub.add_parser(name, help=text)
            p.add_argument("--org", type=int, default=None, help="只处理该单位（编号）及其下属单位")
            p.add_argument("--from", dest="start", default="", help="起始日期 YYYY-MM-DD")
            p.add_argument("--to", dest="end", default="", help="截止日期 YYYY-MM-DD")
            p.add_argument("--json", action="store_true", help="以 JSON 输出")

    def handle(self, *args: Any, **options: Any) -> None:
        from jiandu.orgs.models import Org

        start = _day(options["start"]) if options["start"] else None
        end = _day(options["end"]) if options["end"] else None
        if start and end and start > end:
            raise CommandError("起始日期晚于截止日期")
        org_ids = None
        if options["org"] is not None:
            org = Org.objects.filter(pk=options["org"]).first()
            if org is None:
                raise CommandError(f"单位编号 {options['org']} 不存在")
            org_ids = list(
                Org.objects.filter(path__startswith=org.path).values_list("pk", flat=True)
            )
        if options["subcommand"] == "rebuild":
            self._rebuild(options, org_ids, start, end)
        else:
            self._check(options, org_ids, start, end)

    def _emit(self, options: dict[str, Any], data: Any, text: str) -> None:
        if options.get("json"):
            self.stdout.write(json.dumps(data, ensure_ascii=False, indent=2, default=str))
        else:
            self.stdout.write(text)

    def _rebuild(self, options: dict[str, Any], org_ids: Any, start: Any, end: Any) -> None:
        from jiandu.statcentre.services import aggregate_rebuild

        began = time.perf_counter()
        result = aggregate_rebuild(org_ids=org_ids, start=start, end=end)
        seconds = time.perf_counter() - began
        data = {
            "daily_rows": result.daily_rows,
            "monthly_rows": result.monthly_rows,
            "sources": result.sources,
            "seconds": round(seconds, 2),
        }
        self._emit(
            options,
            data,
            f"日汇总已重建：日汇总 {result.daily_rows:,} 行，月汇总 {result.monthly_rows:,} 行，"
            f"{result.sources} 类来源，用时 {seconds:.1f} 秒",
        )

    def _check(self, options: dict[str, Any], org_ids: Any, start: Any, end: Any) -> None:
        from jiandu.statcentre.selectors import aggregate_differences

        today = timezone.localdate()
        end = end or today
        start = start or (end.replace(day=1) - dt.timedelta(days=700)).replace(day=1)
        differences = aggregate_differences(org_ids=org_ids, start=start, end=end)
        data = {"ok": not differences, "start": start, "end": end, "differences": differences}
        if differences:
            lines = [
                f"{d['期间']} {d['指标']}（{d['key']}）单位 {d['org_id']}："
                f"日汇总 {d['日汇总']}，原始记录 {d['原始记录']}"
                for d in differences[:50]
            ]
            self._emit(options, data, "日汇总与原始记录不一致：\n" + "\n".join(lines))
            raise SystemExit(1)
        self._emit(options, data, f"日汇总与原始记录一致（{start} 至 {end}，每月及每年各指标）")
