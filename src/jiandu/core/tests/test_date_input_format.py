"""Date widgets render ISO dates under the zh-hans locale (browsers drop anything else)."""

import datetime as dt

from django import forms
from django.utils import translation


class _Form(forms.Form):
    on = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}))
    at = forms.DateTimeField()


def test_date_input_renders_iso_under_chinese_locale():
    with translation.override("zh-hans"):
        form = _Form(initial={"on": dt.date(2026, 12, 4), "at": dt.datetime(2026, 12, 4, 9, 30)})
        html = str(form["on"])
        assert 'value="2026-12-04"' in html
        assert 'value="2026-12-04 09:30' in str(form["at"])


def test_other_chinese_date_forms_still_accepted():
    with translation.override("zh-hans"):
        for text in ("2026-12-04", "2026/12/04"):
            form = _Form(data={"on": text, "at": "2026-12-04 09:30"})
            assert form.is_valid(), (text, form.errors)
            assert form.cleaned_data["on"] == dt.date(2026, 12, 4)
