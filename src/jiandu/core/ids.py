"""Record ids as the outside world sends them: in the database's key range or refused.

Every table's key is a BigAutoField: 1 … 2**63 - 1 on SQLite and PostgreSQL alike. A
larger number would not even reach the database (SQLite: ``OverflowError``, PostgreSQL:
"out of range") and answer 500, so ids are checked where a request is read — the API by
``core.schemas.Id``, the pages by :func:`parse_id` and the model choice fields of
``core.forms``."""

from __future__ import annotations

MAX_ID = 2**63 - 1
ID_RANGE_MESSAGE = f"编号无效：应为1至{MAX_ID}之间的整数"


def parse_id(raw: object) -> int | None:
    """An id sent by a page (``?org=12``, a form's ``<select>``): the id, or None when it
    is absent, not a whole number or outside the key range — which the pages treat as
    "no such record"."""
    if isinstance(raw, int) and not isinstance(raw, bool):
        return raw if 1 <= raw <= MAX_ID else None
    text = str(raw if raw is not None else "").strip()
    if not text.isascii() or not text.isdigit():
        return None
    value = int(text)
    return value if 1 <= value <= MAX_ID else None
