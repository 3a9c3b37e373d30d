"""Form fields shared by the apps' pages."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db import models

from jiandu.core.ids import parse_id
from jiandu.core.text import clean_line


class LineField(forms.CharField):
    """A name or title: invisible characters stripped (``core.text.clean_line``)."""

    def to_python(self, value: Any) -> Any:
        value = super().to_python(value)
        return clean_line(value) if isinstance(value, str) else value


class ModelChoiceField(forms.ModelChoiceField):
    """A record chosen by id: an id outside the key range is an invalid choice (the
    lookup would fail in the database driver, not answer "no such record")."""

    def to_python(self, value: Any) -> Any:
        if (
            value not in self.empty_values
            and not self.to_field_name
            and not isinstance(value, models.Model)
            and parse_id(value) is None
        ):
            raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        return super().to_python(value)


class ModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    """Records chosen by id, each id checked as in :class:`ModelChoiceField`."""

    def _check_values(self, value: Any) -> Any:
        if not self.to_field_name:
            for pk in value:
                if not isinstance(pk, models.Model) and parse_id(pk) is None:
                    raise ValidationError(
                        self.error_messages["invalid_pk_value"],
                        code="invalid_pk_value",
                        params={"pk": pk},
                    )
        return super()._check_values(value)  # type: ignore[misc]
