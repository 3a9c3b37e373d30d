"""Submit every POST form a demo account reaches with bad input, and report what breaks.

Each account (default: the accounts ``jiandu demo`` prints) crawls its pages from ``/``
(a few pages per URL pattern), collects the POST forms on them and submits each one:
every field empty, 10,000-character texts, 2026-02-30 as a date, negative and huge
numbers, an id that does not exist in the choice lists and hidden fields, a file of the
wrong type, and (``--double``) the same form twice. Every submission runs in a
transaction rolled back afterwards: the demo database stays as it was.

Reported, one JSON line each: an exception or 5xx; a refused submission that still wrote
rows, or that shows no error; an error or message not in Chinese; bad input accepted
(for a look: some is legitimate); a text longer than its column (kept by SQLite, a 500 on
PostgreSQL); a second identical submission that writes the same rows again.

Run against a demo database of your own::

    JIANDU_VAR_DIR=var PYTHONPATH=src python scripts/probe_forms.py [--double] [account ...]
"""

from __future__ import annotations

import argparse
import json
import os
import re
import traceback
from collections import defaultdict
from typing import Any
from urllib.parse import urljoin, urlsplit

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jiandu.settings")
os.environ.setdefault("JIANDU_DEBUG", "0")
os.environ.setdefault("JIANDU_PERSON_LOOKUP_LIMIT", "0")

import django

django.setup()

import lxml.html  # noqa: E402
from django.conf import settings  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.core.files.uploadedfile import SimpleUploadedFile  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.db import models as dj_models  # noqa: E402
from django.db.models.signals import pre_save  # noqa: E402
from django.test import Client  # noqa: E402
from django.urls import Resolver404, resolve  # noqa: E402

from jiandu.demo.accounts import account_specs  # noqa: E402

VARIANTS = ("empty", "long", "baddate", "negnum", "hugenum", "badselect", "badhidden", "badfile")
SKIP_LINK = re.compile(r"/(logout|export|download|print)\b|\.(xlsx|docx|pdf|csv)$")
SKIP_ACTION = re.compile(r"/accounts/logout")
# Rows every request may add (audit trail, sessions, login records) are not "writes".
IGNORED_TABLES = re.compile(r"^(django_session|axes_|core_auditlog|django_admin_log)")
ENGLISH = re.compile(
    r"This field|Enter a valid|Select a valid|Ensure this|is required|not a valid|"
    r"Invalid|invalid|must be|cannot|No file|The submitted|Enter a whole"
)
CJK = re.compile(r"[\u4e00-\u9fff]")
TEXT_KINDS = {"text", "textarea", "search", "email", "tel", "url"}
DATE_NAME = re.compile(r"date|_on$|_at$")
LONG = "测" * 10_000
BAD_ID = "999999999"
ERROR_XPATH = (
    '//*[contains(@class,"errorlist") or contains(@class,"form-error")'
    ' or contains(@class,"field-error") or contains(@class,"alert-error")'
    ' or contains(@class,"alert-warning")]'
)
ALERT_XPATH = (
    '//*[@id="messages"]/*[contains(@class,"alert-error") or contains(@class,"alert-warning")]'
)

too_long: list[str] = []


def _too_long(sender: Any, instance: Any, **kwargs: Any) -> None:
    for field in sender._meta.concrete_fields:
        if isinstance(field, dj_models.CharField) and field.max_length and not field.choices:
            value = getattr(instance, field.attname, None)
            if isinstance(value, str) and len(value) > field.max_length:
                label = f"{sender._meta.label}.{field.name}"
                too_long.append(f"{label} ({len(value)} > {field.max_length})")


def report(**fields: Any) -> None:
    print(json.dumps(fields, ensure_ascii=False, default=str), flush=True)


def route(url: str) -> str | None:
    try:
        return resolve(urlsplit(url).path).route
    except Resolver404:
        return None


class Counter:
    """Row counts of the application's tables."""

    def __init__(self) -> None:
        names = connection.introspection.table_names()
        self.tables = [t for t in names if not IGNORED_TABLES.match(t)]

    def __call__(self) -> dict[str, int]:
        with connection.cursor() as cursor:
            counts = {}
            for table in self.tables:
                cursor.execute(f'SELECT COUNT(*) FROM "{table}"')
                counts[table] = cursor.fetchone()[0]
            return counts


def changed(before: dict[str, int], after: dict[str, int]) -> dict[str, int]:
    return {t: after[t] - before[t] for t in before if after[t] != before[t]}


def texts(html: str, xpath: str) -> list[str]:
    doc = lxml.html.fromstring(html)
    found = (" ".join(el.text_content().split()).rstrip("×").strip() for el in doc.xpath(xpath))
    return [t[:300] for t in found if t]


# --- pages and forms ---------------------------------------------------------------------


def crawl(client: Client, account: str, max_pages: int, per_route: int) -> list[tuple[str, str]]:
    seen: set[str] = set()
    visits: dict[str, int] = defaultdict(int)
    queue, pages = ["/"], []
    while queue and len(pages) < max_pages:
        url = queue.pop(0)
        if url in seen:
            continue
        seen.add(url)
        pattern = route(url)
        if pattern is None or visits[pattern] >= per_route or SKIP_LINK.search(url):
            continue
        visits[pattern] += 1
        try:
            response = client.get(url)
        except Exception as exc:  # raise_request_exception
            report(account=account, kind="GET-exception", url=url, error=str(exc)[:300])
            continue
        if response.status_code >= 500:
            report(account=account, kind="GET-5xx", url=url, status=response.status_code)
        if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
            continue
        html = response.content.decode("utf-8", "replace")
        pages.append((url, html))
        for anchor in lxml.html.fromstring(html).iter("a"):
            href = anchor.get("href") or ""
            if href and not href.startswith(("#", "mailto:", "javascript:", "http")):
                queue.append(urljoin(url, href).split("#")[0])
    return pages


def parse_forms(html: str, page: str) -> list[dict[str, Any]]:
    forms = []
    for form in lxml.html.fromstring(html).iter("form"):
        if (form.get("method") or "get").lower() != "post" and not form.get("hx-post"):
            continue
        action = urljoin(page, form.get("hx-post") or form.get("action") or page)
        fields = []
        for el in form.iter("input", "select", "textarea", "button"):
            if not el.get("name"):
                continue
            kind = "button" if el.tag == "button" else (el.get("type") or el.tag).lower()
            value, options = el.get("value") or "", []
            if el.tag == "select":
                options = [o.get("value", o.text_content()) for o in el.iter("option")]
                chosen = [o.get("value", o.text_content()) for o in el.iter("option")
                          if o.get("selected") is not None]  # fmt: skip
                value = chosen[0] if chosen else next((o for o in options if o), "")
            elif el.tag == "textarea":
                value = el.text or ""
            checked = el.get("checked") is not None
            fields.append({"name": el.get("name"), "kind": kind, "value": value,
                           "checked": checked, "options": options})  # fmt: skip
        forms.append({"action": action, "page": page, "fields": fields})
    return forms


# --- bad input ---------------------------------------------------------------------------


def plausible(field: dict[str, Any]) -> Any:
    """What a user would leave or type in the field."""
    kind, value, name = field["kind"], field["value"], field["name"]
    if kind in ("checkbox", "radio"):
        return (value or "on") if field["checked"] else None
    if kind == "file":
        return None
    if value:
        return value
    if kind == "date" or DATE_NAME.search(name):
        return "2026-03-01"
    if kind == "month" or "month" in name:
        return "2026-03"
    if kind == "number":
        return "1"
    if kind == "select":
        return next((o for o in field["options"] if o), "")
    return "测试内容"


def spoil(field: dict[str, Any], variant: str, value: Any) -> Any:
    kind, name = field["kind"], field["name"]
    if variant == "long" and kind in TEXT_KINDS:
        return LONG
    if variant == "baddate" and (kind == "date" or DATE_NAME.search(name)):
        return "2026-02-30"
    if variant == "negnum" and kind == "number":
        return "-5"
    if variant == "hugenum" and kind == "number":
        return "99999999999999999999999"
    if variant == "badselect" and kind in ("select", "radio"):
        return BAD_ID
    if variant == "badhidden" and kind == "hidden":
        return BAD_ID
    if variant == "badfile" and kind == "file":
        return SimpleUploadedFile("坏文件.xlsx", b"not a spreadsheet\x00\xff", "text/plain")
    return value


def form_data(form: dict[str, Any], variant: str) -> dict[str, Any]:
    data: dict[str, list[Any]] = defaultdict(list)
    radios: set[str] = set()
    for field in form["fields"]:
        name, kind = field["name"], field["kind"]
        if name == "csrfmiddlewaretoken" or kind in ("button", "submit"):
            continue
        if variant == "empty":
            if kind not in ("checkbox", "radio", "file"):
                data[name].append(field["value"] if kind == "hidden" else "")
            continue
        value = plausible(field)
        if kind == "radio":
            if name in radios or value is None:
                continue
            radios.add(name)
        value = spoil(field, variant, value)
        if value is not None:
            data[name].append(value)
    buttons = [f for f in form["fields"] if f["kind"] in ("button", "submit")]
    if buttons:
        data[buttons[0]["name"]].append(buttons[0]["value"])
    return {k: v if len(v) > 1 else v[0] for k, v in data.items()}


def applies(form: dict[str, Any], variant: str) -> bool:
    kinds = {f["kind"] for f in form["fields"]}
    names = [f["name"] for f in form["fields"]]
    return {
        "long": bool(kinds & TEXT_KINDS),
        "baddate": "date" in kinds or any(DATE_NAME.search(n) for n in names),
        "negnum": "number" in kinds,
        "hugenum": "number" in kinds,
        "badselect": bool(kinds & {"select", "radio"}),
        "badhidden": any(
            f["kind"] == "hidden" and f["name"] != "csrfmiddlewaretoken" for f in form["fields"]
        ),
        "badfile": "file" in kinds,
    }.get(variant, True)


# --- submitting --------------------------------------------------------------------------


def post(client: Client, form: dict[str, Any], data: dict[str, Any]) -> tuple[Any, str]:
    try:
        return client.post(form["action"], data), ""
    except Exception as exc:  # raise_request_exception
        where = " | ".join(traceback.format_exc().strip().splitlines()[-6:-1])
        return None, f"{type(exc).__name__}: {exc}"[:400] + " @ " + where[:900]


class Rollback(Exception):
    pass


def probe(client: Client, account: str, form: dict[str, Any], variant: str, count: Counter):
    where = {"account": account, "variant": variant, "action": form["action"],
             "page": form["page"]}  # fmt: skip
    data = form_data(form, "plausible" if variant == "double" else variant)
    flashed: list[str] = []
    try:
        with transaction.atomic():
            before = count()
            response, error = post(client, form, data)
            after = count()
            if response is not None and response.status_code in (301, 302, 303):
                landing = client.get(response["Location"])
                if "html" in landing.get("Content-Type", ""):
                    flashed = texts(landing.content.decode("utf-8", "replace"), ALERT_XPATH)
            if variant == "double" and response is not None and response.status_code < 400:
                again, error = post(client, form, data)
                first, second = changed(before, after), changed(after, count())
                if first and first == second:
                    report(kind="double-write", first=first, second=second, **where)
                response = again
            raise Rollback
    except Rollback:
        pass
    if too_long:
        report(kind="too-long-for-column", fields=sorted(set(too_long)), **where)
        too_long.clear()
    if error or response is None:
        report(kind="exception", error=error, **where)
        return
    status, wrote = response.status_code, changed(before, after)
    if status >= 500:
        report(kind="5xx", status=status, **where)
        return
    english = [m for m in flashed if ENGLISH.search(m) or not CJK.search(m)]
    if english:
        report(kind="english-message", messages=english[:3], **where)
    if variant == "double" or (status in (301, 302, 303) and not wrote and flashed):
        return
    if status in (301, 302, 303) or response.get("HX-Redirect"):
        report(kind="accepted", status=status, wrote=wrote, **where)
        return
    ctype = response.get("Content-Type", "")
    body = response.content.decode("utf-8", "replace")
    errors = texts(body, ERROR_XPATH) if "html" in ctype and body.strip() else []
    if wrote:
        report(kind="partial-write", status=status, wrote=wrote, errors=errors[:3], **where)
    english = [e for e in errors if ENGLISH.search(e)]
    if english:
        report(kind="english-error", status=status, errors=english[:3], **where)
    if not errors and "html" in ctype:
        report(kind="no-error-shown", status=status, **where)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    listed = [s.username for s in account_specs(counties=[], rooms=[], groups=[]) if s.listed]
    parser.add_argument("accounts", nargs="*", default=listed)
    parser.add_argument("--variants", default=",".join(VARIANTS))
    parser.add_argument("--double", action="store_true", help="also submit each form twice")
    parser.add_argument("--max-pages", type=int, default=250)
    parser.add_argument("--pages-per-route", type=int, default=3)
    args = parser.parse_args()
    variants = [v for v in args.variants.split(",") if v] + (["double"] if args.double else [])
    settings.ALLOWED_HOSTS = ["*"]
    pre_save.connect(_too_long, weak=False)
    count = Counter()
    users = get_user_model().objects
    for account in args.accounts:
        client = Client(raise_request_exception=True)
        client.force_login(users.get(username=account))
        forms, kinds = [], set()
        for url, html in crawl(client, account, args.max_pages, args.pages_per_route):
            for form in parse_forms(html, url):
                key = (route(form["action"]), tuple(sorted({f["name"] for f in form["fields"]})))
                if key not in kinds and not SKIP_ACTION.search(form["action"]):
                    kinds.add(key)
                    forms.append(form)
        report(account=account, kind="summary", forms=len(forms))
        for form in forms:
            for variant in variants:
                if applies(form, variant):
                    probe(client, account, form, variant, count)


if __name__ == "__main__":
    main()
