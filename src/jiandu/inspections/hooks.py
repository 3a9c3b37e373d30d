"""What this app adds to the pages and meetings of apps below it (see
:mod:`jiandu.core.hooks`): the 提级 suggestions on a clue's page, and the 三本账 rows as
records a 质询会 can put on its agenda (交账 / 销账 / 清账 per row)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.urls import reverse

from jiandu.core.hooks import AgendaRecord, Panel

LEDGER_RECORD = "inspections.ledgerrow"


def escalation_panel(request: Any, clue: Any) -> Panel | None:
    """The 提级 suggestions of a 巡察移交 clue, for those who see the clue; the handler
    (who may change the clue, in the handling unit's jurisdiction) confirms or declines."""
    from jiandu.core.access import jurisdiction_org_ids
    from jiandu.inspections.forms import EscalationDecideForm
    from jiandu.inspections.models import EscalationSuggestion

    suggestions = list(
        EscalationSuggestion.objects.filter(clue=clue)
        .select_related("rule", "to_org", "decided_by")
        .order_by("created_at", "pk")
    )
    if not suggestions:
        return None
    user = request.user
    may_decide = (
        user.has_perm("inspections.change_escalationsuggestion")
        and user.has_perm("clues.change_clue")
        and clue.handling_org_id in jurisdiction_org_ids(user)
    )
    for s in suggestions:
        s.form = (  # type: ignore[attr-defined]
            EscalationDecideForm(auto_id=f"id_esc{s.pk}_%s") if may_decide else None
        )
    return Panel("inspections/_escalation_panel.html", {"suggestions": suggestions, "clue": clue})


def _record(row: Any) -> AgendaRecord:
    return AgendaRecord(
        record_type=LEDGER_RECORD,
        record_id=row.pk,
        reference=f"{row.get_kind_display()}第{row.pk}号",
        text=row.title + (f"（最新进展：{row.progress}）" if row.progress else ""),
        status=row.get_status_display(),
        url=reverse("inspections:ledger_row", args=[row.pk]),
    )


class LedgerAgendaSource:
    """A county's 三本账 rows on the agenda of a 质询会 about the county."""

    record_type = LEDGER_RECORD
    label = "三本账条目"

    def _rows(self, user: Any, org_id: int) -> Any:
        from jiandu.inspections.selectors import ledger_rows

        return ledger_rows(user=user).filter(county_id=org_id).order_by("kind", "pk")

    def records_for(self, user: Any, org_id: int) -> list[AgendaRecord]:
        return [_record(r) for r in self._rows(user, org_id)[:500]]

    def resolve(self, user: Any, org_id: int, ids: Sequence[int]) -> list[AgendaRecord]:
        return [_record(r) for r in self._rows(user, org_id).filter(pk__in=list(ids))]

    def close_refusal(self, record_id: int) -> str:
        from jiandu.inspections.choices import LedgerStatus
        from jiandu.inspections.models import LedgerRow

        row = LedgerRow.objects.filter(pk=record_id).first()
        if row is None:
            return "台账条目已不存在"
        if row.status != LedgerStatus.DONE:
            return f"尚未办结（{row.get_status_display()}）"
        return ""


def register() -> None:
    from jiandu.core.hooks import register_agenda_source, register_detail_panel

    register_detail_panel("clues.clue", escalation_panel)
    register_agenda_source(LedgerAgendaSource())
