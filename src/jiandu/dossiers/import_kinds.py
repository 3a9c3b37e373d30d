"""Items from other bodies (表彰嘉奖, 年度考核等次, 个人有关事项, 审计, 公安) imported into
dossiers with the platform's all-or-nothing importer: every row is checked first, rows
with problems are reported by row and column, and only a file without problems is
written. Each item keeps its source body, file (name and hash) and row."""

from __future__ import annotations

from typing import Any

from jiandu.dossiers.choices import IMPORTED_KINDS, ItemKind
from jiandu.imports.importers import (
    Column,
    ImportContext,
    ImportKind,
    ParsedRow,
    Rows,
    SheetSpec,
    Writer,
    date_column,
    enum_column,
    org_column,
    person_by_id,
    text,
)
from jiandu.imports.kinds import import_kind_register

KIND_KEY = "dossier_items"
CREATED_KEY = "dossier_items"

ITEMS_SHEET = SheetSpec(
    "档案信息",
    (
        Column(
            "身份证号码", "person", person_by_id, example="530102197503020011",
            help="干部的身份证号码（须已登记、在您的管辖范围内）；单位的信息此列留空",
            is_text=True, width=22,
        ),
        org_column("单位", "org", required=False,
                   help="单位的信息填写单位；干部的信息此列留空"),
        enum_column("信息类别", "kind", ItemKind, required=True,
                    exclude=[k for k in ItemKind.values if k not in IMPORTED_KINDS], width=26),
        date_column("日期", "occurred_on", required=True, help="表彰、考核、查核或通报的日期"),
        Column("内容", "title", text(300), required=True, example="2025年度考核确定为优秀等次",
               width=40),
        Column("来源单位", "source_body", text(100), required=True, example="市委组织部",
               width=18),
    ),
)  # fmt: skip


class DossierItemsImport(ImportKind):
    key = KIND_KEY
    label = "政治生态档案信息"
    description = (
        "组织部、公安、审计等单位提供的表彰嘉奖、年度考核等次、个人有关事项查核、"
        "审计发现问题、公安机关通报等信息，记入干部或单位的政治生态档案。"
    )
    permission = "dossiers.import_dossier_item"
    sheets = (ITEMS_SHEET,)
    notes = ("每行填写身份证号码或单位之一：干部的信息填身份证号码，单位的信息填单位。",)

    def row_checks(
        self, sheet: SheetSpec, row: ParsedRow, ctx: ImportContext
    ) -> list[tuple[str, str]]:
        has_person = row.values.get("person") is not None or "person" not in row.values
        has_org = row.values.get("org") is not None or "org" not in row.values
        if has_person and has_org:
            return [("person", "身份证号码和单位只能填写一项")]
        if not has_person and not has_org:
            return [("person", "身份证号码和单位须填写一项")]
        return []

    def write(self, rows: Rows, ctx: ImportContext, writer: Writer) -> None:
        from jiandu.dossiers.services import dossier_items_create

        items: list[dict[str, Any]] = []
        for row in rows[ITEMS_SHEET.title]:
            node = row.values.get("org")
            items.append(
                {
                    "person": row.values.get("person"),
                    "org": node.org if node is not None else None,
                    "kind": row.values["kind"],
                    "occurred_on": row.values["occurred_on"],
                    "title": row.values["title"],
                    "source_body": row.values["source_body"],
                    "source_file": ctx.filename,
                    "source_sha256": ctx.sha256,
                    "source_row": row.number,
                }
            )
        writer.created[CREATED_KEY] += len(
            dossier_items_create(actor=ctx.actor, items=items, audit=False)
        )


import_kind_register(DossierItemsImport(), created_labels={CREATED_KEY: "记入档案信息"})


# --- the name list of a 廉政意见 request ----------------------------------------------------

REQUEST_SHEET = SheetSpec(
    "名单",
    (
        Column("姓名", "name", text(50), required=True, example="张某某", width=12),
        Column("身份证号码", "person", person_by_id, required=True, is_text=True,
               example="530102197503020011", width=22,
               help="按身份证号码匹配已登记的干部（须在您的管辖范围内）"),
    ),
)  # fmt: skip


class RequestListKind(ImportKind):
    """Not offered on the imports page: the list is read when a batch is requested."""

    key = "opinion_request"
    label = "廉政意见名单"
    description = "姓名和身份证号码，每行一人。"
    permission = "dossiers.add_opinionbatch"
    sheets = (REQUEST_SHEET,)

    def row_checks(
        self, sheet: SheetSpec, row: ParsedRow, ctx: ImportContext
    ) -> list[tuple[str, str]]:
        from jiandu.dossiers.selectors import INSPECTOR_PERM, is_inspector

        person, name = row.values.get("person"), row.values.get("name")
        if person is None:
            return []
        if not ctx.actor.has_perm(INSPECTOR_PERM) and is_inspector(person):
            return [("person", "该人员为纪检监察干部，须由有查阅纪检监察干部档案权限的人员办理")]
        if name and name.replace(" ", "") != person.name.replace(" ", ""):
            return [("name", f"姓名与身份证号码登记的姓名“{person.name}”不一致")]
        return []

    def write(self, rows: Rows, ctx: ImportContext, writer: Writer) -> None:
        raise NotImplementedError("名单只读取，不写入")


def read_request_list(*, actor: Any, data: bytes) -> tuple[list[Any], list[Any]]:
    """The people of an uploaded list, matched by ID number, or the row errors (then no
    person is returned: nothing is half-created)."""
    from jiandu.imports.importers import (
        RowError,
        check_size,
        parse_rows,
        read_workbook,
        sort_errors,
    )

    kind = RequestListKind()
    refusal = check_size(len(data))
    if refusal:
        return [], [RowError(REQUEST_SHEET.title, None, "", refusal)]
    sheets, errors = read_workbook(kind, data)
    if errors:
        return [], sort_errors(kind, errors)
    ctx = ImportContext(actor)
    rows, errors = parse_rows(kind, sheets, ctx)
    seen: dict[int, int] = {}
    for row in rows[REQUEST_SHEET.title]:
        person = row.values.get("person")
        if person is not None and person.pk in seen:
            errors.append(RowError(REQUEST_SHEET.title, row.number, "身份证号码",
                                   f"与第{seen[person.pk]}行重复"))  # fmt: skip
        elif person is not None:
            seen[person.pk] = row.number
    if not rows[REQUEST_SHEET.title] and not errors:
        errors.append(RowError(REQUEST_SHEET.title, None, "", "名单中没有数据行（从第2行起填写）"))
    if errors:
        return [], sort_errors(kind, errors)
    return [row.values["person"] for row in rows[REQUEST_SHEET.title]], []
