"""``{{ code|region_name }}``: a region code as the place name people read."""

from django import template

from jiandu.orgs.selectors import region_names

register = template.Library()


@register.filter
def region_name(code: str) -> str:
    if not code:
        return ""
    return region_names([code])[code]


@register.filter
def region_place(code: str) -> str:
    """The place of a code, or of the nearest place with a name (a village of imported
    data no org carries reads as its township)."""
    if not code:
        return ""
    return region_names([code], nearest=True)[code]
