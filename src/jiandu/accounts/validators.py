"""Password strength beyond Django's defaults: government systems require mixed
character classes (等保 requirements)."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError


class CharacterClassValidator:
    """At least three of: lower-case, upper-case, digits, symbols."""

    def validate(self, password: str, user: object = None) -> None:
        classes = [
            re.search(r"[a-z]", password),
            re.search(r"[A-Z]", password),
            re.search(r"\d", password),
            re.search(r"[^A-Za-z0-9]", password),
        ]
        if sum(1 for c in classes if c) < 3:
            raise ValidationError(
                "密码须至少包含小写字母、大写字母、数字、符号中的三类",
                code="password_character_classes",
            )

    def get_help_text(self) -> str:
        return "密码须至少包含小写字母、大写字母、数字、符号中的三类。"
