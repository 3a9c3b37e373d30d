"""``{{ user|with_unit }}``: a user as people know them, "姓名（单位）"."""

from typing import Any

from django import template

register = template.Library()


@register.filter
def with_unit(user: Any) -> str:
    """ "张敏（五华区纪委监委）"; just the name for a user without a unit; "" for none."""
    if not user:
        return ""
    name = getattr(user, "display_name", None) or str(user)
    org = getattr(user, "org", None)
    return f"{name}（{org}）" if org else name
