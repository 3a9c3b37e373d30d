"""公民身份号码 (GB 11643-1999): validation, derived facts and masking.

An ID number is 17 digits (6 region code, 8 birth date, 3 sequence) and a check
character computed from them (ISO 7064 MOD 11-2). The sequence's last digit is odd for
men and even for women.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass

WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
CHECK_CHARS = "10X98765432"
_SHAPE = re.compile(r"^\d{17}[\dX]$")


class IdNumberError(ValueError):
    """An ID number that is not a valid GB 11643 number; the message says why."""


def normalize(raw: object) -> str:
    """Full-width to half-width, spaces removed, a lower-case x upper-cased."""
    if raw is None:
        return ""
    text = unicodedata.normalize("NFKC", str(raw))
    return re.sub(r"\s+", "", text).upper()


def check_char(first17: str) -> str:
    """The check character for the first 17 digits."""
    total = sum(int(d) * w for d, w in zip(first17, WEIGHTS, strict=True))
    return CHECK_CHARS[total % 11]


@dataclass(frozen=True)
class IdFacts:
    number: str
    region_code: str
    birth_date: dt.date
    gender: str  # "男" or "女"


def parse(raw: object) -> IdFacts:
    """Validate an ID number and return what it says; raise IdNumberError otherwise."""
    number = normalize(raw)
    if not number:
        raise IdNumberError("身份证号码为空")
    if len(number) != 18:
        raise IdNumberError(f"身份证号码应为18位，实际为{len(number)}位")
    if not _SHAPE.match(number):
        raise IdNumberError("身份证号码前17位应为数字，末位应为数字或X")
    try:
        birth = dt.datetime.strptime(number[6:14], "%Y%m%d").date()
    except ValueError as exc:
        raise IdNumberError(f"身份证号码中的出生日期{number[6:14]}无效") from exc
    if birth.year < 1900:
        raise IdNumberError(f"身份证号码中的出生日期{number[6:14]}无效")
    expected = check_char(number[:17])
    if number[17] != expected:
        raise IdNumberError(f"身份证号码校验位错误（应为{expected}，实际为{number[17]}）")
    gender = "男" if int(number[16]) % 2 == 1 else "女"
    return IdFacts(number=number, region_code=number[:6], birth_date=birth, gender=gender)


def is_valid(raw: object) -> bool:
    try:
        parse(raw)
    except IdNumberError:
        return False
    return True


def make(region_code: str, birth_date: dt.date, sequence: int) -> str:
    """Build a valid number (demo and test data): 6-digit region, birth date, 3-digit
    sequence (odd for men, even for women)."""
    first17 = f"{region_code[:6]}{birth_date:%Y%m%d}{sequence % 1000:03d}"
    return first17 + check_char(first17)


def mask(number: str | None) -> str:
    """The number as shown on lists and profiles: the first two characters (the
    province) and the last one (the check character) kept, everything else starred.

    The hidden part must stay hidden together with what else is shown: the sequence
    digits and the county part of the region are not kept (with the birth date and the
    county they would narrow an 18-digit number to a few candidates), and users without
    ``people.view_id_number`` are not shown the birth date derived from the number
    either (``people.selectors.shown_birth_date``)."""
    if not number:
        return ""
    if len(number) < 8:
        return "*" * len(number)
    return f"{number[:2]}{'*' * (len(number) - 3)}{number[-1:]}"
