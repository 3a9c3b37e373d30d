"""``{% detail_panels "clues.petition" petition %}``: the panels other apps register for
a record's detail page (:mod:`jiandu.core.hooks`), each rendered from its template with
``panel`` bound to its context, inside the page's own context (request, csrf token).

A page of a lower app adds the panels of the apps above it with this one line and no
change to its view."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.safestring import SafeString, mark_safe

from jiandu.core.hooks import detail_panels as _detail_panels

register = template.Library()


@register.simple_tag(takes_context=True)
def detail_panels(context: template.Context, kind: str, record: Any) -> SafeString:
    request = context.get("request")
    engine = context.template.engine  # type: ignore[union-attr]
    parts = []
    for panel in _detail_panels(kind, request, record):
        tpl = engine.get_template(panel.template)
        with context.push(panel=panel.context):
            parts.append(tpl.render(context))
    return mark_safe("".join(parts))  # each part is a rendered (auto-escaped) template
