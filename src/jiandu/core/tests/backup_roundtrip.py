"""What must survive a backup and restore: every table's row count, the audit chain (its
verification, length and last hash) and the protected fields, decrypted.

``python -m jiandu.core.tests.backup_roundtrip`` prints the fingerprint of the database
named by DATABASE_URL as JSON (test_backup_restore compares it with the original's).
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from django.apps import apps


def fingerprint() -> dict[str, Any]:
    from jiandu.core.audit import audit_verify
    from jiandu.core.crypto import EncryptedTextField

    counts = {
        model._meta.db_table: model._base_manager.count()
        for model in apps.get_models(include_auto_created=True)
        if model._meta.managed
    }
    protected = hashlib.sha256()
    protected_values = 0
    for model in apps.get_models():
        fields = [f.name for f in model._meta.concrete_fields if isinstance(f, EncryptedTextField)]
        if not fields:
            continue
        for row in model._base_manager.order_by("pk").values_list("pk", *fields):
            protected.update(json.dumps([model._meta.label, *row], ensure_ascii=False).encode())
            protected_values += sum(1 for value in row[1:] if value)
    report = audit_verify(seal=False)
    return {
        "counts": counts,
        "audit": {
            "ok": report.ok,
            "rows_checked": report.rows_checked,
            "last_sequence": report.last_sequence,
            "last_hash": report.last_hash,
            "unsealed_rows": report.unsealed_rows,
        },
        "protected_sha256": protected.hexdigest(),
        "protected_values": protected_values,
    }


if __name__ == "__main__":
    import os

    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jiandu.settings")
    django.setup()
    print(json.dumps(fingerprint(), ensure_ascii=False))
