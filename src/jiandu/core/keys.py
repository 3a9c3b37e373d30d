"""Reading and checking the deployment's secrets (used by settings, so no Django here).

The audit chain's HMAC keys come from ``JIANDU_AUDIT_KEY`` (``id:secret``, several
separated by commas) or from the file named by ``JIANDU_AUDIT_KEY_FILE`` (one
``id:secret`` a line, ``#`` comments allowed). The last key keys new rows; the earlier
ones stay to verify rows sealed before a rotation (docs/operations.md).
"""

from __future__ import annotations

import re
from pathlib import Path

MIN_KEY_LENGTH = 32
_KEY_ID = re.compile(r"^[A-Za-z0-9_.-]{1,32}$")


class KeyConfigError(RuntimeError):
    """A secret is missing, malformed, too short or shared with another purpose."""


def parse_audit_keys(text: str, *, source: str) -> dict[str, str]:
    keys: dict[str, str] = {}
    entries = [e.strip() for line in text.splitlines() for e in line.split(",")]
    for number, entry in enumerate(entries, start=1):
        if not entry or entry.startswith("#"):
            continue
        key_id, sep, secret = entry.partition(":")
        key_id, secret = key_id.strip(), secret.strip()
        if not sep or not _KEY_ID.match(key_id) or not secret:
            raise KeyConfigError(
                f"{source} 第{number}项格式应为“编号:密钥”（编号为字母、数字、._-，至多32位）"
            )
        if key_id in keys:
            raise KeyConfigError(f"{source} 中审计密钥编号“{key_id}”重复")
        keys[key_id] = secret
    return keys


def load_audit_keys(env: dict[str, str], *, default: dict[str, str]) -> dict[str, str]:
    """The audit keys from the environment or key file; ``default`` when neither is set."""
    path = env.get("JIANDU_AUDIT_KEY_FILE", "").strip()
    if path:
        try:
            text = Path(path).read_text(encoding="utf-8")
        except OSError as exc:
            raise KeyConfigError(
                f"无法读取审计密钥文件 JIANDU_AUDIT_KEY_FILE={path}：{exc}"
            ) from exc
        keys = parse_audit_keys(text, source="JIANDU_AUDIT_KEY_FILE")
    elif env.get("JIANDU_AUDIT_KEY", "").strip():
        keys = parse_audit_keys(env["JIANDU_AUDIT_KEY"], source="JIANDU_AUDIT_KEY")
    else:
        return dict(default)
    if not keys:
        raise KeyConfigError("审计密钥为空：JIANDU_AUDIT_KEY 或 JIANDU_AUDIT_KEY_FILE 中没有密钥")
    return keys


def check_production_keys(*, secret_key: str, field_key: str, audit_keys: dict[str, str]) -> None:
    """Refuse weak or shared secrets in production, naming the variable at fault."""
    if len(field_key) < MIN_KEY_LENGTH:
        raise KeyConfigError(
            f"JIANDU_FIELD_KEY 太短（{len(field_key)}个字符）：正式环境至少{MIN_KEY_LENGTH}个字符"
        )
    if field_key == secret_key:
        raise KeyConfigError("JIANDU_FIELD_KEY 不能与 JIANDU_SECRET_KEY 相同")
    if not audit_keys:
        raise KeyConfigError(
            "正式环境必须设置审计密钥 JIANDU_AUDIT_KEY 或 JIANDU_AUDIT_KEY_FILE（见运维指南）"
        )
    for key_id, secret in audit_keys.items():
        if len(secret) < MIN_KEY_LENGTH:
            raise KeyConfigError(
                f"审计密钥“{key_id}”太短（{len(secret)}个字符）：至少{MIN_KEY_LENGTH}个字符"
            )
        if secret in (secret_key, field_key):
            raise KeyConfigError(
                f"审计密钥“{key_id}”不能与 JIANDU_SECRET_KEY 或 JIANDU_FIELD_KEY 相同"
            )
