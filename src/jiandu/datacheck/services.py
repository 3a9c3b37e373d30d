"""Writes of 大数据比对. Each function validates, writes, appends its event and audit row
in one transaction, or does nothing at all.

- ``dataset_import``: a department file → a new version in the org's store + a
  :class:`DatasetVersion` with its import report;
- ``run_start`` / ``run_execute``: a run over chosen versions, executed by the
  ``datacheck.run`` background task, its hits stored with the subject's region;
- ``hit_assign`` / ``hit_confirm`` / ``hit_exclude`` / ``hit_convert`` (or
  ``hit_apply``): the verification of a hit; ``hit_identify``: an identity note;
- ``hits_reveal`` / ``hits_export``: the audit rows of full ID numbers shown or exported.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone

from jiandu.clues.choices import ClueSource
from jiandu.clues.models import Clue
from jiandu.clues.services import clue_create
from jiandu.core import idnumbers
from jiandu.core.access import jurisdiction_org_ids
from jiandu.core.audit import StagedWrite, audit_record
from jiandu.core.choices import AuditAction
from jiandu.core.crypto import search_key
from jiandu.core.db import reserve_ids
from jiandu.core.models import Task
from jiandu.core.tasks import task_run, task_submit
from jiandu.datacheck import evidence as ev
from jiandu.datacheck import files, lifecycle
from jiandu.datacheck.choices import Backend, HitAction, HitPresence, HitStatus
from jiandu.datacheck.engine.catalog import (
    DATASETS,
    RULE_SPECS,
    DatasetError,
    RuleError,
    get_specs,
    hit_identity,
)
from jiandu.datacheck.models import DatasetVersion, Hit, HitEvent, Run
from jiandu.datacheck.results import locate, read_hits
from jiandu.datacheck.scope import (
    REGION_RE,
    org_region_prefixes,
    region_covered,
    region_prefix,
    user_region_prefixes,
)
from jiandu.orgs.models import Org
from jiandu.orgs.selectors import region_names

if TYPE_CHECKING:
    from jiandu.datacheck.engine.identity import Candidate

RUN_TASK = "datacheck.run"
HIT_BATCH = 2000

Progress = Callable[[float, str], None]


def _require_region(actor: Any, region_code: str, field: str) -> str:
    code = (region_code or "").strip()
    if not REGION_RE.match(code):
        raise ValidationError({field: "行政区划代码应为6位（县）、9位（乡镇）或12位（村）数字"})
    if not region_covered(code, user_region_prefixes(actor)):
        raise ValidationError({field: f"地区 {code} 不在您的管辖范围内"})
    return code


# --- datasets --------------------------------------------------------------------


def dataset_import(
    *,
    actor: Any,
    dataset: str,
    region_code: str,
    path: Path,
    source_name: str = "",
    mapping: dict[str, str] | None = None,
) -> DatasetVersion:
    """Import a department file as a new version of ``dataset`` in the store of the
    actor's org. Rows with structural errors are rejected and listed in the report (the
    others imported); a file refused as a whole (missing columns, unreadable, no row
    left) raises ``DatasetError`` and nothing is stored.

    Reading and normalising the file into the store happen before the write
    transaction (on SQLite it holds the only write lock, ADR 0010); the transaction
    records the version and its audit row. The store's file is written outside any
    transaction either way."""
    org = actor.org
    if org is None:
        raise ValidationError({"__all__": "请先为当前用户设置所属单位"})
    if dataset not in DATASETS:
        raise ValidationError({"dataset": f"未知的数据集“{dataset}”"})
    region = _require_region(actor, region_code, "region_code")
    from jiandu.datacheck.engine.datasets import DatasetStore

    store = DatasetStore(files.store_root(org.pk))
    report = store.import_file(
        dataset=dataset,
        path=path,
        mapping=mapping or None,
        max_bytes=settings.JIANDU_MAX_DATASET_BYTES,
    )
    assert report.path is not None and report.version is not None
    details = report.as_dict()
    version = DatasetVersion(
        dataset=dataset,
        version=report.version,
        org=org,
        region_code=region,
        file_path=files.relative_to_root(report.path),
        source_name=(source_name or Path(path).name)[:200],
        mapping=dict(mapping or {}),
        rows_read=report.rows_read,
        rows_rejected=report.rows_rejected,
        report={"errors": details["errors"], "warnings": details["warnings"]},
        uploaded_by=actor,
    )
    version.full_clean()
    with transaction.atomic():
        version.save()
        _audit_dataset_import(actor=actor, version=version, report=report, region=region)
    return version


def _audit_dataset_import(*, actor: Any, version: DatasetVersion, report: Any, region: str) -> None:
    audit_record(
        actor=actor,
        action=AuditAction.IMPORT,
        obj=version,
        summary=f"导入{version.get_dataset_display()}第{version.version}版",
        changes={
            "dataset": version.dataset,
            "version": version.version,
            "region_code": region,
            "source": version.source_name,
            "rows_read": report.rows_read,
            "rows_rejected": report.rows_rejected,
            "mapping": version.mapping,
        },
    )


# --- runs ------------------------------------------------------------------------


def _check_params(codes: list[str], params: dict[str, Any]) -> dict[str, dict[str, Any]]:
    if not codes:
        raise ValidationError({"rules": "请至少选择一条比对规则"})
    try:
        rules = get_specs(codes)
    except RuleError as exc:
        raise ValidationError({"rules": str(exc)}) from None
    chosen = {r.code for r in rules}
    stray = [code for code in params if code not in chosen]
    if stray:
        raise ValidationError({"params": f"参数中的规则未被选中：{'、'.join(stray)}"})
    overrides: dict[str, dict[str, Any]] = {}
    for rule in rules:
        given = params.get(rule.code) or {}
        try:
            merged = rule.params(given)
        except RuleError as exc:
            raise ValidationError({"params": str(exc)}) from None
        changed = {k: v for k, v in merged.items() if v != rule.defaults.get(k)}
        if changed:
            overrides[rule.code] = changed
    return overrides


@transaction.atomic
def run_start(
    *,
    actor: Any,
    rules: list[str],
    versions: list[DatasetVersion],
    region_code: str,
    params: dict[str, dict[str, Any]] | None = None,
    backend: str = Backend.DUCKDB,
    synchronous: bool = False,
) -> Run:
    """Start a comparison run of ``rules`` over ``versions`` (one per dataset, each
    within the actor's jurisdiction; only those the rules read are recorded). The run is
    executed by the ``datacheck.run`` background task; ``synchronous`` runs it before
    returning (the demo, the command line)."""
    org = actor.org
    if org is None:
        raise ValidationError({"__all__": "请先为当前用户设置所属单位"})
    codes = list(dict.fromkeys(c.strip().upper() for c in rules if c.strip()))
    overrides = _check_params(codes, dict(params or {}))
    if backend not in Backend.values:
        raise ValidationError({"backend": f"未知的计算后端“{backend}”"})
    region = _require_region(actor, region_code, "region_code")
    visible = set(
        DatasetVersion.objects.restrict(actor)
        .filter(pk__in=[v.pk for v in versions])
        .values_list("pk", flat=True)
    )
    by_dataset: dict[str, DatasetVersion] = {}
    for version in versions:
        if version.pk not in visible:
            raise ValidationError(
                {"dataset_versions": f"数据集版本（编号{version.pk}）不存在或不在您的管辖范围内"}
            )
        if version.dataset in by_dataset and by_dataset[version.dataset].pk != version.pk:
            raise ValidationError(
                {"dataset_versions": f"数据集“{version.get_dataset_display()}”只能选择一个版本"}
            )
        by_dataset[version.dataset] = version
    needed: dict[str, list[str]] = {}
    for code in codes:
        for name in RULE_SPECS[code].datasets:
            needed.setdefault(name, []).append(code)
    missing = [name for name in needed if name not in by_dataset]
    if missing:
        detail = "；".join(f"{DATASETS[n].label}（{'、'.join(needed[n])} 需要）" for n in missing)
        raise ValidationError({"dataset_versions": f"缺少数据集版本：{detail}，请先导入"})
    read = [by_dataset[name] for name in DATASETS if name in needed]
    run = Run(
        org=org,
        region_code=region,
        rules=codes,
        params=overrides,
        backend=backend,
        created_by=actor,
    )
    run.full_clean()
    run.save()
    run.dataset_versions.set(read)
    audit_record(
        actor=actor,
        action=AuditAction.CREATE,
        obj=run,
        summary=f"发起比对任务：{'、'.join(codes)}",
        changes={
            "rules": codes,
            "params": overrides,
            "backend": backend,
            "region_code": region,
            "dataset_versions": {v.dataset: v.version for v in read},
        },
    )
    task_params = {"run_id": run.pk}
    if synchronous:
        task = Task.objects.create(kind=RUN_TASK, params=task_params, created_by=actor, org=org)
        Run.objects.filter(pk=run.pk).update(task=task)
        task_run(task.pk)
    else:
        task = task_submit(actor=actor, kind=RUN_TASK, params=task_params)
        Run.objects.filter(pk=run.pk).update(task=task)
    run.refresh_from_db()
    return run


def run_execute(*, run: Run, progress: Progress) -> dict[str, Any]:
    """The body of the ``datacheck.run`` task: assemble the input folder from the run's
    dataset versions, run the engine, store every hit with its subject's region."""
    Run.objects.filter(pk=run.pk).update(started_at=timezone.now())
    versions = list(run.dataset_versions.all())
    input_dir = files.assemble_run_input(
        run_id=run.pk, files={v.dataset: files.absolute(v.file_path) for v in versions}
    )
    output = files.run_output(run.pk)

    def engine_progress(fraction: float, message: str) -> None:
        progress(0.85 * fraction, message)

    from jiandu.datacheck.engine.runner import run_suite

    summary = run_suite(
        data_dir=input_dir,
        out_dir=output,
        rules=list(run.rules),
        backend=run.backend,
        params=run.params or None,
        progress=engine_progress,
        max_file_bytes=None,
    )
    progress(0.88, "保存比对疑点")
    parsed = read_hits(output / "hits.csv")
    locate(parsed, input_dir=input_dir, fallback_region=run.region_code)
    summary = dict(summary)
    summary.pop("out_dir", None)
    for info in summary.get("datasets", {}).values():
        info.pop("file", None)
    summary["dataset_versions"] = {
        v.dataset: {"id": v.pk, "version": v.version, "rows": v.rows_imported} for v in versions
    }
    url = reverse("datacheck:run_detail", args=[run.pk])
    count = _record_results(run=run, parsed=parsed, summary=summary)
    progress(1.0, "比对完成")
    return {"比对任务": f"#{run.pk}", "比对规则": "、".join(run.rules), "疑点数": count, "url": url}


def _record_results(*, run: Run, parsed: list[Any], summary: dict[str, Any]) -> int:
    """Store the run's hits, linked to the earlier findings of the same identity.

    The hits are built (their keyed hashes computed), linked and written ahead where
    nobody sees them before the write transaction; the transaction checks that no
    earlier hit of the org changed meanwhile (else it links again, inside it) and
    publishes them with one statement. On SQLite, where a write transaction holds the
    only write lock, other users' writes and logins wait for the publishing only
    (ADR 0010)."""
    found = _build_hits(run=run, parsed=parsed)
    seen = _earlier_state(run)
    superseded = _link_to_earlier(run=run, found=found)
    for hit, pk in zip(found, reserve_ids(Hit, len(found)), strict=True):
        hit.pk = pk
    with StagedWrite() as staged:
        staged.add(Hit, found)
        with transaction.atomic():
            if _earlier_state(run) == seen:
                staged.publish()
            else:  # an earlier hit changed while these were staged: link again, locked
                for hit in found:
                    _unlink(hit)
                superseded = _link_to_earlier(run=run, found=found)
                for start in range(0, len(found), HIT_BATCH):
                    Hit.objects.bulk_create(found[start : start + HIT_BATCH])
            return _record_linked(
                run=run, parsed=parsed, found=found, superseded=superseded, summary=summary
            )


def _earlier_state(run: Run) -> tuple[Any, ...]:
    """What linking to earlier findings depends on: the org's hits of earlier runs (a
    new run's hits) and their verification (every change of it writes an event)."""
    return (
        Hit.objects.filter(run__org_id=run.org_id, run_id__lt=run.pk).aggregate(m=Max("pk"))["m"],
        HitEvent.objects.filter(hit__run__org_id=run.org_id).aggregate(m=Max("pk"))["m"],
    )


def _unlink(hit: Hit) -> None:
    hit.previous_id = None
    hit.presence = Hit._meta.get_field("presence").get_default()
    hit.status = Hit._meta.get_field("status").get_default()
    hit.handling_org_id = None
    hit.decision_reason = ""
    hit.decided_at = None
    hit.clue_id = None


def _build_hits(*, run: Run, parsed: list[Any]) -> list[Hit]:
    now = timezone.now()
    found: list[Hit] = []
    for item in parsed:
        found.append(
            Hit(
                run=run,
                rule_code=item.rule,
                subject=item.subject,
                subject_key=search_key(item.subject),
                subject_masked=idnumbers.mask(item.subject)[:40],
                subject_name=(item.name or "")[:50],
                program=(item.program or "")[:100],
                period=(item.period or "")[:7],
                amount=item.amount,
                evidence=item.evidence,
                region_code=item.region_code[:12],
                identity_key=search_key(
                    hit_identity(
                        rule=item.rule,
                        subject=item.subject,
                        program=item.program or "",
                        period=item.period or "",
                        evidence=item.evidence,
                    )
                ),
                created_at=now,
            )
        )
    return found


def _record_linked(
    *, run: Run, parsed: list[Any], found: list[Hit], superseded: list[int], summary: dict[str, Any]
) -> int:
    """In the write transaction, the hits stored: the earlier findings they supersede
    stop being current, the carried verifications get their events, the findings not
    found again are gone, and the run is finished and audited."""
    now = timezone.now()
    for start in range(0, len(superseded), HIT_BATCH):
        Hit.objects.filter(pk__in=superseded[start : start + HIT_BATCH]).update(is_current=False)
    carried = [h for h in found if h.previous_id and h.status != HitStatus.PENDING]
    HitEvent.objects.bulk_create(
        [
            HitEvent(
                hit=hit,
                action=HitAction.CARRY,
                from_status=hit.status,
                to_status=hit.status,
                to_org=hit.handling_org,
                data={"previous_hit": hit.previous_id},
                actor=run.created_by,
                at=now,
            )
            for hit in carried
        ],
        batch_size=HIT_BATCH,
    )
    gone = (
        Hit.objects.filter(
            run__org_id=run.org_id,
            run_id__lt=run.pk,
            rule_code__in=run.rules,
            is_current=True,
            gone_in_run__isnull=True,
            region_code__startswith=region_prefix(run.region_code),
        )
        .order_by()
        .update(gone_in_run=run)
    )
    still = sum(1 for h in found if h.previous_id)
    presence = {"new": len(found) - still, "still": still, "gone": gone}
    summary = {**summary, "presence": presence}
    Run.objects.filter(pk=run.pk).update(
        summary=summary, hit_count=len(parsed), finished_at=timezone.now()
    )
    audit_record(
        actor=run.created_by,
        action=AuditAction.UPDATE,
        obj=run,
        summary=f"比对完成，疑点{len(parsed)}条（新发现{presence['new']}条，仍存在{still}条，"
        f"已消失{gone}条）",
        changes={
            "hits": len(parsed),
            "rules": {c: r["hits"] for c, r in summary["rules"].items()},
            "presence": presence,
        },
    )
    return len(parsed)


def _link_to_earlier(*, run: Run, found: list[Hit]) -> list[int]:
    """Link each hit found by ``run`` to the current hit of the same identity from an
    earlier run of the same org: it is 仍存在 and carries that hit's verification
    (status, handling org, conclusion, clue). Returns the earlier hits' ids, which stop
    being current."""
    keys = sorted({h.identity_key for h in found})
    earlier: dict[str, list[Hit]] = {}
    for start in range(0, len(keys), HIT_BATCH):
        rows = (
            Hit.objects.filter(
                run__org_id=run.org_id,
                run_id__lt=run.pk,
                is_current=True,
                identity_key__in=keys[start : start + HIT_BATCH],
            )
            .only(
                "pk",
                "identity_key",
                "status",
                "handling_org_id",
                "decision_reason",
                "decided_at",
                "clue_id",
            )
            .order_by("pk")
        )
        for row in rows:
            earlier.setdefault(row.identity_key, []).append(row)
    superseded: list[int] = []
    for hit in found:
        candidates = earlier.get(hit.identity_key)
        if not candidates:
            continue
        old = candidates.pop(0)
        hit.previous_id = old.pk
        hit.presence = HitPresence.STILL
        hit.status = old.status
        hit.handling_org_id = old.handling_org_id
        hit.decision_reason = old.decision_reason
        hit.decided_at = old.decided_at
        hit.clue_id = old.clue_id
        superseded.append(old.pk)
    return superseded


# --- hits ------------------------------------------------------------------------


def _lock(hit: Hit) -> Hit:
    """The hit, locked; verification happens on the latest finding of an identity only."""
    locked = Hit.objects.select_for_update().select_related("run").get(pk=hit.pk)
    if not locked.is_current:
        newer = Hit.objects.filter(
            identity_key=locked.identity_key, run__org_id=locked.run.org_id, is_current=True
        ).first()
        where = f"（比对任务#{newer.run_id}，疑点#{newer.pk}）" if newer else ""
        raise lifecycle.HitTransitionError(
            f"该疑点已被之后的比对再次发现{where}，核查请在最新的疑点上进行"
        )
    return locked


def _event(
    hit: Hit,
    *,
    actor: Any,
    action: str,
    from_status: str,
    reason: str = "",
    from_org: Org | None = None,
    to_org: Org | None = None,
    data: dict[str, Any] | None = None,
    identified_id_no: str = "",
) -> HitEvent:
    return HitEvent.objects.create(
        hit=hit,
        action=action,
        from_status=from_status,
        to_status=hit.status,
        from_org=from_org,
        to_org=to_org,
        reason=reason,
        data=data or {},
        identified_id_no=identified_id_no,
        actor=actor,
        at=timezone.now(),
    )


def _audit_move(hit: Hit, *, actor: Any, action: str, before: str, changes: dict) -> None:
    audit_record(
        actor=actor,
        action=AuditAction.TRANSITION,
        obj=hit,
        summary=f"疑点{HitAction(action).label}",
        changes={"status": {"before": before, "after": hit.status}, **changes},
    )


def _require_reason(action: str, reason: str) -> str:
    text = (reason or "").strip()
    if "reason" in lifecycle.HIT_REQUIREMENTS[action] and not text:
        raise ValidationError({"reason": f"{HitAction(action).label}须填写理由"})
    return text


@transaction.atomic
def hit_assign(*, actor: Any, hit: Hit, handling_org: Org | None, reason: str = "") -> Hit:
    """分派核查: hand the hit to a handling org within the actor's jurisdiction whose
    region covers the hit's subject (so that its officers can see it)."""
    hit = _lock(hit)
    before = hit.status
    hit.status = lifecycle.next_hit_status(before, HitAction.ASSIGN)
    if handling_org is None:
        raise ValidationError({"handling_org": "请选择核查单位"})
    if handling_org.pk not in jurisdiction_org_ids(actor):
        raise ValidationError({"handling_org": f"“{handling_org}”不在您的管辖范围内"})
    if not region_covered(hit.region_code, org_region_prefixes(handling_org)):
        raise ValidationError(
            {
                "handling_org": f"“{handling_org}”的管辖地区不包含疑点所在地区"
                f"（{hit.region_code}），该单位将无法查看此疑点"
            }
        )
    previous = hit.handling_org
    hit.handling_org = handling_org
    hit.save(update_fields=["status", "handling_org", "updated_at"])
    text = (reason or "").strip()
    _event(
        hit,
        actor=actor,
        action=HitAction.ASSIGN,
        from_status=before,
        reason=text,
        from_org=previous,
        to_org=handling_org,
    )
    _audit_move(
        hit,
        actor=actor,
        action=HitAction.ASSIGN,
        before=before,
        changes={
            "handling_org": {"before": getattr(previous, "pk", None), "after": handling_org.pk}
        }
        | ({"reason": text} if text else {}),
    )
    return hit


def _decide(*, actor: Any, hit: Hit, action: str, reason: str) -> Hit:
    hit = _lock(hit)
    before = hit.status
    hit.status = lifecycle.next_hit_status(before, action)
    text = _require_reason(action, reason)
    hit.decision_reason = text
    hit.decided_at = timezone.now()
    hit.save(update_fields=["status", "decision_reason", "decided_at", "updated_at"])
    _event(hit, actor=actor, action=action, from_status=before, reason=text)
    _audit_move(hit, actor=actor, action=action, before=before, changes={"reason": text})
    return hit


@transaction.atomic
def hit_confirm(*, actor: Any, hit: Hit, reason: str = "") -> Hit:
    """确认问题: the verification found the problem real (a note is optional)."""
    return _decide(actor=actor, hit=hit, action=HitAction.CONFIRM, reason=reason)


@transaction.atomic
def hit_exclude(*, actor: Any, hit: Hit, reason: str) -> Hit:
    """排除疑点: the verification found an explanation; the reason is required."""
    return _decide(actor=actor, hit=hit, action=HitAction.EXCLUDE, reason=reason)


def _bulk(
    *, actor: Any, hits: list[Hit], action: str, move: Callable[[Hit], Hit], changes: dict
) -> list[Hit]:
    if not hits:
        raise ValidationError({"hits": "请至少选择一条疑点"})
    done = []
    for hit in hits:
        try:
            done.append(move(hit))
        except lifecycle.HitTransitionError as exc:
            raise lifecycle.HitTransitionError(f"疑点#{hit.pk}：{exc}") from None
        except ValidationError as exc:
            raise ValidationError(
                {k: [f"疑点#{hit.pk}：{m}" for m in v] for k, v in exc.message_dict.items()}
            ) from None
    audit_record(
        actor=actor,
        action=AuditAction.TRANSITION,
        obj=None,
        object_type="datacheck.hit",
        summary=f"批量{HitAction(action).label}：疑点{len(done)}条",
        changes={"hits": [h.pk for h in done], **changes},
    )
    return done


@transaction.atomic
def hits_assign(
    *, actor: Any, hits: list[Hit], handling_org: Org | None, reason: str = ""
) -> list[Hit]:
    """分派核查 for several hits at once (one person's hits under one rule): each is
    assigned as by ``hit_assign`` (its own event and audit row), plus one audit row for
    the batch; one refused hit refuses them all."""
    if handling_org is None:
        raise ValidationError({"handling_org": "请选择核查单位"})
    return _bulk(
        actor=actor,
        hits=hits,
        action=HitAction.ASSIGN,
        move=lambda h: hit_assign(actor=actor, hit=h, handling_org=handling_org, reason=reason),
        changes={"handling_org": getattr(handling_org, "pk", None)},
    )


@transaction.atomic
def hits_exclude(*, actor: Any, hits: list[Hit], reason: str) -> list[Hit]:
    """排除疑点 for several hits at once with one reason (required); all or none."""
    text = _require_reason(HitAction.EXCLUDE, reason)
    return _bulk(
        actor=actor,
        hits=hits,
        action=HitAction.EXCLUDE,
        move=lambda h: hit_exclude(actor=actor, hit=h, reason=text),
        changes={"reason": text},
    )


def clue_evidence(hit: Hit) -> dict[str, Any]:
    """What a clue converted from ``hit`` carries: the rule, the run, the hit and its
    evidence with Chinese labels. Identities are masked: the full data stays on the hit,
    where viewing it is permission-checked and audited."""
    rule = RULE_SPECS.get(hit.rule_code)
    return {
        "来源": "大数据比对",
        "比对任务": f"#{hit.run_id}",
        "疑点编号": hit.pk,
        "比对规则": f"{hit.rule_code} {rule.name if rule else ''}".strip(),
        "规则说明": rule.description if rule else "",
        "比对对象": hit.subject_masked,
        "姓名": hit.subject_name,
        "项目": hit.program,
        "所属月份": hit.period,
        "涉及金额（元）": str(hit.amount) if hit.amount is not None else "",
        "所在地区": _place(hit.region_code),
        "核查结论": hit.decision_reason,
        "比对证据": ev.labelled(hit.evidence),
    }


def _place(code: str) -> str:
    """A region code as the clue keeps it: the place's name, then the code."""
    if not code:
        return ""
    name = region_names([code], nearest=True)[code]
    return code if name == code else f"{name}（{code}）"


def _clue_title(hit: Hit) -> str:
    who = hit.subject_name or hit.subject_masked
    return f"大数据比对：{hit.rule_name}（{who}）"[:200]


@transaction.atomic
def hit_convert(
    *,
    actor: Any,
    hit: Hit,
    title: str = "",
    handling_org: Org | None = None,
    received_date: dt.date | None = None,
) -> Hit:
    """转为问题线索: a confirmed hit becomes a 问题线索 (source 大数据比对) handled by the
    hit's handling org (or ``handling_org``), with the money involved and the evidence;
    the hit is marked converted and linked to the clue."""
    hit = _lock(hit)
    before = hit.status
    hit.status = lifecycle.next_hit_status(before, HitAction.CONVERT)
    org = handling_org or hit.handling_org or actor.org
    rule = RULE_SPECS.get(hit.rule_code)
    content = "\n".join(
        part
        for part in (
            rule.description if rule else "",
            f"比对对象：{hit.subject_masked}"
            + (f"（{hit.subject_name}）" if hit.subject_name else "")
            + (f"；项目：{hit.program}" if hit.program else "")
            + (f"；所属月份：{hit.period}" if hit.period else "")
            + (f"；涉及金额：{hit.amount}元" if hit.amount is not None else ""),
            f"核查结论：{hit.decision_reason}" if hit.decision_reason else "",
        )
        if part
    )
    clue: Clue = clue_create(
        actor=actor,
        source=ClueSource.DATACHECK,
        title=(title or "").strip() or _clue_title(hit),
        received_date=received_date or timezone.localdate(),
        handling_org=org,
        content=content,
        funds_involved=hit.amount,
        evidence=clue_evidence(hit),
    )
    hit.clue = clue
    hit.save(update_fields=["status", "clue", "updated_at"])
    _event(
        hit,
        actor=actor,
        action=HitAction.CONVERT,
        from_status=before,
        to_org=org,
        data={"clue_id": clue.pk, "clue_number": clue.number},
    )
    _audit_move(
        hit,
        actor=actor,
        action=HitAction.CONVERT,
        before=before,
        changes={"clue": clue.pk, "clue_number": clue.number},
    )
    return hit


def hit_apply(
    *,
    actor: Any,
    hit: Hit,
    action: str,
    handling_org: Org | None = None,
    reason: str = "",
    title: str = "",
) -> Hit:
    """One verification move by name (the pages and the API share it)."""
    if action == HitAction.ASSIGN:
        return hit_assign(actor=actor, hit=hit, handling_org=handling_org, reason=reason)
    if action == HitAction.CONFIRM:
        return hit_confirm(actor=actor, hit=hit, reason=reason)
    if action == HitAction.EXCLUDE:
        return hit_exclude(actor=actor, hit=hit, reason=reason)
    if action == HitAction.CONVERT:
        return hit_convert(actor=actor, hit=hit, title=title, handling_org=handling_org)
    raise ValidationError({"action": f"未知的核查动作“{action}”"})


@transaction.atomic
def hit_identify(*, actor: Any, hit: Hit, candidate: Candidate, note: str = "") -> HitEvent:
    """Record that the hit's person is, in the actor's judgement, ``candidate`` (one of
    the identity suggestions). A note on the hit, nothing more: no record is merged,
    changed or re-matched, and the hit keeps its status."""
    hit = _lock(hit)
    event = _event(
        hit,
        actor=actor,
        action=HitAction.IDENTIFY,
        from_status=hit.status,
        reason=(note or "").strip(),
        data={
            "name": candidate.name,
            "id_masked": idnumbers.mask(candidate.id_no),
            "region_code": candidate.region_code,
            "score": candidate.score,
            "reasons": list(candidate.reasons),
        },
        identified_id_no=candidate.id_no,
    )
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        obj=hit,
        summary=f"记录身份认定：{candidate.name}",
        changes={"identified_as": idnumbers.mask(candidate.id_no), "score": candidate.score},
    )
    return event


def hits_reveal(*, actor: Any, hits: list[Hit], where: str, run: Run | None = None) -> None:
    """Audit a page or answer that shows the full ID (or account) numbers of ``hits``:
    only for holders of ``people.view_id_number``."""
    if not actor.has_perm("people.view_id_number"):
        raise PermissionError("没有查看身份证号码的权限")
    if not hits:
        return
    target: Any = hits[0] if len(hits) == 1 else run
    audit_record(
        actor=actor,
        action=AuditAction.VIEW_PROTECTED,
        obj=target,
        object_type="" if target is not None else "datacheck.hit",
        summary=f"查看比对疑点完整身份证号码（{where}，{len(hits)}条）",
        changes={"hits": [h.pk for h in hits], "where": where},
    )


def hits_export(
    *, actor: Any, hits: list[Hit], criteria: dict[str, Any], full_ids: bool, run: Run | None
) -> list[Hit]:
    """Record an export of hits: EXPORT_PROTECTED (with the hits' ids) when the file
    carries full ID numbers — only for holders of ``people.view_id_number`` — else
    EXPORT."""
    if full_ids and not actor.has_perm("people.view_id_number"):
        raise PermissionError("没有导出完整身份证号码的权限")
    audit_record(
        actor=actor,
        action=AuditAction.EXPORT_PROTECTED if full_ids else AuditAction.EXPORT,
        obj=run,
        object_type="" if run is not None else "datacheck.hit",
        summary=f"导出比对疑点{len(hits)}条" + ("（含完整身份证号码）" if full_ids else ""),
        changes={"criteria": criteria, "count": len(hits)}
        | ({"hits": [h.pk for h in hits]} if full_ids else {}),
    )
    return hits


__all__ = [
    "RUN_TASK",
    "DatasetError",
    "clue_evidence",
    "dataset_import",
    "hit_apply",
    "hit_assign",
    "hit_confirm",
    "hit_convert",
    "hit_exclude",
    "hit_identify",
    "hits_assign",
    "hits_exclude",
    "hits_export",
    "hits_reveal",
    "run_execute",
    "run_start",
]
