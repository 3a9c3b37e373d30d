import datetime as dt
from decimal import Decimal

import pytest

from jiandu.imports import importers
from jiandu.imports.importers import CellError
from jiandu.imports.tests.helpers import ID_1
from jiandu.people.choices import ManagementLevel


@pytest.mark.parametrize(
    "value",
    [
        "2020-03-02",
        "2020/3/2",
        "2020.03.02",
        "2020年3月2日",
        "２０２０－０３－０２",
        20200302,
        dt.datetime(2020, 3, 2),
        dt.date(2020, 3, 2),
        43892,  # Excel serial of 2020-03-02
    ],
)
def test_dates_in_the_forms_people_type_them(value):
    assert importers.date_value(value, None) == dt.date(2020, 3, 2)


@pytest.mark.parametrize("value", ["2020-02-30", "03/02/2020", "三月二日", "2020-3"])
def test_bad_dates_are_explained(value):
    with pytest.raises(CellError, match="日期"):
        importers.date_value(value, None)


def test_an_id_number_stored_as_a_number_is_refused():
    with pytest.raises(CellError, match="文本"):
        importers.id_number(int(ID_1[:17] + "0"), None)
    assert importers.id_number(f" {ID_1.lower()} ", None) == ID_1


def test_enumerations_match_labels_across_widths():
    parse = importers.enum(ManagementLevel)
    assert parse("村（社区）干部", None) == ManagementLevel.VILLAGE
    assert parse(" 市管 干部", None) == ManagementLevel.CITY_MANAGED
    with pytest.raises(CellError, match="应为以下之一：市管干部、县管干部"):
        parse("处级", None)


def test_money():
    assert importers.money("1,234.5元", None) == Decimal("1234.50")
    assert importers.money(3500, None) == Decimal("3500.00")
    for bad in ("-1", "一千", "1.234"):
        with pytest.raises(CellError):
            importers.money(bad, None)


def test_lists_split_on_the_separators_people_use():
    assert importers.split_list("教育系统，牵头单位、 脱贫摘帽县;其他") == [
        "教育系统",
        "牵头单位",
        "脱贫摘帽县",
        "其他",
    ]
