import datetime as dt
from decimal import Decimal

from jiandu.approvals.choices import RequestStatus
from jiandu.approvals.models import ApprovalRequest
from jiandu.clues.choices import ClueAction, ClueStatus, DisciplineForm, DisposalMethod
from jiandu.clues.models import Clue, Outcome
from jiandu.core.audit import audit_verify
from jiandu.core.choices import AuditAction
from jiandu.core.models import AuditLog
from jiandu.imports.services import import_file
from jiandu.imports.tests.helpers import ID_1, ID_2, headers, register, workbook
from jiandu.testing import approve_request


def _clues_file(clue_rows, outcome_rows):
    return workbook(
        {
            "线索": [headers("clues", 0), *clue_rows],
            "处理结果": [headers("clues", 1), *outcome_rows],
        }
    )


# Rows as a register of past years has them: received, disposed and closed.
HISTORY_ROWS = [
    [
        "信访举报",
        "某村干部截留低保金",
        "反映某村党支部书记截留低保金",
        "2020-03-02",
        "五华区纪委监委",
        "扶贫",
        ID_1,
        "立案审查",
        "2020-03-10",
        "2020-06-30",
        "属实",
        "WH-001",
    ],
    [
        "监督检查",
        "某街道违规发放津贴",
        "",
        dt.datetime(2020, 4, 1),
        "红云街道",
        "",
        f"{ID_2}，{ID_1}",
        "谈话函询",
        "2020/4/5",
        20200501,
        "部分属实",
        "WH-002",
    ],
    ["巡察移交", "某社区吃喝", "", "2020-05-06", "五华区纪委监委", "", "", "", "", "", "", ""],
]
# 呈批: an import may not close a clue; the same rows with 办结 left empty.
CLUE_ROWS = [[*row[:9], "", "", row[11]] for row in HISTORY_ROWS]
OUTCOME_ROWS = [
    ["WH-001", ID_1, "张某某", "党纪处分", "严重警告", "", "2020-06-20", "12000"],
    ["WH-002", ID_2, "", "批评教育", "诫勉", "", "2020-04-28", ""],
]


def test_clues_are_received_their_disposals_submitted_for_approval_and_outcomes_recorded(
    users, world
):
    register(world, ID_1, "张某某")
    register(world, ID_2, "李某")
    data = _clues_file(CLUE_ROWS, OUTCOME_ROWS)

    result = import_file(actor=users["county"], kind="clues", filename="台账.xlsx", data=data)

    assert result.ok, result.errors
    assert result.rows == 5
    assert result.created == {"clues": 3, "disposal_requests": 2, "outcomes": 2}
    case = Clue.objects.get(title="某村干部截留低保金")
    assert result.references == {
        "WH-001": case.number,
        "WH-002": Clue.objects.get(title="某街道违规发放津贴").number,
    }
    # The 处置 waits for its route: nothing but the receipt is on the clue yet.
    assert case.status == ClueStatus.RECEIVED and case.disposal_method == ""
    assert list(case.events.values_list("action", "on_date")) == [
        (ClueAction.RECEIVE, dt.date(2020, 3, 2)),
    ]
    request = ApprovalRequest.objects.get(target_id=case.pk)
    assert (request.status, request.source, request.drafted_by) == (
        RequestStatus.PENDING,
        "import",
        users["county"],
    )
    assert request.payload["method"] == DisposalMethod.CASE_FILED
    assert "2020-03-10" in request.payload["note"]
    approve_request(request)
    case.refresh_from_db()
    assert (case.status, case.disposal_method) == (ClueStatus.DISPOSING, DisposalMethod.CASE_FILED)
    assert list(case.domains.values_list("name", flat=True)) == ["扶贫"]
    outcome = Outcome.objects.get(clue=case)
    assert outcome.person.name == "张某某"
    assert outcome.discipline_form == DisciplineForm.SECOND
    assert outcome.funds_recovered == Decimal("12000.00")
    talk = Clue.objects.get(title="某街道违规发放津贴")
    assert talk.handling_org == world.township and talk.received_date == dt.date(2020, 4, 1)
    assert sorted(talk.subject_people.values_list("name", flat=True)) == ["张某某", "李某"]
    assert not ApprovalRequest.objects.filter(
        target_id=Clue.objects.get(title="某社区吃喝").pk
    ).exists()

    imported = AuditLog.objects.get(action=AuditAction.IMPORT)
    assert imported.changes["references"]["WH-001"] == case.number
    assert (
        AuditLog.objects.filter(action=AuditAction.CREATE, object_type="clues.outcome").count() == 2
    )
    assert audit_verify().ok


def test_an_import_cannot_close_a_clue(users, world):
    """办结 takes effect only when approved: a row with 办结 is refused, nothing written."""
    register(world, ID_1, "张某某")
    register(world, ID_2, "李某")
    data = _clues_file(HISTORY_ROWS, OUTCOME_ROWS)
    result = import_file(actor=users["county"], kind="clues", filename="t.xlsx", data=data)
    assert not result.ok
    assert [(e.sheet, e.row, e.column) for e in result.errors] == [
        ("线索", 2, "办结日期"),
        ("线索", 3, "办结日期"),
    ]
    assert "办结须经呈批批准后生效" in result.errors[0].message
    assert not Clue.objects.exists() and not ApprovalRequest.objects.exists()


def test_a_case_filed_clue_closed_without_outcomes_is_refused_before_writing(users, world):
    register(world, ID_1, "张某某")
    data = _clues_file(HISTORY_ROWS[:1], [])
    result = import_file(actor=users["county"], kind="clues", filename="t.xlsx", data=data)
    assert not result.ok
    assert [(e.sheet, e.row, e.column) for e in result.errors] == [("线索", 2, "办结日期")] * 2
    assert "办结须经呈批" in result.errors[0].message
    assert "须录入处理结果" in result.errors[1].message
    assert not Clue.objects.exists()


def test_an_outcome_for_an_unknown_external_number_is_reported(users, world):
    register(world, ID_1, "张某某")
    register(world, ID_2, "李某")
    outcome = ["WH-999", ID_2, "", "批评教育", "诫勉", "", "2020-04-28", ""]
    data = _clues_file(CLUE_ROWS, [*OUTCOME_ROWS, outcome])
    result = import_file(actor=users["county"], kind="clues", filename="t.xlsx", data=data)
    assert not result.ok
    assert [(e.sheet, e.row, e.column) for e in result.errors] == [("处理结果", 4, "外部编号")]
    assert not Clue.objects.exists() and not Outcome.objects.exists()


def test_outcome_checks_name_subtype_and_responsibility(users, world):
    register(world, ID_1, "张某某")
    rows = [
        ["WH-001", ID_1, "王某", "党纪处分", "严重警告", "", "2020-06-20", ""],
        ["WH-001", ID_1, "", "党纪处分", "诫勉", "", "2020-06-20", ""],
        ["WH-001", ID_1, "", "问责", "通报问责", "", "2020-06-20", ""],
        ["WH-001", "", "", "诬告陷害查处", "", "", "2020-06-20", ""],
    ]
    data = _clues_file(CLUE_ROWS[:1], rows)
    result = import_file(actor=users["county"], kind="clues", filename="t.xlsx", data=data)
    assert [(e.row, e.column) for e in result.errors] == [
        (2, "对象姓名"),
        (3, "处理方式"),
        (4, "责任类型"),
        (5, "对象姓名"),
    ]
    assert "不一致" in result.errors[0].message
    assert "警告（党纪）、严重警告" in result.errors[1].message


def test_outcomes_for_existing_clues_by_number(users, world):
    from jiandu.clues.choices import ClueSource
    from jiandu.clues.services import clue_create

    person = register(world, ID_1, "张某某")
    clue = clue_create(
        actor=users["county"],
        source=ClueSource.PETITION,
        title="某村干部截留低保金",
        received_date=dt.date(2020, 3, 2),
        handling_org=world.county,
    )
    data = workbook(
        {
            "处理结果": [
                headers("outcomes"),
                [clue.number, ID_1, "", "问责", "通报问责", "领导责任", "2020-05-01", "3500.5"],
                ["XS20209999999", ID_1, "", "批评教育", "诫勉", "", "2020-05-01", ""],
            ]
        }
    )
    result = import_file(actor=users["county"], kind="outcomes", filename="o.xlsx", data=data)
    assert not result.ok
    assert [(e.row, e.column) for e in result.errors] == [(3, "线索编号")]

    data = workbook(
        {
            "处理结果": [
                headers("outcomes"),
                [clue.number, ID_1, "", "问责", "通报问责", "领导责任", "2020-05-01", "3500.5"],
            ]
        }
    )
    result = import_file(actor=users["county"], kind="outcomes", filename="o.xlsx", data=data)
    assert result.ok, result.errors
    outcome = Outcome.objects.get()
    assert (outcome.clue, outcome.person) == (clue, person)
    assert outcome.funds_recovered == Decimal("3500.50")
    assert outcome.responsibility_type == "leadership"


def test_disposal_and_outcomes_need_their_own_permissions(users, world):
    # The petition officer may register clues but neither handle them nor record outcomes.
    register(world, ID_1, "张某某", org=world.petition_room)
    row = [*CLUE_ROWS[0][:4], "信访室", "", "", *CLUE_ROWS[0][7:]]
    data = _clues_file([row], OUTCOME_ROWS[:1])
    result = import_file(
        actor=users["petition_officer"], kind="clues", filename="t.xlsx", data=data
    )
    assert not result.ok
    assert [e.message.split("：")[0] for e in result.errors] == [
        "您没有办理问题线索（处置、办结）的权限",
        "您没有录入处理结果的权限",
    ]

    received_only = [*row[:7], "", "", "", "", ""]
    result = import_file(
        actor=users["petition_officer"],
        kind="clues",
        filename="t.xlsx",
        data=_clues_file([received_only], []),
    )
    assert result.ok, result.errors
    assert Clue.objects.get().handling_org == world.petition_room


def test_staged_clue_import_writes_what_the_services_write(users, world):
    """Built and staged ahead, published in one transaction: each clue has its number,
    its 受理 event, its links and its audit row as ``clue_create`` gives them; an
    imported sanction outcome has its 处分执行 row (what saving an outcome sets off);
    the person of an outcome already linked as 被反映人 is linked once."""
    from jiandu.followup.models import SanctionExecution

    register(world, ID_1, "张某某")
    register(world, ID_2, "李某")
    outcome_rows = [*OUTCOME_ROWS, ["WH-002", ID_1, "", "批评教育", "诫勉", "", "2020-04-29", ""]]
    result = import_file(
        actor=users["county"],
        kind="clues",
        filename="台账.xlsx",
        data=_clues_file(CLUE_ROWS, outcome_rows),
    )
    assert result.ok, result.errors
    clues = list(Clue.objects.order_by("pk"))
    assert [c.number for c in clues] == [f"XS2020{c.pk:07d}" for c in clues]
    for clue in clues:
        assert list(clue.events.values_list("action", flat=True)) == [ClueAction.RECEIVE]
        assert clue.search_grams and clue.due_date is not None
        created = AuditLog.objects.get(
            action=AuditAction.CREATE, object_type="clues.clue", object_id=str(clue.pk)
        )
        assert created.changes["number"] == clue.number
    case = Clue.objects.get(title="某村干部截留低保金")
    assert case.domain_key and Outcome.objects.get(clue=case).domain_key == case.domain_key
    sanction = Outcome.objects.get(clue=case)
    assert SanctionExecution.objects.filter(outcome=sanction).count() == 1
    talk = Clue.objects.get(title="某街道违规发放津贴")
    assert talk.subject_people.count() == 2 and talk.outcomes.count() == 2
    assert audit_verify().ok


def test_a_refused_outcome_row_is_named_and_nothing_is_written(users, world):
    register(world, ID_1, "张某某")
    register(world, ID_2, "李某")
    outcome_rows = [*OUTCOME_ROWS, ["WH-003", "", "王某", "党纪处分", "", "", "2020-06-01", ""]]
    rows = [*CLUE_ROWS[:2], [*CLUE_ROWS[2][:11], "WH-003"]]
    before = (Clue.objects.count(), Outcome.objects.count(), AuditLog.objects.count())
    result = import_file(
        actor=users["county"],
        kind="clues",
        filename="台账.xlsx",
        data=_clues_file(rows, outcome_rows),
    )
    assert not result.ok
    assert {(e.sheet, e.row) for e in result.errors} == {("处理结果", 4)}
    assert (Clue.objects.count(), Outcome.objects.count(), AuditLog.objects.count()) == before
