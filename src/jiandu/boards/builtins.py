"""The built-in indicator library and the two boards of the seed report (昆明, 2019).

* 各派驻机构、各监督检查室扶贫领域监督执纪问责工作情况: 问题受理（件）, 处置办结（件）,
  批评教育（人）, 问责追责（人）; every 派驻纪检监察组 and 监督检查室 takes part.
* 9个有脱贫攻坚任务的县区扶贫领域监督执纪问责工作情况: the ten indicators 受理问题线索 …
  通报曝光（批次/人次）; the counties labelled 脱贫摘帽县 take part.

Yellow marks the 牵头单位纪检组 (of the city's 脱贫攻坚巩固提升工作分指挥部) and the
脱贫摘帽县. ``jiandu board install-builtins`` writes them (idempotent: an existing
indicator or board keeps whatever its users changed).
"""

from __future__ import annotations

from typing import Any

from jiandu.boards.choices import ParticipantRule
from jiandu.orgs.choices import OrgKind

POVERTY_DOMAIN = ("poverty", "扶贫")
LABEL_LEAD_GROUP = "牵头单位纪检组"
LABEL_POVERTY_COUNTY = "脱贫摘帽县"

# key, name, unit, statistic or components
INDICATORS: list[dict[str, Any]] = [
    {"key": "clues_received", "name": "受理问题线索", "unit": "件", "statistic": "clues_received"},
    {"key": "clues_disposed", "name": "处置问题线索", "unit": "件", "statistic": "clues_disposed"},
    {"key": "clues_closed", "name": "处置办结", "unit": "件", "statistic": "clues_closed"},
    {"key": "criticism", "name": "批评教育", "unit": "人", "statistic": "criticism"},
    {"key": "accountability", "name": "问责处理", "unit": "人", "statistic": "accountability"},
    {
        "key": "party_discipline",
        "name": "党纪处分",
        "unit": "人",
        "statistic": "party_discipline",
    },
    {
        "key": "government_sanction",
        "name": "政务处分",
        "unit": "人",
        "statistic": "government_sanction",
    },
    {"key": "direct_handling", "name": "直查直办", "unit": "件", "statistic": "direct_handling"},
    {
        "key": "principal_failures",
        "name": "主体责任类失职失责",
        "unit": "件",
        "statistic": "principal_failures",
    },
    {
        "key": "supervisory_failures",
        "name": "监督责任类失职失责",
        "unit": "件",
        "statistic": "supervisory_failures",
    },
    {
        "key": "exposure",
        "name": "通报曝光",
        "unit": "批次/人次",
        "components": [
            {"key": "batches", "name": "批次", "unit": "批次", "statistic": "exposure_batches"},
            {"key": "persons", "name": "人次", "unit": "人次", "statistic": "exposure_persons"},
        ],
    },
]

BOARDS: list[dict[str, Any]] = [
    {
        "key": "poverty-stationed",
        "title": "各派驻机构、各监督检查室扶贫领域监督执纪问责工作情况",
        "participant_rule": ParticipantRule.KIND,
        "participant_kinds": [OrgKind.STATIONED_GROUP, OrgKind.SUPERVISION_ROOM],
        "participant_labels": [],
        "indicators": [
            ("clues_received", "问题受理"),
            ("clues_closed", ""),
            ("criticism", ""),
            ("accountability", "问责追责"),
        ],
    },
    {
        "key": "poverty-counties",
        "title": "9个有脱贫攻坚任务的县区扶贫领域监督执纪问责工作情况",
        "participant_rule": ParticipantRule.LABEL,
        "participant_kinds": [],
        "participant_labels": [LABEL_POVERTY_COUNTY],
        "indicators": [
            ("clues_received", ""),
            ("clues_disposed", ""),
            ("criticism", ""),
            ("accountability", ""),
            ("party_discipline", ""),
            ("government_sanction", ""),
            ("direct_handling", ""),
            ("principal_failures", ""),
            ("supervisory_failures", ""),
            ("exposure", ""),
        ],
    },
]

YELLOW_LABELS = [LABEL_LEAD_GROUP, LABEL_POVERTY_COUNTY]
