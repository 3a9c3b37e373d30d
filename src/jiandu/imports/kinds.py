"""The import kinds: 组织机构, 党员干部, 任职信息, 问题线索（含处理结果）, 处理结果.

Each kind names its sheets and columns (the template and the reader are built from
them), the permission it needs, the checks across columns and rows, and how its rows are
written through the existing service functions, in the order the domain requires (a
historical clue is received, disposed, given its outcomes, then closed).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Mapping
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone, translation

from jiandu.clues import lifecycle
from jiandu.clues.choices import (
    ClueAction,
    ClueSource,
    Conclusion,
    DisposalMethod,
    OutcomeKind,
    OutcomeSubtype,
    ResponsibilityType,
)
from jiandu.clues.decisions import clue_request_action
from jiandu.clues.models import Clue, Outcome, domain_key
from jiandu.clues.services import (
    clue_build,
    clues_stage,
    outcome_build,
    outcomes_published,
    outcomes_stage,
)
from jiandu.core import idnumbers
from jiandu.core.access import access_changed
from jiandu.imports.importers import (
    CellError,
    Column,
    ImportContext,
    ImportKind,
    OrgNode,
    ParsedRow,
    RowError,
    Rows,
    SheetSpec,
    Writer,
    clue_by_number,
    date_column,
    domain_tags,
    enum_column,
    id_number,
    money,
    names,
    org_column,
    people_by_ids,
    person_by_id,
    region_code,
    squeeze,
    text,
    yes_no,
)
from jiandu.orgs.choices import OrgKind
from jiandu.orgs.models import Org
from jiandu.orgs.services import org_build, orgs_stage
from jiandu.people.choices import ManagementLevel, PoliticalStatus
from jiandu.people.services import (
    ID_NUMBER_TAKEN,
    people_registered,
    people_stage,
    person_build,
    post_build,
    posts_stage,
)

# --- kinds -----------------------------------------------------------------------------


ORGS_SHEET = SheetSpec(
    "组织机构",
    (
        Column("名称", "name", text(100), required=True, example="红云街道纪工委", width=24),
        Column("简称", "short_name", text(50), example="红云纪工委"),
        enum_column("类型", "kind", OrgKind, required=True, example=str(OrgKind.TOWNSHIP.label)),
        org_column(
            "上级单位",
            "parent",
            help="可以是本文件中写在前面的单位",
        ),
        Column(
            "行政区划代码",
            "region_code",
            region_code,
            help="6位（县）、9位（乡镇）或12位（村）数字，可不填",
            example="530102001",
            is_text=True,
        ),
        Column(
            "标签",
            "labels",
            names(50),
            help="多个标签用逗号分隔；系统中没有的标签会自动新建",
            example="脱贫摘帽县",
        ),
        Column(
            "监督对象",
            "supervises",
            names(200),
            help="该单位监督的单位（派驻组的市直单位、监督检查室的县区），多个用逗号分隔；"
            "可以是本文件中任意一行的单位",
            example="市财政局,市民政局",
            width=24,
        ),
    ),
)


class OrgsImport(ImportKind):
    key = "orgs"
    label = "组织机构"
    description = "批量新建单位：名称、类型、上级单位、行政区划代码、标签和监督对象。"
    permission = "orgs.add_org"
    sheets = (ORGS_SHEET,)
    notes = (
        "上级单位须是已有单位（在您的管辖范围内），或本文件中写在前面的单位：请按从上到下的层级顺序填写。",
        "同一上级单位下不能有同名单位。",
        "监督对象在所有单位建好之后设置，与行的先后无关。",
    )
    service_fields = {
        "name": "name",
        "short_name": "short_name",
        "kind": "kind",
        "parent": "parent",
        "region_code": "region_code",
        "supervises": "supervises",
    }

    def row_checks(
        self, sheet: SheetSpec, row: ParsedRow, ctx: ImportContext
    ) -> list[tuple[str, str]]:
        if not row.has("name"):
            return []
        name = row.values["name"]
        parent: OrgNode | None = row.values.get("parent")
        problems = []
        same = ctx.orgs.children_named(parent, name) if parent is not None else []
        if parent is not None and same:
            if same[0].row is not None:
                message = f"与第{same[0].row}行重复：“{parent.name}”下已有“{name}”"
            else:
                message = f"“{parent.name}”下已有名为“{name}”的单位"
            problems.append(("name", message))
        # Registered even when another cell failed, so that rows below referring to
        # this one report their own problems rather than a missing parent.
        row.values["node"] = ctx.orgs.add(
            name=name,
            region_code=row.values.get("region_code") or "",
            parent=parent,
            row=row.number,
        )
        return problems

    def file_checks(self, rows: Rows, ctx: ImportContext) -> list[RowError]:
        errors = []
        header = ORGS_SHEET.header("supervises")
        for row in rows[ORGS_SHEET.title]:
            targets = []
            for ref in row.values.get("supervises") or []:
                try:
                    targets.append(ctx.orgs.resolve(ref))
                except CellError as exc:
                    errors.append(RowError(row.sheet, row.number, header, str(exc)))
            if row.values.get("node") in targets:
                errors.append(RowError(row.sheet, row.number, header, "单位不能监督它自己"))
            row.values["supervised_nodes"] = targets
        return errors

    def prepare(self, rows: Rows, ctx: ImportContext, writer: Writer) -> None:
        """Build and check every org before the write transaction (as ``org_create``
        does one at a time), parents before children; ``stage`` writes them, their
        labels and supervision links ahead where nobody sees them, and ``write`` only
        publishes them (ADR 0010)."""
        fields = self.fields(ORGS_SHEET)
        built: list[tuple[Org, list[str]]] = []
        for row in rows[ORGS_SHEET.title]:
            v = row.values
            parent: OrgNode = v["parent"]
            if parent.org is None:
                continue  # its row failed and is reported there
            try:
                org = org_build(
                    name=v["name"],
                    short_name=v.get("short_name") or "",
                    kind=v["kind"],
                    parent=parent.org,
                    region_code=v.get("region_code") or "",
                )
            except ValidationError as exc:
                writer.refusal(row, fields, exc)
                continue
            v["node"].org = org
            built.append((org, list(dict.fromkeys(v.get("labels") or []))))
        supervision: list[tuple[Org, list[Org]]] = []
        for row in rows[ORGS_SHEET.title]:
            targets = row.values.get("supervised_nodes") or []
            node: OrgNode = row.values["node"]
            if targets and node.org is not None and all(t.org is not None for t in targets):
                supervision.append((node.org, [t.org for t in targets]))
        writer.prepared = (built, supervision)

    def stage(self, rows: Rows, ctx: ImportContext, writer: Writer) -> None:
        assert writer.staged is not None
        built, supervision = writer.prepared
        counts = orgs_stage(
            actor=writer.actor, orgs=built, supervision=supervision, staged=writer.staged
        )
        writer.prepared = counts

    def write(self, rows: Rows, ctx: ImportContext, writer: Writer) -> None:
        assert writer.staged is not None
        try:
            with transaction.atomic():
                writer.staged.publish()
                access_changed()  # new orgs and supervision links change jurisdictions
        except IntegrityError:  # a parent removed, or a label or name taken, meanwhile
            writer.errors.append(
                RowError(ORGS_SHEET.title, None, "", "导入期间单位或标签被他人改动，请重新导入")
            )
            return
        for key, count in writer.prepared.items():
            writer.created[key] += count


PEOPLE_SHEET = SheetSpec(
    "人员",
    (
        Column("姓名", "name", text(50), required=True, example="张某某"),
        Column(
            "身份证号码",
            "id_number",
            id_number,
            required=True,
            help="18位公民身份号码，末位可为X；出生日期和性别由号码得出",
            example=idnumbers.make("530102", dt.date(1975, 6, 1), 13),
            is_text=True,
            width=22,
        ),
        enum_column("政治面貌", "political_status", PoliticalStatus, help="不填时为中共党员"),
        org_column("登记单位", "registered_org", help="人员名册所在单位"),
        Column("备注", "note", text(2000), width=30),
    ),
)


class PeopleImport(ImportKind):
    key = "people"
    label = "党员干部"
    description = "批量登记人员：姓名、身份证号码、政治面貌和登记单位。"
    permission = "people.add_person"
    sheets = (PEOPLE_SHEET,)
    notes = ("身份证号码在系统中唯一：已登记的人员不能再次导入。",)
    service_fields = {
        "name": "name",
        "id_number": "id_number",
        "political_status": "political_status",
        "registered_org": "registered_org",
        "note": "note",
    }

    def file_checks(self, rows: Rows, ctx: ImportContext) -> list[RowError]:
        return _duplicates(rows[PEOPLE_SHEET.title], "id_number", PEOPLE_SHEET, "身份证号码")

    def prepare(self, rows: Rows, ctx: ImportContext, writer: Writer) -> None:
        """Build and check every person before the write transaction (as
        ``people.services.person_create`` does one at a time), looking registered
        numbers up in bulk; ``stage`` writes them and their audit rows ahead where
        nobody sees them, and ``write`` only publishes them (ADR 0010)."""
        fields = self.fields(PEOPLE_SHEET)
        sheet_rows = rows[PEOPLE_SHEET.title]
        people = []
        for row in sheet_rows:
            v = row.values
            try:
                person = person_build(
                    name=v["name"],
                    id_number=v["id_number"],
                    political_status=v.get("political_status") or PoliticalStatus.PARTY_MEMBER,
                    registered_org=v["registered_org"].org,
                    note=v.get("note") or "",
                )
            except ValidationError as exc:
                writer.refusal(row, fields, exc)
                continue
            people.append((row, person))
        registered = people_registered(actor=writer.actor, people=[p for _, p in people])
        for row, person in people:
            if person.id_search_key and person.id_search_key in registered:
                writer.error(row, fields["id_number"], ID_NUMBER_TAKEN)
        writer.prepared = [person for _, person in people]

    def stage(self, rows: Rows, ctx: ImportContext, writer: Writer) -> None:
        assert writer.staged is not None
        people_stage(actor=writer.actor, people=writer.prepared, staged=writer.staged)

    def write(self, rows: Rows, ctx: ImportContext, writer: Writer) -> None:
        assert writer.staged is not None
        try:
            with transaction.atomic():
                writer.staged.publish()
        except IntegrityError:  # registered by someone else since ``prepare`` looked
            writer.errors.append(RowError(PEOPLE_SHEET.title, None, "身份证号码", ID_NUMBER_TAKEN))
            return
        writer.created["people"] += len(writer.prepared)


POSTS_SHEET = SheetSpec(
    "任职",
    (
        Column(
            "身份证号码",
            "person",
            person_by_id,
            required=True,
            help="须是已登记的人员（先导入人员名册）",
            example=idnumbers.make("530102", dt.date(1975, 6, 1), 13),
            is_text=True,
            width=22,
        ),
        org_column("单位", "org", help="任职单位"),
        Column("职务", "title", text(100), required=True, example="党工委书记", width=20),
        enum_column("干部管理层级", "management_level", ManagementLevel, required=True),
        Column(
            "主要负责人",
            "is_leader",
            yes_no,
            help="是否为单位主要负责人：是/否，不填为否",
            example="是",
            choices=("是", "否"),
        ),
        date_column("任职日期", "start_date", required=True),
        date_column("免职日期", "end_date", help="现任职务不填"),
    ),
)


class PostsImport(ImportKind):
    key = "posts"
    label = "任职信息"
    description = "批量登记已登记人员的任职：单位、职务、干部管理层级、任免日期。"
    permission = "people.add_person"
    sheets = (POSTS_SHEET,)
    service_fields = {
        "person": "person",
        "org": "org",
        "title": "title",
        "management_level": "management_level",
        "is_leader": "is_leader",
        "start_date": "start_date",
        "end_date": "end_date",
    }

    def row_checks(
        self, sheet: SheetSpec, row: ParsedRow, ctx: ImportContext
    ) -> list[tuple[str, str]]:
        if row.has("start_date", "end_date") and row.values["end_date"] < row.values["start_date"]:
            return [("end_date", "免职日期不能早于任职日期")]
        return []

    def prepare(self, rows: Rows, ctx: ImportContext, writer: Writer) -> None:
        """Build and check every post before the write transaction (as
        ``people.services.post_add`` does one at a time); ``stage`` writes them ahead,
        ``write`` publishes them."""
        fields = self.fields(POSTS_SHEET)
        posts = []
        for row in rows[POSTS_SHEET.title]:
            v = row.values
            try:
                posts.append(
                    post_build(
                        actor=writer.actor,
                        person=v["person"],
                        org=v["org"].org,
                        title=v["title"],
                        management_level=v["management_level"],
                        is_leader=bool(v.get("is_leader")),
                        start_date=v["start_date"],
                        end_date=v.get("end_date"),
                    )
                )
            except ValidationError as exc:
                writer.refusal(row, fields, exc)
        writer.prepared = posts

    def stage(self, rows: Rows, ctx: ImportContext, writer: Writer) -> None:
        assert writer.staged is not None
        posts_stage(actor=writer.actor, posts=writer.prepared, staged=writer.staged)

    def write(self, rows: Rows, ctx: ImportContext, writer: Writer) -> None:
        assert writer.staged is not None
        try:
            with transaction.atomic():
                writer.staged.publish()
        except IntegrityError:  # a person or org removed since the file was read
            writer.errors.append(
                RowError(POSTS_SHEET.title, None, "", "导入期间人员或单位被他人改动，请重新导入")
            )
            return
        writer.created["posts"] += len(writer.prepared)


def _subtype_notes() -> tuple[str, ...]:
    lines = []
    with translation.override("zh-hans"):
        for kind, subtypes in lifecycle.OUTCOME_SUBTYPES.items():
            label = OutcomeKind(kind).label
            if subtypes:
                allowed = "、".join(str(OutcomeSubtype(s).label) for s in subtypes)
                lines.append(f"处理类别“{label}”的处理方式：{allowed}。")
            else:
                lines.append(f"处理类别“{label}”不区分处理方式，“处理方式”留空。")
    return tuple(lines)


CLUES_SHEET = SheetSpec(
    "线索",
    (
        enum_column("线索来源", "source", ClueSource, required=True),
        Column("标题", "title", text(200), required=True, example="某村干部截留低保金", width=30),
        Column("主要问题", "content", text(5000), example="反映……", width=40),
        date_column("受理日期", "received_date", required=True),
        org_column("承办单位", "handling_org"),
        Column(
            "领域",
            "domains",
            domain_tags,
            help="多个用逗号分隔；须是系统中已有的领域",
            example="扶贫",
        ),
        Column(
            "被反映人身份证号码",
            "subject_people",
            people_by_ids,
            help="多个用逗号分隔；须是已登记的人员",
            example=idnumbers.make("530102", dt.date(1975, 6, 1), 13),
            is_text=True,
            width=24,
        ),
        enum_column("处置方式", "disposal_method", DisposalMethod, help="尚未处置的线索不填"),
        date_column("处置日期", "disposed_at", help="填写了处置方式时必填"),
        date_column("办结日期", "closed_at", help="已办结的线索填写，须同时填写处置方式和办结结论"),
        enum_column("办结结论", "conclusion", Conclusion, help="填写了办结日期时必填"),
        Column(
            "外部编号",
            "external_ref",
            text(50),
            help="原台账中的编号，本文件中不能重复；“处理结果”工作表凭它对应线索",
            example="2019-WH-017",
            width=18,
        ),
    ),
)


def _outcome_columns(reference: Column) -> tuple[Column, ...]:
    return (
        reference,
        Column(
            "对象身份证号码",
            "person",
            person_by_id,
            help="须是已登记的人员；处理类别为“诬告陷害查处”时可不填，改填对象姓名",
            example=idnumbers.make("530102", dt.date(1975, 6, 1), 13),
            is_text=True,
            width=22,
        ),
        Column(
            "对象姓名",
            "subject_name",
            text(50),
            help="填写了身份证号码时可不填；填了须与登记的姓名一致",
            example="张某某",
        ),
        enum_column("处理类别", "kind", OutcomeKind, required=True),
        enum_column(
            "处理方式",
            "subtype",
            OutcomeSubtype,
            help="须与处理类别对应（见下方说明）",
            example=str(OutcomeSubtype.CRITICISM.label),
            width=20,
        ),
        enum_column(
            "责任类型", "responsibility_type", ResponsibilityType, help="处理类别为“问责”时必填"
        ),
        date_column("决定日期", "decision_date", required=True),
        Column(
            "追缴挽回资金（元）",
            "funds_recovered",
            money,
            help="不填为0",
            example="12000.00",
            width=18,
        ),
    )


CLUE_OUTCOMES_SHEET = SheetSpec(
    "处理结果",
    _outcome_columns(
        Column(
            "外部编号",
            "external_ref",
            text(50),
            required=True,
            help="“线索”工作表中该线索的外部编号",
            example="2019-WH-017",
            width=18,
        )
    ),
    optional=True,
)

OUTCOMES_SHEET = SheetSpec(
    "处理结果",
    _outcome_columns(
        Column(
            "线索编号",
            "clue",
            clue_by_number,
            required=True,
            help="系统中的线索编号（XS开头），须在您的管辖范围内",
            example="XS20200000123",
            is_text=True,
            width=18,
        )
    ),
)

OUTCOME_FIELDS = {
    "person": "person",
    "subject_name": "subject_name",
    "kind": "kind",
    "subtype": "subtype",
    "responsibility_type": "responsibility_type",
    "decision_date": "decision_date",
    "funds_recovered": "funds_recovered",
}


def _outcome_row_checks(row: ParsedRow) -> list[tuple[str, str]]:
    v = row.values
    problems: list[tuple[str, str]] = []
    if "kind" not in v:
        return problems
    kind = v["kind"]
    with translation.override("zh-hans"):
        kind_label = str(OutcomeKind(kind).label)
        allowed = lifecycle.OUTCOME_SUBTYPES[kind]
        if "subtype" in v:
            if allowed and v["subtype"] not in allowed:
                labels = "、".join(str(OutcomeSubtype(s).label) for s in allowed)
                problems.append(("subtype", f"处理类别“{kind_label}”须选择处理方式：{labels}"))
            elif not allowed and v["subtype"]:
                problems.append(("subtype", f"处理类别“{kind_label}”不区分处理方式，请留空"))
    if kind in lifecycle.RESPONSIBILITY_REQUIRED and _left_empty(v, "responsibility_type"):
        problems.append(("responsibility_type", "处理类别为“问责”时须填写责任类型"))
    if "person" in v and "subject_name" in v:
        person, name = v["person"], v["subject_name"]
        if person is None and kind not in lifecycle.PERSON_OPTIONAL:
            problems.append(("person", f"处理类别为“{kind_label}”时须填写对象身份证号码"))
        elif person is None and not name:
            problems.append(("subject_name", "未填写身份证号码时须填写对象姓名"))
        elif person is not None and name and squeeze(name) != squeeze(person.name):
            problems.append(("subject_name", f"对象姓名“{name}”与该身份证号码登记的姓名不一致"))
    return problems


def _left_empty(values: dict[str, Any], key: str) -> bool:
    """The cell was left empty (a cell that failed to parse is reported already)."""
    return key in values and values[key] in (None, "", [])


def _build_outcome(
    writer: Writer, fields: dict[str, str], row: ParsedRow, clue: Clue
) -> Outcome | None:
    """The row's 处理结果 built and checked as ``outcome_record`` checks it (a refusal
    becomes the row's errors), before the write transaction."""
    v = row.values
    try:
        return outcome_build(
            actor=writer.actor,
            clue=clue,
            kind=v["kind"],
            subtype=v.get("subtype") or "",
            responsibility_type=v.get("responsibility_type") or "",
            person=v.get("person"),
            subject_name=v.get("subject_name") or "",
            decision_date=v["decision_date"],
            funds_recovered=v.get("funds_recovered") or Decimal(0),
        )
    except ValidationError as exc:
        writer.refusal(row, fields, exc)
        return None


def _publish(writer: Writer, sheet: SheetSpec, outcomes: list[Outcome]) -> bool:
    """Publish what is staged (and what saving the outcomes sets off) in a savepoint of
    the import's transaction; False, with the file's error, when a constraint broke."""
    assert writer.staged is not None
    try:
        with transaction.atomic():
            writer.staged.publish()
            outcomes_published(outcomes)
    except IntegrityError:
        writer.errors.append(
            RowError(sheet.title, None, "", "导入期间相关数据被他人改动，请重新导入")
        )
        return False
    return True


def _duplicates(rows: list[ParsedRow], key: str, sheet: SheetSpec, what: str) -> list[RowError]:
    seen: dict[Any, int] = {}
    errors = []
    for row in rows:
        value = row.values.get(key)
        if value in (None, ""):
            continue
        if value in seen:
            errors.append(
                RowError(
                    row.sheet, row.number, sheet.header(key), f"与第{seen[value]}行的{what}重复"
                )
            )
        else:
            seen[value] = row.number
    return errors


class CluesImport(ImportKind):
    key = "clues"
    label = "问题线索（含处理结果）"
    description = (
        "录入问题线索，处置方式形成待审批的呈批件；同一工作簿的“处理结果”工作表按外部编号录入"
        "各线索的处理结果。"
    )
    permission = "clues.add_clue"
    sheets = (CLUES_SHEET, CLUE_OUTCOMES_SHEET)
    notes = (
        "一行一条线索：受理按日期记入线索的办理记录；填写了处置方式的，导入后形成待审批的"
        "处置呈批件，批准后生效（呈批，见使用说明）。",
        "办结须经呈批：办结日期、办结结论须留空，处置批准后在线索页呈批办结。",
        "办结日期不能早于处置日期，处置日期不能早于受理日期，都不能晚于今天。",
        "“立案审查”的线索办结前须有处理结果：请在“处理结果”工作表中填写，外部编号与线索一致。",
        "有处置或办结内容须有线索办理权限；有处理结果须有案件审理权限。",
        *_subtype_notes(),
    )
    service_fields = {
        "source": "source",
        "title": "title",
        "content": "content",
        "received_date": "received_date",
        "handling_org": "handling_org",
        **OUTCOME_FIELDS,
    }

    def row_checks(
        self, sheet: SheetSpec, row: ParsedRow, ctx: ImportContext
    ) -> list[tuple[str, str]]:
        if sheet is CLUE_OUTCOMES_SHEET:
            return _outcome_row_checks(row)
        v = row.values
        problems = []
        today = timezone.localdate()
        for key in ("received_date", "disposed_at", "closed_at"):
            if v.get(key) and v[key] > today:
                problems.append((key, "日期不能晚于今天"))
        if "disposal_method" in v and "disposed_at" in v:
            if v["disposal_method"] and not v["disposed_at"]:
                problems.append(("disposed_at", "填写了处置方式时须填写处置日期"))
            if v["disposed_at"] and not v["disposal_method"]:
                problems.append(("disposal_method", "填写了处置日期时须填写处置方式"))
        if v.get("closed_at"):
            # 呈批 (docs/user-guide/approvals.md): 办结 takes effect only when approved;
            # an import cannot close a clue, nor chain a close on a pending disposal.
            problems.append(
                (
                    "closed_at",
                    "办结须经呈批批准后生效，导入不能直接办结：请将办结日期、办结结论留空，"
                    "处置批准后在线索页呈批办结",
                )
            )
        if v.get("closed_at") and _left_empty(v, "disposal_method"):
            problems.append(("closed_at", "办结前须先处置：请填写处置方式和处置日期"))
        if "closed_at" in v and "conclusion" in v:
            if v["closed_at"] and not v["conclusion"]:
                problems.append(("conclusion", "填写了办结日期时须填写办结结论"))
            if v["conclusion"] and not v["closed_at"]:
                problems.append(("closed_at", "填写了办结结论时须填写办结日期"))
        if row.has("received_date", "disposed_at") and v["disposed_at"] < v["received_date"]:
            problems.append(("disposed_at", "处置日期不能早于受理日期"))
        if row.has("disposed_at", "closed_at") and v["closed_at"] < v["disposed_at"]:
            problems.append(("closed_at", "办结日期不能早于处置日期"))
        return problems

    def file_checks(self, rows: Rows, ctx: ImportContext) -> list[RowError]:
        clue_rows = rows[CLUES_SHEET.title]
        errors = _duplicates(clue_rows, "external_ref", CLUES_SHEET, "外部编号")
        by_ref = {row.values["external_ref"]: row for row in clue_rows if row.has("external_ref")}
        referenced = set()
        for row in rows[CLUE_OUTCOMES_SHEET.title]:
            ref = row.values.get("external_ref")
            if not ref:
                continue
            clue_row = by_ref.get(ref)
            if clue_row is None:
                errors.append(
                    RowError(
                        row.sheet,
                        row.number,
                        CLUE_OUTCOMES_SHEET.header("external_ref"),
                        f"外部编号“{ref}”在“{CLUES_SHEET.title}”工作表中不存在",
                    )
                )
                continue
            referenced.add(ref)
            received = clue_row.values.get("received_date")
            decided = row.values.get("decision_date")
            if received and decided and decided < received:
                errors.append(
                    RowError(
                        row.sheet,
                        row.number,
                        CLUE_OUTCOMES_SHEET.header("decision_date"),
                        f"决定日期不能早于线索的受理日期（{received.isoformat()}）",
                    )
                )
        for row in clue_rows:
            v = row.values
            case_filed = v.get("disposal_method") == DisposalMethod.CASE_FILED
            if case_filed and v.get("closed_at") and v.get("external_ref") not in referenced:
                errors.append(
                    RowError(
                        row.sheet,
                        row.number,
                        CLUES_SHEET.header("closed_at"),
                        "“立案审查”的线索办结前须录入处理结果：请在“处理结果”工作表中"
                        "按外部编号填写",
                    )
                )
        return errors

    def permission_errors(self, user: Any, rows: Rows) -> list[str]:
        problems = []
        handled = any(row.values.get("disposal_method") for row in rows[CLUES_SHEET.title])
        if handled and not user.has_perm("clues.change_clue"):
            problems.append(
                "您没有办理问题线索（处置、办结）的权限：“处置方式”“处置日期”“办结日期”“办结结论”须留空"
            )
        if rows[CLUE_OUTCOMES_SHEET.title] and not user.has_perm("clues.add_outcome"):
            problems.append("您没有录入处理结果的权限：“处理结果”工作表须留空")
        return problems

    def prepare(self, rows: Rows, ctx: ImportContext, writer: Writer) -> None:
        """Build and check every clue and 处理结果 before the write transaction (as
        ``clue_create`` and ``outcome_record`` do one at a time); ``stage`` writes them
        ahead where nobody sees them, ``write`` publishes them in one statement per table
        and then submits the rows' 处置 as 呈批 requests (ADR 0010)."""
        fields = self.fields(CLUES_SHEET)
        outcome_fields = self.fields(CLUE_OUTCOMES_SHEET)
        outcome_rows: dict[str, list[ParsedRow]] = {}
        for row in rows[CLUE_OUTCOMES_SHEET.title]:
            outcome_rows.setdefault(row.values["external_ref"], []).append(row)
        built: list[tuple[ParsedRow, Clue, list[Any], list[Any]]] = []
        outcomes: list[Outcome] = []
        for row in rows[CLUES_SHEET.title]:
            v = row.values
            try:
                clue = clue_build(
                    actor=writer.actor,
                    source=v["source"],
                    title=v["title"],
                    content=v.get("content") or "",
                    received_date=v["received_date"],
                    handling_org=v["handling_org"].org,
                )
            except ValidationError as exc:
                writer.refusal(row, fields, exc)
                continue
            domains = list(dict.fromkeys(v.get("domains") or []))
            if domains:
                clue.domain_key = domain_key(domains)
            people = list(dict.fromkeys(v.get("subject_people") or []))
            built.append((row, clue, domains, people))
            ref = v.get("external_ref")
            for outcome_row in outcome_rows.get(ref, []) if ref else []:
                outcome = _build_outcome(writer, outcome_fields, outcome_row, clue)
                if outcome is not None:
                    outcomes.append(outcome)
        writer.prepared = (built, outcomes)

    def stage(self, rows: Rows, ctx: ImportContext, writer: Writer) -> None:
        assert writer.staged is not None
        built, outcomes = writer.prepared
        clues_stage(
            actor=writer.actor,
            clues=[(clue, domains, people) for _row, clue, domains, people in built],
            staged=writer.staged,
        )
        linked = {(clue.pk, p.pk) for _row, clue, _domains, people in built for p in people}
        outcomes_stage(actor=writer.actor, outcomes=outcomes, staged=writer.staged, linked=linked)

    def write(self, rows: Rows, ctx: ImportContext, writer: Writer) -> None:
        built, outcomes = writer.prepared
        if not _publish(writer, CLUES_SHEET, outcomes):
            return
        dispose_fields = {
            "on_date": CLUES_SHEET.header("disposed_at"),
            "method": CLUES_SHEET.header("disposal_method"),
        }
        for row, clue, _domains, _people in built:
            v = row.values
            writer.created["clues"] += 1
            ref = v.get("external_ref")
            if ref:
                writer.references[ref] = clue.number
            if v.get("disposal_method"):
                # 呈批: the row's 处置 becomes a request on its route, in the importer's
                # name; it takes effect when approved (docs/user-guide/approvals.md).
                submitted = writer.call(
                    row,
                    dispose_fields,
                    clue_request_action,
                    clue=clue,
                    action=ClueAction.DISPOSE,
                    method=v["disposal_method"],
                    note=f"导入：处置日期 {v['disposed_at']:%Y-%m-%d}",
                    source="import",
                )
                if submitted is not None:
                    writer.created["disposal_requests"] += 1
        writer.created["outcomes"] += len(outcomes)


class OutcomesImport(ImportKind):
    key = "outcomes"
    label = "处理结果"
    description = "为系统中已有的问题线索（按线索编号）录入处理结果。"
    permission = "clues.add_outcome"
    sheets = (OUTCOMES_SHEET,)
    notes = _subtype_notes()
    service_fields = OUTCOME_FIELDS

    def row_checks(
        self, sheet: SheetSpec, row: ParsedRow, ctx: ImportContext
    ) -> list[tuple[str, str]]:
        problems = _outcome_row_checks(row)
        clue, decided = row.values.get("clue"), row.values.get("decision_date")
        if clue is not None and decided is not None and decided < clue.received_date:
            problems.append(
                (
                    "decision_date",
                    f"决定日期不能早于线索的受理日期（{clue.received_date.isoformat()}）",
                )
            )
        return problems

    def prepare(self, rows: Rows, ctx: ImportContext, writer: Writer) -> None:
        """Build and check every 处理结果 before the write transaction; ``stage`` writes
        them ahead, ``write`` publishes them (ADR 0010)."""
        fields = self.fields(OUTCOMES_SHEET)
        outcomes = [
            _build_outcome(writer, fields, row, row.values["clue"])
            for row in rows[OUTCOMES_SHEET.title]
        ]
        writer.prepared = [outcome for outcome in outcomes if outcome is not None]

    def stage(self, rows: Rows, ctx: ImportContext, writer: Writer) -> None:
        assert writer.staged is not None
        outcomes_stage(actor=writer.actor, outcomes=writer.prepared, staged=writer.staged)

    def write(self, rows: Rows, ctx: ImportContext, writer: Writer) -> None:
        if _publish(writer, OUTCOMES_SHEET, writer.prepared):
            writer.created["outcomes"] += len(writer.prepared)


class ImportKinds(Mapping[str, ImportKind]):
    """Every import kind: the registry's own, and those other apps register in their
    ``import_kinds`` module (:func:`import_kind_register`), found on first use rather than
    at start-up, as tasks are (a command that imports nothing loads none of them)."""

    def __init__(self, kinds: Iterable[ImportKind]) -> None:
        self._kinds = {kind.key: kind for kind in kinds}
        self._discovered = False

    def discover(self) -> dict[str, ImportKind]:
        if not self._discovered:
            self._discovered = True
            from django.utils.module_loading import autodiscover_modules

            autodiscover_modules("import_kinds")
        return self._kinds

    def register(self, kind: ImportKind) -> None:
        self._kinds.setdefault(kind.key, kind)

    def __getitem__(self, key: str) -> ImportKind:
        return self.discover()[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self.discover())

    def __len__(self) -> int:
        return len(self.discover())


KINDS = ImportKinds((OrgsImport(), PeopleImport(), PostsImport(), CluesImport(), OutcomesImport()))

# What the created counts mean, for pages and the command line.
CREATED_LABELS = {
    "orgs": "新建单位",
    "org_labels": "新建标签",
    "supervision": "设置监督对象",
    "people": "登记人员",
    "posts": "登记任职",
    "clues": "受理线索",
    "disposed": "处置线索",
    "disposal_requests": "呈批处置（待审批）",
    "closed": "办结线索",
    "outcomes": "录入处理结果",
}


def import_kind_register(kind: ImportKind, *, created_labels: dict[str, str]) -> None:
    """Offer another app's kind on the import pages and command line (call it from that
    app's ``import_kinds`` module); ``created_labels`` say what its counts mean."""
    KINDS.register(kind)
    for key, label in created_labels.items():
        CREATED_LABELS.setdefault(key, label)


def permitted_kinds(user: Any) -> list[ImportKind]:
    return [kind for kind in KINDS.values() if kind.permitted(user)]


def describe_created(created: dict[str, int]) -> str:
    """``{"clues": 3, "closed": 2}`` as 受理线索 3、办结线索 2."""
    return "、".join(f"{label} {count}" for label, count in created_items(created))


def created_items(created: dict[str, int]) -> list[tuple[str, int]]:
    """(label, count) pairs in the order of ``CREATED_LABELS`` (the order work is done)."""
    KINDS.discover()  # their labels come with the kinds
    keys = [key for key in CREATED_LABELS if key in created]
    keys += [key for key in created if key not in CREATED_LABELS]
    return [(CREATED_LABELS.get(key, key), created[key]) for key in keys if created[key]]
