"""Zero-width and bidirectional control characters are stripped from names and titles
by the one cleaner in ``core.text``."""

from jiandu.core.text import clean_line, strip_invisible


def test_invisible_characters_are_stripped_from_a_line():
    assert clean_line("\u200b张\u200c三\u200d\u2060\ufeff") == "张三"
    assert clean_line("王\u202e五\u202c\u2066六\u2069\u200e\u200f") == "王五六"
    assert clean_line(" 某村\n干部\t截留\u2028低保金\x00 ") == "某村 干部 截留 低保金"
    assert clean_line("李四") == "李四"


def test_multi_line_text_keeps_its_line_breaks():
    assert strip_invisible("第一行\u200b\n第二行\u202e\t完") == "第一行\n第二行\t完"
