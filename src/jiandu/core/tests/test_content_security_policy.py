"""Every response carries a Content-Security-Policy that runs only the application's own
script and style files, and no template needs anything else (no inline script, handler or eval)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.urls import reverse

import jiandu

pytestmark = pytest.mark.django_db

TEMPLATES = sorted(Path(jiandu.__file__).parent.rglob("templates/**/*.html"))
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*application/json)[^>]*>", re.I)
HANDLER = re.compile(r"\s(on[a-z]+|hx-on[:\w-]*)\s*=", re.I)


def _directives(policy):
    return {part.split()[0]: part.split()[1:] for part in policy.split(";") if part.strip()}


def test_pages_send_a_policy_without_inline_script(client, world):
    for response in (
        client.get(reverse("accounts:login")),
        client.get("/api/v1/openapi.json"),
    ):
        directives = _directives(response["Content-Security-Policy"])
        assert directives["script-src"] == ["'self'"]
        assert directives["style-src"] == ["'self'"]
        assert "'unsafe-inline'" not in response["Content-Security-Policy"]
        assert "'unsafe-eval'" not in response["Content-Security-Policy"]
        assert directives["default-src"] == ["'self'"]
        assert directives["object-src"] == ["'none'"]
        assert directives["frame-ancestors"] == ["'none'"]


def test_signed_in_pages_send_the_policy(client, world):
    client.force_login(world.users["city"])
    response = client.get(reverse("core:workbench"))
    assert response.status_code == 200
    assert "script-src 'self';" in response["Content-Security-Policy"]
    assert "'unsafe-inline'" not in response["Content-Security-Policy"]


def test_no_template_has_inline_script_or_event_handlers():
    assert TEMPLATES
    offenders = []
    for path in TEMPLATES:
        text = path.read_text(encoding="utf-8")
        for pattern in (INLINE_SCRIPT, HANDLER):
            offenders += [f"{path.name}: {m.group(0).strip()}" for m in pattern.finditer(text)]
    assert offenders == []


def test_htmx_may_not_evaluate_code():
    base = (Path(jiandu.__file__).parent / "templates" / "base.html").read_text()
    assert '"allowEval": false' in base
