"""The board workbook writes formula-like unit names and titles as text."""

from jiandu.boards.documents import BoardSection, render_board_xlsx
from jiandu.boards.tests.test_documents import UNITS, make_board
from jiandu.core.tests.test_xlsx_formula_text import CALC, LINK, all_values, sheet_xml


def test_board_workbook_writes_a_formula_unit_name_as_text():
    board = make_board()
    names = dict(UNITS, songming=CALC, fumin=LINK)
    board = BoardSection(
        title="=1+1", result=board.result, unit_names=names, warnings=board.warnings
    )
    data = render_board_xlsx(board=board)
    xml = sheet_xml(data)
    assert "<f>" not in xml
    values = all_values(data)
    assert CALC in values and LINK in values
    # The figures are still numbers.
    assert any(isinstance(v, int) and not isinstance(v, bool) for v in values)
