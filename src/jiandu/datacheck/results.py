"""Turning a finished run's ``hits.csv`` into hit rows: parse each hit and find where
its subject lives (the region code that scopes who may see it) and the person's name.

The engine's hits name a subject (an ID number, or for R07 an account) and evidence that
names source rows; the region comes, in order of preference, from the evidence itself,
the payment rows it names, the payments into the account (R07), the population register,
the enrolments, and finally the run's own region. The lookups scan only the run's input
files, with the wanted keys pushed down to the Parquet reader.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from jiandu.datacheck.choices import ACCOUNT_RULES
from jiandu.datacheck.evidence import money


@dataclass
class ParsedHit:
    """One row of ``hits.csv``, parsed, plus where its subject lives."""

    rule: str
    subject: str
    program: str
    period: str
    amount: Decimal | None
    evidence: dict[str, Any]
    region_code: str = ""
    name: str = ""
    payment_ids: list[str] = field(default_factory=list)


def read_hits(path: Path) -> list[ParsedHit]:
    hits: list[ParsedHit] = []
    with Path(path).open(encoding="utf-8-sig", newline="") as handle:
        for row in csv.DictReader(handle):
            try:
                evidence = json.loads(row.get("evidence") or "{}")
            except ValueError:
                evidence = {"raw": row.get("evidence", "")}
            if not isinstance(evidence, dict):
                evidence = {"value": evidence}
            payment_ids: list[str] = []
            if isinstance(evidence.get("payment_id"), str):
                payment_ids.append(evidence["payment_id"])
            if isinstance(evidence.get("payment_ids"), list):
                payment_ids.extend(str(p) for p in evidence["payment_ids"])
            hits.append(
                ParsedHit(
                    rule=row["rule"],
                    subject=row["subject"],
                    program=row.get("program") or "",
                    period=row.get("period") or "",
                    amount=money(row.get("amount")),
                    evidence=evidence,
                    payment_ids=payment_ids,
                )
            )
    return hits


def _scan(path: Path, columns: list[str], key: str, keys: Iterable[str]) -> list[dict[str, Any]]:
    import pyarrow.dataset as ds

    wanted = sorted(set(keys))
    if not wanted or not path.exists():
        return []
    dataset = ds.dataset(path, format="parquet")
    present = [c for c in columns if c in dataset.schema.names]
    if key not in present:
        return []
    table = dataset.to_table(columns=present, filter=ds.field(key).isin(wanted))
    return table.to_pylist()


def locate(hits: list[ParsedHit], *, input_dir: Path, fallback_region: str) -> None:
    """Fill ``region_code`` and ``name`` of each hit in place."""
    payments = input_dir / "payments.parquet"
    persons = input_dir / "persons.parquet"
    enrolments = input_dir / "beneficiaries.parquet"
    cols = ["payment_id", "account_no", "id_no", "name", "region_code"]

    by_payment = {
        r["payment_id"]: r
        for r in _scan(payments, cols, "payment_id", (p for h in hits for p in h.payment_ids))
    }
    accounts = {h.subject for h in hits if h.rule in ACCOUNT_RULES}
    by_account: dict[str, dict[str, Any]] = {}
    for r in _scan(payments, cols, "account_no", accounts):
        by_account.setdefault(r["account_no"], r)
    ids = {h.subject for h in hits if h.rule not in ACCOUNT_RULES}
    by_person = {
        r["id_no"]: r for r in _scan(persons, ["id_no", "name", "region_code"], "id_no", ids)
    }
    by_enrolment: dict[str, dict[str, Any]] = {}
    for r in _scan(enrolments, ["id_no", "name", "region_code"], "id_no", ids):
        by_enrolment.setdefault(r["id_no"], r)

    for hit in hits:
        evidence = hit.evidence
        sources: list[dict[str, Any]] = []
        if isinstance(evidence.get("region_code"), str):
            sources.append({"region_code": evidence["region_code"], "name": evidence.get("name")})
        sources.extend(by_payment[p] for p in hit.payment_ids if p in by_payment)
        if hit.rule in ACCOUNT_RULES:
            if hit.subject in by_account:
                sources.append({"region_code": by_account[hit.subject]["region_code"]})
        else:
            for table in (by_person, by_enrolment):
                if hit.subject in table:
                    sources.append(table[hit.subject])
        hit.region_code = next(
            (s["region_code"] for s in sources if s.get("region_code")), fallback_region
        )
        # An account has no name of its own: its hit lists the people paid into it.
        if hit.rule not in ACCOUNT_RULES:
            hit.name = next((str(s["name"]) for s in sources if s.get("name")), "")
