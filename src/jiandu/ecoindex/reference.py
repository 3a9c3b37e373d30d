"""The shipped default tree of the political-ecology index (seed 004, 常山县“一图一表一指数”):
7 dimensions (板块), 18 first-level and 46 second-level indicators.

The seed names the 7 dimensions, the counts 18 and 46, the four colours and the bodies
whose records feed it (县委办, 县府办, 纪委监委, 组织部, 宣传部, 大督考专班, 信访局); it
does not print the indicators. The first- and second-level indicators below are written
from what these bodies actually hold: 16 leaves are counted from the platform's own
records (clues, outcomes and their 四种形态, petitions, problems and rectifications, talks,
多色榜 warnings — see :mod:`jiandu.ecoindex.sources`), the other 30 are reported monthly by
the department named, through the .xlsx upload. docs/glossary.md gives each one's 口径.

:func:`install_reference_data` installs version 1 when no version exists; a commission
changes the tree by adding a version (from a month on), never by editing this one.
"""

# ruff: noqa: E501  (the tree is a table: one indicator per entry, its 口径 on one line)
from __future__ import annotations

from typing import Any

FIRST_MONTH = "2000-01"
DEFAULT_BANDS: list[dict[str, Any]] = [
    {"colour": "green", "min": "85"},
    {"colour": "yellow", "min": "70"},
    {"colour": "orange", "min": "60"},
    {"colour": "red", "min": None},
]
PARTICIPANT_KINDS = ["city_unit", "county_unit", "township", "state_enterprise"]

RATE = [[0, 0], [60, 40], [90, 85], [100, 100]]  # a percentage: 90 % scores 85, 100 % 100


def _c(key, name, statistic, method, *, unit="件", weight=1, definition="", **params):
    return {"key": key, "name": name, "source": "computed", "statistic": statistic,
            "method": method, "unit": unit, "weight": weight, "definition": definition,
            **params}  # fmt: skip


def _r(key, name, department, method, *, unit="个", weight=1, definition="", **params):
    return {"key": key, "name": name, "source": "reported", "department": department,
            "method": method, "unit": unit, "weight": weight, "definition": definition,
            **params}  # fmt: skip


LOW = {"direction": "lower"}

# (key, name, weight, [(key, name, weight, [leaves])])
TREE: list[tuple[str, str, int, list[tuple[str, str, int, list[dict[str, Any]]]]]] = [
    ("politics", "政治生活规范度", 15, [
        ("centralism", "民主集中制执行", 1, [
            _r("collective_rate", "“三重一大”事项集体决策率", "县委办", "thresholds", unit="%",
               breakpoints=RATE, definition="当月“三重一大”事项中经党委（党组）会议集体决策的比例"),
            _r("meeting_rule_issues", "议事规则执行问题数", "县委办", "deduction", points=10,
               definition="当月督查发现的党委（党组）会议议事规则、决策程序不规范问题个数"),
        ]),
        ("org_life", "组织生活制度落实", 1, [
            _r("life_meeting_rate", "民主生活会、组织生活会按时召开率", "组织部", "thresholds",
               unit="%", breakpoints=RATE, definition="应召开的民主生活会、组织生活会中按时召开的比例"),
            _r("three_meetings_issues", "“三会一课”落实问题数", "组织部", "deduction", points=5,
               definition="当月组织部门检查发现的“三会一课”未落实、走过场问题个数"),
        ]),
        ("decisions", "重大决策部署落实", 1, [
            _r("inspection_issues", "督查发现问题数", "大督考专班", "deduction", points=5,
               definition="当月大督考专班对重大决策部署督查发现的本单位问题个数"),
            _r("work_appraisal", "重点工作考核得分", "大督考专班", "minmax", unit="分",
               definition="当月重点工作考核得分，按全部参评单位极差标准化"),
        ]),
    ]),
    ("loyalty", "党员干部忠诚度", 15, [
        ("ideology", "理想信念教育", 1, [
            _r("study_rate", "理论学习中心组学习计划完成率", "宣传部", "thresholds", unit="%",
               breakpoints=RATE, definition="当月理论学习中心组学习计划的完成比例"),
            _r("ideology_issues", "意识形态工作责任制落实问题数", "宣传部", "deduction", points=10,
               definition="当月宣传部检查发现的意识形态工作责任制落实问题个数"),
        ]),
        ("political_discipline", "政治纪律和政治规矩", 1, [
            _r("disloyal_issues", "对党不忠诚不老实问题数", "纪委监委", "deduction", points=20,
               definition="当月查实的搞团团伙伙、对抗组织审查、欺瞒组织等问题个数"),
            _r("negative_opinion", "负面舆情事件数", "宣传部", "deduction", points=10,
               definition="当月涉及本单位党员干部、经核实的负面网络舆情事件数"),
        ]),
        ("commitment", "担当作为", 1, [
            _r("inaction_issues", "不担当不作为问题数", "大督考专班", "deduction", points=10,
               definition="当月督查考核发现的推诿扯皮、敷衍塞责、不作为慢作为问题个数"),
            _c("principal_failures", "主体责任类问责", "principal_failures", "deduction",
               points=20, definition="当月决定的问责处理中，责任类型为主体责任、涉及本单位的线索数"),
            _c("interviews", "约谈、诫勉谈话次数", "interviews", "deduction", unit="次", points=10,
               definition="当月对本单位领导或干部进行的约谈、诫勉谈话、提醒谈话次数"),
        ]),
    ]),
    ("selection", "选人用人公信度", 15, [
        ("appointments", "选人用人规范", 1, [
            _r("appointment_issues", "选人用人检查发现问题数", "组织部", "deduction", points=10,
               definition="当月选人用人专项检查、“一报告两评议”发现的问题个数"),
            _r("appointment_satisfaction", "干部选拔任用工作满意率", "组织部", "thresholds",
               unit="%", breakpoints=RATE, definition="“一报告两评议”中对干部选拔任用工作满意的比例"),
            _r("sick_promotion", "“带病提拔”问题数", "组织部", "deduction", points=30,
               definition="当月查实的干部“带病提拔”、“带病上岗”问题个数"),
        ]),
        ("cadre_management", "干部监督管理", 1, [
            _r("personal_report_mismatch", "个人有关事项报告查核不一致人数", "组织部", "deduction",
               unit="人", points=10, definition="当月个人有关事项报告抽查核实中查核结果不一致的人数"),
            _r("dossier_issues", "干部人事档案审核问题数", "组织部", "deduction", points=5,
               definition="当月干部人事档案专项审核发现的“三龄两历一身份”等问题个数"),
        ]),
    ]),
    ("oversight", "党内监督严实度", 15, [
        ("supervisory_duty", "监督责任落实", 1, [
            _c("supervisory_failures", "监督责任类问责", "supervisory_failures", "deduction",
               points=20, definition="当月决定的问责处理中，责任类型为监督责任、涉及本单位的线索数"),
            _c("form1", "第一种形态人次", "form1", "minmax", unit="人次",
               definition="当月决定的批评教育、诫勉等第一种形态处理人次（抓早抓小，越高越好）"),
        ]),
        ("inspection_audit", "巡察审计监督", 1, [
            _r("patrol_issues", "巡察发现问题数", "纪委监委", "deduction", points=3,
               definition="当月巡察反馈的本单位问题个数"),
            _r("audit_issues", "审计发现问题数", "县府办", "deduction", points=3,
               definition="当月审计报告指出的本单位问题个数"),
            _r("patrol_rectified_rate", "巡察审计整改完成率", "纪委监委", "thresholds", unit="%",
               breakpoints=RATE, definition="巡察、审计反馈问题中已完成整改的比例"),
        ]),
        ("daily_supervision", "日常监督", 1, [
            _c("problems_found", "监督检查发现问题数", "problems_found", "deduction", points=2,
               definition="当月登记到本单位的问题数（各来源，整改闭环中的“问题”）"),
            _r("four_winds_checks", "节点纠“四风”检查问题数", "纪委监委", "deduction", points=10,
               definition="当月节日节点“廉节清风”等监督检查发现的本单位“四风”问题个数"),
        ]),
    ]),
    ("integrity", "公职人员清廉度", 20, [
        ("violations", "违纪违法", 1, [
            _c("clues_about", "问题线索件数", "clues_about", "deduction", points=5,
               definition="当月受理的、被反映单位为本单位的问题线索件数"),
            _c("form2", "第二种形态人次", "form2", "deduction", unit="人次", points=10,
               definition="当月决定的党纪轻处分、组织调整等第二种形态人次（线索的被反映单位为本单位）"),
            _c("form3", "第三种形态人次", "form3", "deduction", unit="人次", points=20,
               definition="当月决定的党纪重处分、重大职务调整等第三种形态人次"),
            _c("form4", "第四种形态人次", "form4", "deduction", unit="人次", points=40,
               definition="当月决定的严重违纪涉嫌违法立案审查、移送司法等第四种形态人次"),
        ]),
        ("four_winds", "“四风”问题", 1, [
            _r("eight_rules_issues", "违反中央八项规定精神问题数", "纪委监委", "deduction",
               points=15, definition="当月查处的本单位违反中央八项规定精神问题个数"),
            _r("expenses_issues", "“三公”经费超标问题数", "县府办", "deduction", points=10,
               definition="当月财政、审计检查发现的公务接待、公车、出国（境）经费超标问题个数"),
        ]),
        ("risk_control", "廉洁风险防控", 1, [
            _r("risk_measure_rate", "廉政风险防控措施落实率", "纪委监委", "thresholds", unit="%",
               breakpoints=RATE, definition="本单位排查的廉政风险点中防控措施已落实的比例"),
            _r("funds_issue_amount", "资金领域问题金额", "县府办", "minmax", unit="万元", **LOW,
               definition="当月审计、财政检查发现的工程项目和资金领域问题涉及金额"),
        ]),
    ]),
    ("satisfaction", "人民群众满意度", 10, [
        ("petitions", "信访举报", 1, [
            _c("petitions_about", "检举控告件数", "petitions_about", "deduction", points=3,
               definition="当月受理的、被反映单位为本单位的信访举报件数"),
            _c("petitions_repeat", "重复举报件数", "petitions_repeat_about", "deduction",
               points=10, definition="当月受理的、被反映单位为本单位且为重复举报的件数"),
            _r("petition_ontime_rate", "信访事项按期办结率", "信访局", "thresholds", unit="%",
               breakpoints=RATE, definition="当月应办结的信访事项中按期办结的比例"),
        ]),
        ("public_rating", "群众评价", 1, [
            _r("public_rating_score", "群众满意度测评得分", "县委办", "minmax", unit="分",
               definition="当月群众满意度测评（电话、问卷）得分"),
            _r("hotline_complaints", "12345热线有效投诉件数", "县府办", "minmax", **LOW,
               definition="当月12345热线转办、经核实的对本单位的有效投诉件数"),
            _r("media_exposure", "媒体曝光负面报道数", "宣传部", "deduction", points=10,
               definition="当月主流媒体曝光、经核实的本单位负面报道数"),
        ]),
    ]),
    ("self_repair", "自我净化修复度", 10, [
        ("rectification", "整改落实", 1, [
            _c("rectification_rate", "问题整改按期完成率", "rectification_rate", "thresholds",
               unit="%", breakpoints=RATE,
               definition="整改期限在当月的问题中，在期限内销号的比例；当月无到期问题时缺项"),
            _c("rectifications_overdue", "逾期未整改问题数", "rectifications_overdue",
               "deduction", points=10, definition="月末已过整改期限仍未销号的本单位问题数"),
            _c("problems_recurred", "整改问题反弹数", "problems_recurred", "deduction", points=20,
               definition="当月回头看发现反弹、登记为“反弹自”原问题的本单位问题数"),
            _c("board_warnings", "多色榜预警次数", "board_warnings", "deduction", unit="次",
               points=15, definition="当月多色榜结账对本单位发出的预警次数"),
        ]),
        ("self_correction", "自查自纠与以案促改", 1, [
            _c("problems_self_found", "自查自纠发现问题数", "problems_self_found", "minmax",
               definition="当月本单位自查自纠登记的问题数（来源属自查自纠，越多越好）"),
            _r("case_reform_rate", "以案促改专题会议召开率", "纪委监委", "thresholds", unit="%",
               breakpoints=RATE, definition="发生违纪违法案件后应召开的以案促改专题会议中已召开的比例"),
            _r("new_rules", "建章立制数", "县委办", "minmax", unit="项",
               definition="当月针对问题新建、修订的制度项数"),
        ]),
    ]),
]  # fmt: skip


def leaf_rows() -> list[dict[str, Any]]:
    return [leaf for _, _, _, firsts in TREE for _, _, _, leaves in firsts for leaf in leaves]


def tree_definition() -> dict[str, Any]:
    """The tree as the calculator's JSON (``tree`` of SPEC.json), with the platform's
    extra fields (source, statistic, department, unit, definition)."""
    return {
        "key": "index",
        "name": "政治生态指数",
        "children": [
            {
                "key": dkey,
                "name": dname,
                "weight": dweight,
                "children": [
                    {"key": fkey, "name": fname, "weight": fweight, "children": list(leaves)}
                    for fkey, fname, fweight, leaves in firsts
                ],
            }
            for dkey, dname, dweight, firsts in TREE
        ],
    }


def create_tree(
    IndexTree: Any,
    IndexNode: Any,
    *,
    version: int,
    effective_from: str,
    definition: dict[str, Any],
    reason: str = "",
    missing: str = "reweight",
    bands: list[dict[str, Any]] | None = None,
    regreen_months: int = 2,
    participant_kinds: list[str] | None = None,
    created_by: Any = None,
) -> Any:
    """Store a tree version and its nodes (works with the historical models too)."""
    tree = IndexTree.objects.create(
        version=version,
        effective_from=effective_from,
        missing=missing,
        bands=bands if bands is not None else DEFAULT_BANDS,
        regreen_months=regreen_months,
        participant_kinds=participant_kinds if participant_kinds is not None else PARTICIPANT_KINDS,
        reason=reason,
        created_by=created_by,
    )

    def add(data: dict[str, Any], parent: Any, level: int, position: int) -> None:
        leaf = "method" in data
        node = IndexNode.objects.create(
            tree=tree,
            parent=parent,
            key=data["key"],
            name=data["name"],
            level=level,
            position=position,
            weight=data.get("weight", 1),
            method=data.get("method", "") if leaf else "",
            direction=data.get("direction", "higher"),
            points=data.get("points"),
            floor=data.get("floor"),
            breakpoints=data.get("breakpoints", []),
            source=data.get("source", "") if leaf else "",
            statistic=data.get("statistic", ""),
            department=data.get("department", ""),
            unit=data.get("unit", ""),
            definition=data.get("definition", ""),
        )
        for i, child in enumerate(data.get("children", [])):
            add(child, node, level + 1, i)

    add(definition, None, 0, 0)
    return tree


def install_reference_data(apps: Any) -> None:
    IndexTree = apps.get_model("ecoindex", "IndexTree")
    IndexNode = apps.get_model("ecoindex", "IndexNode")
    if IndexTree.objects.exists():
        return
    create_tree(
        IndexTree,
        IndexNode,
        version=1,
        effective_from=FIRST_MONTH,
        definition=tree_definition(),
        reason="内置指标体系（7个板块、18个一级指标、46个二级指标）",
    )
