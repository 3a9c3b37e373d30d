"""Protected fields: encrypted at rest, and a keyed search index for exact look-ups.

Reporter identities and ID numbers are stored encrypted (Fernet: AES-128-CBC + HMAC).
To find a person by ID number without decrypting every row, a keyed HMAC of the
normalised number is stored beside it (a "blind index"): equal numbers give equal keys,
and the key reveals nothing without ``JIANDU_FIELD_KEY``.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import models

if TYPE_CHECKING:
    from cryptography.fernet import Fernet


def _derive(purpose: bytes) -> bytes:
    secret = settings.FIELD_ENCRYPTION_KEY.encode("utf-8")
    return hmac.new(secret, purpose, hashlib.sha256).digest()


@lru_cache(maxsize=4)
def _fernet(key_material: str) -> Fernet:
    # Imported on first use: most commands never encrypt or decrypt a field.
    from cryptography.fernet import Fernet

    return Fernet(base64.urlsafe_b64encode(_derive(b"jiandu-field-encryption")))


def encrypt(text: str) -> str:
    return _fernet(settings.FIELD_ENCRYPTION_KEY).encrypt(text.encode("utf-8")).decode("ascii")


def decrypt(token: str) -> str:
    from cryptography.fernet import InvalidToken

    try:
        return _fernet(settings.FIELD_ENCRYPTION_KEY).decrypt(token.encode("ascii")).decode("utf-8")
    except InvalidToken as exc:
        raise ValueError("受保护字段无法解密：密钥与数据不匹配") from exc


def search_key(value: str) -> str:
    """Blind index of a normalised value (e.g. an ID number)."""
    if not value:
        return ""
    return hmac.new(
        _derive(b"jiandu-search-key"), value.encode("utf-8"), hashlib.sha256
    ).hexdigest()


class EncryptedTextField(models.TextField):
    """A text field stored encrypted. ``protected = True`` keeps it out of audit
    snapshots and marks it for the identity permission checks."""

    protected = True

    def get_prep_value(self, value: Any) -> Any:
        value = super().get_prep_value(value)
        if value in (None, ""):
            return value
        return encrypt(str(value))

    def from_db_value(self, value: Any, expression: Any, connection: Any) -> Any:
        if value in (None, ""):
            return value
        return decrypt(value)

    def get_lookup(self, lookup_name: str):  # type: ignore[override]
        # Ciphertexts are randomised: only NULL checks make sense on them.
        if lookup_name not in {"isnull"}:
            return None
        return super().get_lookup(lookup_name)
