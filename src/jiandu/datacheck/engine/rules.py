"""The default comparison rules R01–R11 of DATACHECK.md, as pure functions over Ibis.

Each rule is registered with its code, Chinese name and description, the datasets it
reads and JSON-able parameters with defaults. Its function takes the canonical tables
(``{"payments": ibis.Table, ...}``) and the merged parameters and returns an Ibis table
of hits with the columns of ``HIT_COLUMNS``:

- ``rule``: the code; ``subject``: the person's id_no (R07: the account_no);
- ``program``, ``period`` (``YYYY-MM``) and ``amount`` (yuan) of the hit;
- ``evidence``: a JSON object naming the source rows (payment ids, death records,
  enrolments, cadre, ...) and the money involved.

Months are compared as month indexes (``year * 12 + month - 1``), so a payment for the
month in which a person died is never "after death", whatever the day of death.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, fields
from typing import Any

import ibis
import ibis.expr.types as ir

from .catalog import DEFAULT_MEANS_TESTED, RULE_SPECS, RuleError, RuleSpec, list_rules
from .idcheck import id_birth_date, id_is_valid

__all__ = [
    "DEFAULT_MEANS_TESTED",
    "HIT_COLUMNS",
    "RULES",
    "Rule",
    "RuleError",
    "get_rules",
    "list_rules",
]

Tables = Mapping[str, ibis.Table]
Params = Mapping[str, Any]

HIT_COLUMNS = ("rule", "subject", "program", "period", "amount", "evidence")
AMOUNT_TYPE = "decimal(18, 2)"
FAR_FUTURE = ibis.date(9999, 12, 31)


@dataclass(frozen=True)
class Rule(RuleSpec):
    """A comparison rule: its catalogue entry (``catalog.RULE_SPECS``) and the function
    that builds its hits."""

    build: Callable[[Tables, Params], ibis.Table] = field(default=None, repr=False)  # type: ignore[assignment]

    def expr(self, tables: Tables, params: Params | None = None) -> ibis.Table:
        missing = [name for name in self.datasets if name not in tables]
        if missing:
            raise RuleError(f"规则 {self.code} 需要数据集：{'、'.join(missing)}")
        return self.build(tables, self.params(params))


RULES: dict[str, Rule] = {}


def register(
    code: str,
) -> Callable[[Callable[[Tables, Params], ibis.Table]], Callable[[Tables, Params], ibis.Table]]:
    """Attach the function that builds the hits of catalogue rule ``code``."""

    def decorate(
        fn: Callable[[Tables, Params], ibis.Table],
    ) -> Callable[[Tables, Params], ibis.Table]:
        spec = RULE_SPECS[code]
        RULES[code] = Rule(**{f.name: getattr(spec, f.name) for f in fields(RuleSpec)}, build=fn)
        return fn

    return decorate


def get_rules(codes: list[str] | None = None) -> list[Rule]:
    """The rules named by ``codes`` (all, in order, when None); unknown codes refused."""
    if not codes:
        return list(RULES.values())
    unknown = [c for c in codes if c not in RULES]
    if unknown:
        raise RuleError(f"未知的规则：{'、'.join(unknown)}（可用：{'、'.join(RULES)}）")
    return [RULES[c] for c in codes]


# --------------------------------------------------------------------------- helpers


def period_index(period: ir.StringValue) -> ir.IntegerValue:
    """``YYYY-MM`` as a month index."""
    return period.substr(0, 4).cast("int32") * 12 + period.substr(5, 2).cast("int32") - 1


def date_index(date: ir.DateValue) -> ir.IntegerValue:
    """The month index of a date's month."""
    return date.year().cast("int32") * 12 + date.month().cast("int32") - 1


def month_text(index: ir.IntegerValue) -> ir.StringValue:
    """A month index (see :func:`period_index`) as ``YYYY-MM``."""
    year = (index // 12).cast("string").lpad(4, "0")
    return year + "-" + (index % 12 + 1).cast("string").lpad(2, "0")


def month_of(date: ir.DateValue) -> ir.StringValue:
    return date.strftime("%Y-%m")


def _escape(text: ir.StringValue) -> ir.StringValue:
    return text.replace("\\", "\\\\").replace('"', '\\"')


def _json_value(value: ir.Value) -> ir.StringValue:
    dtype = value.type()
    if dtype.is_string():
        rendered = '"' + _escape(value) + '"'
    elif dtype.is_boolean():
        rendered = ibis.ifelse(value, "true", "false")
    elif dtype.is_numeric():
        rendered = value.cast("string")
    else:
        rendered = '"' + value.cast("string") + '"'
    return ibis.ifelse(value.isnull(), "null", rendered)


def json_list(values: ir.Column) -> ir.StringValue:
    """An aggregate: the distinct non-null values, sorted, as a JSON array of strings
    (``[]`` when every value is NULL: DuckDB collects those into NULL, not an empty list)."""
    joined = _escape(values.cast("string")).collect(distinct=True).sort().join('","')
    joined = joined.fill_null("")
    return ibis.ifelse(joined == "", "[]", '["' + joined + '"]')


def json_object(**fields: ir.Value) -> ir.StringValue:
    """A JSON object built from column expressions, the same text on every backend.

    Values whose key ends in ``_list`` are already JSON (from ``json_list``) and are
    inserted as they are, under the key without the suffix.
    """
    out: ir.StringValue | None = None
    for key, value in fields.items():
        if key.endswith("_list"):
            rendered = value
            key = key.removesuffix("_list")
        else:
            rendered = _json_value(value if isinstance(value, ir.Value) else ibis.literal(value))
        piece = ibis.literal(f'"{key}":') + rendered
        out = piece if out is None else out + "," + piece
    if out is None:
        return ibis.literal("{}")
    return "{" + out + "}"


def hits(
    table: ibis.Table,
    *,
    rule: str,
    subject: ir.Value,
    program: ir.Value,
    period: ir.Value,
    amount: ir.Value,
    evidence: ir.Value,
) -> ibis.Table:
    """Project a rule's result onto the common hit columns."""
    return table.select(
        rule=ibis.literal(rule),
        subject=subject.cast("string"),
        program=program.cast("string"),
        period=period.cast("string"),
        amount=amount.cast(AMOUNT_TYPE),
        evidence=evidence,
    )


def deaths_per_person(deaths: ibis.Table) -> ibis.Table:
    """One row per dead person (``id_key``): the earliest recorded date and every source."""
    return deaths.group_by(deaths.id_key).aggregate(
        death_date=deaths.death_date.min(),
        death_sources=json_list(deaths.source),
    )


def means_tested(params: Params) -> list[str]:
    return list(params["means_tested"])


# ---------------------------------------------------------------------------- rules


@register("R01")
def died_but_paid(tables: Tables, params: Params) -> ibis.Table:
    """A payment for a month after the month of the person's death.

    Benefits stop with the month of death: a payment for that month is legitimate even
    when the person died on its last day; a payment for any later month (beyond
    ``grace_months``) went to someone who could not receive it.
    """
    payments = tables["payments"]
    deaths = deaths_per_person(tables["deaths"])
    # The last month that may still be paid, as ``YYYY-MM`` text, worked out once per
    # dead person: periods are validated as ``YYYY-MM``, so comparing the texts is the
    # month test, and a plain comparison of two columns keeps DuckDB's join on the ID
    # key fast (month arithmetic on both sides inside the join doubled R01's time).
    deaths = deaths.mutate(
        last_month=month_text(date_index(deaths.death_date) + int(params["grace_months"]))
    )
    joined = payments.join(deaths, payments.id_key == deaths.id_key)
    late = joined.filter(joined.period > joined.last_month)
    return hits(
        late,
        rule="R01",
        subject=late.id_no,
        program=late.program,
        period=late.period,
        amount=late.amount,
        evidence=json_object(
            payment_id=late.payment_id,
            paid_on=late.paid_on,
            amount=late.amount,
            account_no=late.account_no,
            death_date=late.death_date,
            death_sources_list=late.death_sources,
        ),
    )


@register("R02")
def partly_stopped_after_death(tables: Tables, params: Params) -> ibis.Table:
    """A dead person for whom one programme stopped at death and another went on.

    The reference case (seed 004): of the two disability subsidies, the department
    stopped one when the person died and kept paying the other. The stopped programme
    proves the death was known; each programme still paid afterwards is a hit.
    """
    grace = int(params["grace_months"])
    window = int(params["stop_window_months"])
    payments = tables["payments"]
    deaths = deaths_per_person(tables["deaths"])
    joined = payments.join(deaths, payments.id_key == deaths.id_key)
    joined = joined.mutate(
        pidx=period_index(joined.period), didx=date_index(joined.death_date) + grace
    )
    after = joined.pidx > joined.didx
    per_program = joined.group_by(["id_no", "program", "death_date", "didx"]).aggregate(
        last_idx=joined.pidx.max(),
        last_period=joined.period.max(),
        paid_after=after.sum(),
        amount_after=joined.amount.sum(where=after),
        first_after=joined.period.min(where=after),
        payment_ids=json_list(ibis.ifelse(after, joined.payment_id, ibis.null("string"))),
        death_sources=joined.death_sources.max(),
    )
    stopped = per_program.filter(
        (per_program.paid_after == 0) & (per_program.last_idx >= per_program.didx - grace - window)
    )
    stopped_people = stopped.group_by("id_no").aggregate(
        stopped_programs=json_list(stopped.program),
        stopped_last_period=stopped.last_period.max(),
    )
    going = per_program.filter(per_program.paid_after > 0)
    found = going.join(stopped_people, going.id_no == stopped_people.id_no)
    return hits(
        found,
        rule="R02",
        subject=found.id_no,
        program=found.program,
        period=found.first_after,
        amount=found.amount_after,
        evidence=json_object(
            death_date=found.death_date,
            death_sources_list=found.death_sources,
            stopped_programs_list=found.stopped_programs,
            stopped_last_period=found.stopped_last_period,
            continued_program=found.program,
            months_paid_after_death=found.paid_after,
            amount_after_death=found.amount_after,
            payment_ids_list=found.payment_ids,
        ),
    )


# Each month's 4-bit field of a 48-bit number (January the lowest), written as numbers
# so that every backend types them 64-bit (a shift of a literal 1 is 32-bit on some).
_MONTH_FIELDS = {f"{m:02d}": 1 << (4 * (m - 1)) for m in range(1, 13)}
# In each field, the bits above the lowest: set when the field is 2 or more.
_ABOVE_ONE = int("1110" * 12, 2)


def repeated_months(payments: ibis.Table) -> ibis.Table:
    """(id_key, program) of everyone paid more than once for some month of a programme:
    a cheap first pass with one group per person, programme and year (about as many as
    enrolments, not one per payment). Each payment adds 1 to its month's field, so a
    field of 2 or more means that month was paid twice. Exact while a year has at most
    12 payments (no field overflows); more than 12 means a repeat anyway. A period that
    is not ``YYYY-MM`` makes its person a candidate, left to the exact pass."""
    first = payments.select(
        "id_key",
        "program",
        year=payments.period.substr(0, 4),
        field=payments.period.substr(5, 2).substitute(_MONTH_FIELDS, else_=_ABOVE_ONE),
    )
    years = first.group_by(["id_key", "program", "year"]).aggregate(
        payments=first.count(), fields=first.field.sum()
    )
    twice = (years.payments > 12) | ((years.fields & _ABOVE_ONE) != 0)
    return years.filter(twice).select("id_key", "program").distinct()


@register("R03")
def paid_twice(tables: Tables, params: Params) -> ibis.Table:
    """The same person paid more than once for the same programme and month.

    Two records with the same payment_id are one payment exported twice, not a double
    payment; the amount of a hit is what was paid beyond the largest single payment.
    """
    payments = tables["payments"]

    # Only the payments of the people and programmes the first pass found are grouped
    # exactly. The two passes are separate expressions on purpose: a shared one would
    # become a CTE that DuckDB materialises with every column of every payment.
    repeated = repeated_months(payments)
    candidates = payments.semi_join(repeated, ["id_key", "program"])
    grouped = candidates.group_by(["id_no", "program", "period"]).aggregate(
        records=candidates.payment_id.nunique(),
        total=candidates.amount.sum(),
        largest=candidates.amount.max(),
        payment_ids=json_list(candidates.payment_id),
        accounts=json_list(candidates.account_no),
    )
    doubled = grouped.filter(grouped.records > 1)
    excess = doubled.total - doubled.largest
    return hits(
        doubled,
        rule="R03",
        subject=doubled.id_no,
        program=doubled.program,
        period=doubled.period,
        amount=excess,
        evidence=json_object(
            payment_ids_list=doubled.payment_ids,
            payments=doubled.records,
            total=doubled.total,
            excess=excess,
            accounts_list=doubled.accounts,
        ),
    )


@register("R04")
def cadre_relatives(tables: Tables, params: Params) -> ibis.Table:
    """A cadre's household member or relative enrolled on the cadre's watch.

    A relative is a member of the cadre's household in the population register or a
    relation in ``relations`` (either direction). The enrolment is suspicious when it is
    in the cadre's area (the beneficiary's region code starts with the cadre's) and
    began during the cadre's tenure: 优亲厚友.
    """
    persons = tables["persons"]
    cadres = tables["cadres"]
    relations = tables["relations"]
    beneficiaries = tables["beneficiaries"]

    # People are matched on the integer keys of their ID numbers (datasets.id_keys):
    # the register's ten million rows are read as two 8-byte columns, not as text.
    cadre_keys = cadres.select(cadre_key=cadres.id_key).distinct()
    homes = persons.select(cadre_key=persons.id_key, household_key=persons.household_key)
    homes = homes.semi_join(cadre_keys, "cadre_key")
    members = persons.select(relative_key=persons.id_key, household_key=persons.household_key)
    same_home = homes.join(members, "household_key")
    same_home = same_home.filter(same_home.relative_key != same_home.cadre_key).select(
        "cadre_key", "relative_key", link=ibis.literal("同户")
    )
    forward = relations.select(
        cadre_key=relations.id_key, relative_key=relations.relative_id_key, link=relations.relation
    )
    backward = relations.select(
        cadre_key=relations.relative_id_key, relative_key=relations.id_key, link=relations.relation
    )
    linked = ibis.union(
        same_home,
        forward.semi_join(cadre_keys, "cadre_key"),
        backward.semi_join(cadre_keys, "cadre_key"),
        distinct=True,
    )
    linked = linked.filter(linked.relative_key != linked.cadre_key)
    with_cadre = linked.join(cadres, linked.cadre_key == cadres.id_key).select(
        "relative_key",
        "link",
        cadre_id=cadres.id_no,
        cadre_name=cadres.name,
        org_name=cadres.org_name,
        position=cadres.position,
        cadre_region=cadres.region_code,
        tenure_start=cadres.start_date,
        tenure_end=cadres.end_date,
    )
    b = beneficiaries
    found = with_cadre.join(b, with_cadre.relative_key == b.id_key)
    found = found.filter(
        found.region_code.startswith(found.cadre_region)
        & (found.start_date >= found.tenure_start)
        & (found.start_date <= found.tenure_end.fill_null(FAR_FUTURE))
    )
    grouped = found.group_by(
        [
            "program",
            "id_no",
            "region_code",
            "start_date",
            "end_date",
            "standard_amount",
            "cadre_id",
            "cadre_name",
            "org_name",
            "position",
            "cadre_region",
            "tenure_start",
            "tenure_end",
        ]
    ).aggregate(links=json_list(found.link))
    g = grouped
    return hits(
        g,
        rule="R04",
        subject=g.id_no,
        program=g.program,
        period=month_of(g.start_date),
        amount=g.standard_amount,
        evidence=json_object(
            enrolment_start=g.start_date,
            enrolment_end=g.end_date,
            region_code=g.region_code,
            standard_amount=g.standard_amount,
            cadre_id_no=g.cadre_id,
            cadre_name=g.cadre_name,
            org_name=g.org_name,
            position=g.position,
            cadre_region_code=g.cadre_region,
            tenure_start=g.tenure_start,
            tenure_end=g.tenure_end,
            links_list=g.links,
        ),
    )


@register("R05")
def payroll_on_welfare(tables: Tables, params: Params) -> ibis.Table:
    """A means-tested enrolment overlapping a paid public employment of the same person.

    Someone drawing a salary from public funds is not eligible for means-tested
    assistance for the months the two periods overlap.
    """
    b = tables["beneficiaries"]
    b = b.filter(b.program.isin(means_tested(params)))
    payroll = tables["payroll"].select(
        pid=lambda t: t.id_key,
        employer=lambda t: t.employer,
        job_start=lambda t: t.start_date,
        job_end=lambda t: t.end_date,
    )
    found = b.join(payroll, b.id_key == payroll.pid)
    found = found.filter(
        (found.start_date <= found.job_end.fill_null(FAR_FUTURE))
        & (found.job_start <= found.end_date.fill_null(FAR_FUTURE))
    )
    overlap_start = ibis.greatest(found.start_date, found.job_start)
    return hits(
        found,
        rule="R05",
        subject=found.id_no,
        program=found.program,
        period=month_of(overlap_start),
        amount=found.standard_amount,
        evidence=json_object(
            enrolment_start=found.start_date,
            enrolment_end=found.end_date,
            standard_amount=found.standard_amount,
            employer=found.employer,
            employment_start=found.job_start,
            employment_end=found.job_end,
            overlap_start=overlap_start,
        ),
    )


@register("R06")
def unknown_identity(tables: Tables, params: Params) -> ibis.Table:
    """A payment to an ID number that is invalid or unknown to the population register.

    Money paid to a number that cannot exist, or to nobody registered, may go to a
    fictitious person; identity resolution then proposes who was meant.
    """
    payments = tables["payments"]
    persons = tables["persons"]
    # Check each distinct number once (a million, not twenty million rows), then fetch
    # the payments of the few that fail. The reason is one CASE over both sides of the
    # join, so no engine can push the (costly) check back down to every payment row.
    # Numbers are looked up by their integer keys (datasets.id_keys).
    numbers = payments.group_by(bad_key=payments.id_key).aggregate(
        bad_id=payments.id_no.arbitrary()
    )
    # Only the register rows of numbers that were paid: a million, not ten million.
    registered = persons.select(known_key=persons.id_key)
    registered = registered.semi_join(numbers, registered.known_key == numbers.bad_key).distinct()
    looked_up = numbers.left_join(registered, numbers.bad_key == registered.known_key)
    reason = ibis.cases(
        (~id_is_valid(looked_up.bad_id), "身份证号码校验不通过"),
        (looked_up.known_key.isnull(), "户籍人口中无此身份证号码"),
        else_=ibis.null("string"),
    )
    checked = looked_up.select("bad_key", reason=reason)
    bad = checked.filter(checked.reason.notnull())
    found = payments.join(bad, payments.id_key == bad.bad_key)
    return hits(
        found,
        rule="R06",
        subject=found.id_no,
        program=found.program,
        period=found.period,
        amount=found.amount,
        evidence=json_object(
            payment_id=found.payment_id,
            name=found.name,
            region_code=found.region_code,
            amount=found.amount,
            account_no=found.account_no,
            reason=found.reason,
        ),
    )


@register("R07")
def concentrated_accounts(tables: Tables, params: Params) -> ibis.Table:
    """An account collecting for several households, or held by a cadre for someone else.

    Benefits go to the beneficiary's own account; an account into which the money of
    several households flows, or which a cadre holds for a beneficiary, is how money is
    diverted (截留、冒领). Members of one household sharing an account are not counted.
    """
    payments = tables["payments"]
    persons = tables["persons"]
    cadres = tables["cadres"]
    minimum = int(params["min_id_nos"])

    per_person = payments.group_by(["account_no", "id_key"]).aggregate(
        id_no=payments.id_no.arbitrary(),
        total=payments.amount.sum(),
        payments=payments.count(),
        first_period=payments.period.min(),
    )
    wide = per_person.group_by("account_no").aggregate(n_ids=per_person.count())
    candidates = per_person.semi_join(wide.filter(wide.n_ids >= minimum), "account_no")
    homes = persons.select(pid=persons.id_key, household_key=persons.household_key)
    candidates = candidates.left_join(homes, candidates.id_key == homes.pid)
    unregistered = candidates.household_key.isnull()
    shared = candidates.group_by("account_no").aggregate(
        # a person missing from the register counts as a household of their own
        households=candidates.household_key.nunique()
        + candidates.id_key.nunique(where=unregistered),
        id_nos=json_list(candidates.id_no),
        total=candidates.total.sum(),
        payments=candidates.payments.sum(),
        first_period=candidates.first_period.min(),
    )
    shared = shared.filter(shared.households >= minimum)
    shared_hits = hits(
        shared,
        rule="R07",
        subject=shared.account_no,
        program=ibis.literal(""),
        period=shared.first_period,
        amount=shared.total,
        evidence=json_object(
            reason=ibis.literal("同一账户收取多个家庭人员的款项"),
            households=shared.households,
            id_nos_list=shared.id_nos,
            payments=shared.payments,
            total=shared.total,
        ),
    )

    held = payments.filter(
        payments.account_holder_id_key.notnull()
        & (payments.account_holder_id_key != payments.id_key)
    )
    c = cadres.select(
        holder_key=cadres.id_key,
        holder=cadres.id_no,
        cadre_name=cadres.name,
        org_name=cadres.org_name,
        position=cadres.position,
        tenure_start=cadres.start_date,
        tenure_end=cadres.end_date,
    )
    by_cadre = held.join(c, held.account_holder_id_key == c.holder_key)
    if params["holder_during_tenure"]:
        by_cadre = by_cadre.filter(
            (by_cadre.paid_on >= by_cadre.tenure_start)
            & (by_cadre.paid_on <= by_cadre.tenure_end.fill_null(FAR_FUTURE))
        )
    grouped = by_cadre.group_by(
        ["account_no", "holder", "cadre_name", "org_name", "position"]
    ).aggregate(
        id_nos=json_list(by_cadre.id_no),
        programs=json_list(by_cadre.program),
        payment_ids=json_list(by_cadre.payment_id),
        total=by_cadre.amount.sum(),
        payments=by_cadre.payment_id.nunique(),
        first_period=by_cadre.period.min(),
        program=by_cadre.program.min(),
    )
    held_hits = hits(
        grouped,
        rule="R07",
        subject=grouped.account_no,
        program=grouped.program,
        period=grouped.first_period,
        amount=grouped.total,
        evidence=json_object(
            reason=ibis.literal("账户由非本人的干部持有"),
            holder_id_no=grouped.holder,
            cadre_name=grouped.cadre_name,
            org_name=grouped.org_name,
            position=grouped.position,
            id_nos_list=grouped.id_nos,
            programs_list=grouped.programs,
            payments=grouped.payments,
            total=grouped.total,
        ),
    )
    return ibis.union(shared_hits, held_hits)


def _enrolment_months(beneficiaries: ibis.Table) -> ibis.Table:
    b = beneficiaries
    return b.select(
        e_key=b.id_key,
        e_program=b.program,
        e_start=b.start_date,
        e_end=b.end_date,
        standard=b.standard_amount,
        start_idx=date_index(b.start_date),
        end_idx=date_index(b.end_date.fill_null(FAR_FUTURE)),
    )


@register("R08")
def above_standard(tables: Tables, params: Params) -> ibis.Table:
    """A payment above the monthly standard of the enrolment covering its month.

    When several enrolments cover the month (a standard raised mid-way), the highest
    standard applies; months covered by none are R09's business.
    """
    tolerance = ibis.literal(str(params["tolerance"])).cast("decimal(12, 2)")
    payments = tables["payments"]
    p = payments.mutate(pidx=period_index(payments.period))
    e = _enrolment_months(tables["beneficiaries"])
    # A narrow copy for the wide join (see R03 on why not to share one expression).
    narrow = payments.select(
        "payment_id", "id_key", "program", "amount", pidx=period_index(payments.period)
    )
    covered = narrow.join(
        e,
        [
            narrow.id_key == e.e_key,
            narrow.program == e.e_program,
            narrow.pidx >= e.start_idx,
            narrow.pidx <= e.end_idx,
        ],
    )
    over = covered.filter(covered.amount > covered.standard + tolerance)
    candidates = p.semi_join(over.select("payment_id"), "payment_id")
    again = candidates.join(
        e,
        [
            candidates.id_key == e.e_key,
            candidates.program == e.e_program,
            candidates.pidx >= e.start_idx,
            candidates.pidx <= e.end_idx,
        ],
    )
    best = again.group_by(
        ["payment_id", "program", "id_no", "period", "amount", "paid_on", "account_no"]
    ).aggregate(standard=again.standard.max(), enrolment_start=again.e_start.max())
    found = best.filter(best.amount > best.standard + tolerance)
    excess = found.amount - found.standard
    return hits(
        found,
        rule="R08",
        subject=found.id_no,
        program=found.program,
        period=found.period,
        amount=found.amount,
        evidence=json_object(
            payment_id=found.payment_id,
            paid_on=found.paid_on,
            amount=found.amount,
            standard_amount=found.standard,
            excess=excess,
            enrolment_start=found.enrolment_start,
            account_no=found.account_no,
        ),
    )


@register("R09")
def paid_without_enrolment(tables: Tables, params: Params) -> ibis.Table:
    """A payment for a month outside every enrolment of that person in that programme.

    An enrolment covers each month it touches: one ending on the first day of a month
    covers that month; one ending on the last day of the previous month does not.
    """
    payments = tables["payments"]
    p = payments.mutate(pidx=period_index(payments.period))
    e = _enrolment_months(tables["beneficiaries"])
    found = p.anti_join(
        e,
        [
            p.id_key == e.e_key,
            p.program == e.e_program,
            p.pidx >= e.start_idx,
            p.pidx <= e.end_idx,
        ],
    )
    return hits(
        found,
        rule="R09",
        subject=found.id_no,
        program=found.program,
        period=found.period,
        amount=found.amount,
        evidence=json_object(
            payment_id=found.payment_id,
            paid_on=found.paid_on,
            amount=found.amount,
            account_no=found.account_no,
            reason=ibis.literal("该月份不在任何享受期间内"),
        ),
    )


@register("R10")
def assets_on_welfare(tables: Tables, params: Params) -> ibis.Table:
    """A means-tested beneficiary owning a vehicle or registered in a company.

    An asset registered before the enrolment ended (or while it is open) was owned
    during the enrolment; one registered after it ended is not.
    """
    b = tables["beneficiaries"]
    b = b.filter(b.program.isin(means_tested(params)))
    vehicles = tables["vehicles"]
    companies = tables["companies"]
    assets = ibis.union(
        vehicles.select(
            owner=vehicles.owner_id_key,
            asset=ibis.literal("车辆"),
            detail=vehicles.plate_no,
            registered_on=vehicles.registered_on,
        ),
        companies.select(
            owner=companies.id_key,
            asset=ibis.literal("企业"),
            detail=companies.company_name + "（" + companies.role + "）",
            registered_on=companies.registered_on,
        ),
    )
    found = b.join(assets, b.id_key == assets.owner)
    found = found.filter(found.registered_on <= found.end_date.fill_null(FAR_FUTURE))
    since = ibis.greatest(found.start_date, found.registered_on)
    return hits(
        found,
        rule="R10",
        subject=found.id_no,
        program=found.program,
        period=month_of(since),
        amount=found.standard_amount,
        evidence=json_object(
            asset=found.asset,
            detail=found.detail,
            registered_on=found.registered_on,
            enrolment_start=found.start_date,
            enrolment_end=found.end_date,
            standard_amount=found.standard_amount,
        ),
    )


@register("R11")
def under_age(tables: Tables, params: Params) -> ibis.Table:
    """An age-restricted programme paid for a month before the person reached the age.

    The birth date comes from the population register, or from the ID number when the
    person is not registered; the month of the birthday is the first payable month.
    """
    thresholds: dict[str, int] = {str(k): int(v) for k, v in params["age_thresholds"].items()}
    payments = tables["payments"]
    persons = tables["persons"]
    if not thresholds:
        return hits(
            payments.limit(0),
            rule="R11",
            subject=payments.id_no,
            program=payments.program,
            period=payments.period,
            amount=payments.amount,
            evidence=ibis.literal("{}"),
        )
    p = payments.filter(payments.program.isin(list(thresholds)))
    # Only the register rows of people paid by these programmes: the hash table is then
    # built from them, not from all ten million people.
    births = persons.select(pid=persons.id_key, registered_birth=persons.birth_date)
    births = births.semi_join(p, births.pid == p.id_key)
    p = p.left_join(births, p.id_key == births.pid)
    birth = p.registered_birth.fill_null(id_birth_date(p.id_no))
    age = ibis.cases(*((p.program == prog, age) for prog, age in thresholds.items()))
    reach_idx = (birth.year().cast("int32") + age) * 12 + birth.month().cast("int32") - 1
    p = p.mutate(birth=birth, age=age, reach_idx=reach_idx)
    found = p.filter(p.birth.notnull() & (period_index(p.period) < p.reach_idx))
    return hits(
        found,
        rule="R11",
        subject=found.id_no,
        program=found.program,
        period=found.period,
        amount=found.amount,
        evidence=json_object(
            payment_id=found.payment_id,
            paid_on=found.paid_on,
            amount=found.amount,
            birth_date=found.birth,
            required_age=found.age,
            payable_from=(found.birth.year().cast("int32") + found.age).cast("string")
            + "-"
            + found.birth.month().cast("string").lpad(2, "0"),
        ),
    )
