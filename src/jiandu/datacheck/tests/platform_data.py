"""Helpers of the platform tests (``test_platform_*``): who is who in 大数据比对, small
hand-made department files, and shortcuts that import and run through the real services.
The fixtures are in :mod:`.platform_support`.
"""

from __future__ import annotations

import csv
import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jiandu.core import idnumbers
from jiandu.datacheck.models import DatasetVersion, Run
from jiandu.datacheck.services import dataset_import, run_start
from jiandu.testing import World

WUHUA = "530102"  # the world's county (五华区)
PANLONG = "530103"  # the outsider's county (盘龙区)


def valid_id(region: str, birth: dt.date, sequence: int) -> str:
    return idnumbers.make(region, birth, sequence)


# Two people who died in March 2024 and were paid on: one in 五华区, one in 盘龙区.
P_WUHUA = valid_id(WUHUA, dt.date(1940, 5, 1), 11)
P_PANLONG = valid_id(PANLONG, dt.date(1942, 6, 2), 21)


@dataclass
class DatacheckWorld:
    """The standard world plus who does what in 大数据比对."""

    world: World
    city_data: Any  # 市纪委监委 data officer who also manages clues (converts hits)
    county_data: Any  # 五华区 data officer
    identity: Any  # city data officer allowed to see full ID numbers
    outsider: Any  # 盘龙区 data officer
    tmp: Path

    @property
    def users(self) -> dict[str, Any]:
        return self.world.users


def write_csv(path: Path, rows: list[dict[str, Any]], headers: list[str] | None = None) -> Path:
    headers = headers or list(rows[0])
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=headers)
        writer.writeheader()
        for row in rows:
            writer.writerow({k: ("" if v is None else v) for k, v in row.items()})
    return path


def payment(pid: str, id_no: str, period: str, region: str, *, program: str = "低保") -> dict:
    return {
        "payment_id": pid,
        "program": program,
        "id_no": id_no,
        "name": "张三" if id_no == P_WUHUA else "李四",
        "period": period,
        "paid_on": f"{period}-15",
        "amount": "780.00",
        "account_no": f"62{id_no[-14:]}",
        "account_holder_id_no": "",
        "region_code": f"{region}001001",
    }


def small_files(folder: Path) -> dict[str, Path]:
    """payments and deaths for R01: both people paid for April and May 2024 after dying
    in March; 五华's person also paid for March (legitimate)."""
    payments = [
        payment("P1", P_WUHUA, "2024-03", WUHUA),
        payment("P2", P_WUHUA, "2024-04", WUHUA),
        payment("P3", P_WUHUA, "2024-05", WUHUA),
        payment("P4", P_PANLONG, "2024-04", PANLONG),
    ]
    deaths = [
        {"id_no": P_WUHUA, "name": "张三", "death_date": "2024-03-10", "source": "公安注销"},
        {"id_no": P_PANLONG, "name": "李四", "death_date": "2024-03-20", "source": "民政殡葬"},
    ]
    return {
        "payments": write_csv(folder / "payments.csv", payments),
        "deaths": write_csv(folder / "deaths.csv", deaths),
    }


def import_files(actor: Any, paths: dict[str, Path], region: str) -> list[DatasetVersion]:
    return [
        dataset_import(actor=actor, dataset=name, region_code=region, path=path)
        for name, path in paths.items()
    ]


def small_run(dc: DatacheckWorld, actor: Any | None = None, region: str = "530100") -> Run:
    """R01 over the small files, started by ``actor`` (the city data officer)."""
    actor = actor or dc.city_data
    versions = import_files(actor, small_files(dc.tmp / f"small-{actor.pk}"), region)
    return run_start(actor=actor, rules=["R01"], versions=versions, region_code=region)
