import datetime as dt

import pytest

from jiandu.core import idnumbers


def test_valid_number_gives_birth_date_and_gender():
    facts = idnumbers.parse("11010519491231002X")
    assert facts.birth_date == dt.date(1949, 12, 31)
    assert facts.gender == "女"
    assert facts.region_code == "110105"


def test_full_width_and_lower_case_x_are_normalised():
    assert idnumbers.parse("１１０１０５１９４９１２３１００２ｘ").number == "11010519491231002X"


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("110105194912310021", "校验位错误"),
        ("1101051949123100", "应为18位"),
        ("11010519491331002X", "出生日期"),
        ("A1010519491231002X", "前17位应为数字"),
        ("", "为空"),
    ],
)
def test_invalid_numbers_say_why(raw, message):
    with pytest.raises(idnumbers.IdNumberError, match=message):
        idnumbers.parse(raw)


def test_make_builds_numbers_that_validate():
    number = idnumbers.make("530102", dt.date(1980, 5, 17), 123)
    facts = idnumbers.parse(number)
    assert facts.gender == "男"
    assert facts.birth_date == dt.date(1980, 5, 17)


def test_mask_hides_the_middle():
    assert idnumbers.mask("11010519491231002X") == "11***************X"
