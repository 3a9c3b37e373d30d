"""Simplified Chinese formats with ISO dates first for input.

Django's own zh_Hans formats put ``%Y/%m/%d`` first, so a date field renders its value
as "2026/12/04" — which an ``<input type="date">`` (it accepts only ``yyyy-mm-dd``)
silently drops. Putting the ISO form first makes every date and date-time widget render
a value the browser keeps; the other input forms are still accepted.
"""

from django.conf.locale.zh_Hans.formats import *  # noqa: F403
from django.conf.locale.zh_Hans.formats import DATE_INPUT_FORMATS as _DATE
from django.conf.locale.zh_Hans.formats import DATETIME_INPUT_FORMATS as _DATETIME

DATE_INPUT_FORMATS = ["%Y-%m-%d", *(f for f in _DATE if f != "%Y-%m-%d")]
DATETIME_INPUT_FORMATS = [
    "%Y-%m-%d %H:%M",
    *(f for f in _DATETIME if f != "%Y-%m-%d %H:%M"),
]
