"""Production settings pass Django's deployment checks."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def test_check_deploy_passes_with_production_settings(tmp_path):
    env = {
        **os.environ,
        "JIANDU_ENV": "production",
        "JIANDU_SECRET_KEY": "x" * 20 + "production-secret-key-for-the-deploy-check-0123456789",
        "JIANDU_FIELD_KEY": "field-key-for-the-deploy-check-0123456789",
        "JIANDU_AUDIT_KEY": "2026:audit-key-for-the-deploy-check-0123456789",
        "JIANDU_ALLOWED_HOSTS": "jiandu.example.gov.cn",
        "JIANDU_VAR_DIR": str(tmp_path),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'deploy.sqlite3'}",
    }
    result = subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), "check", "--deploy", "--fail-level", "WARNING"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_production_refuses_to_start_without_a_secret(tmp_path):
    env = {
        k: v for k, v in os.environ.items() if k not in {"JIANDU_SECRET_KEY", "JIANDU_FIELD_KEY"}
    }
    env.update({"JIANDU_ENV": "production", "JIANDU_VAR_DIR": str(tmp_path)})
    result = subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), "check"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0
    assert "JIANDU_SECRET_KEY" in result.stderr


def _production(tmp_path, **overrides):
    env = {
        k: v for k, v in os.environ.items() if not k.startswith("JIANDU_") and k != "DATABASE_URL"
    }
    env.update(
        {
            "JIANDU_ENV": "production",
            "JIANDU_SECRET_KEY": "production-secret-key-for-the-start-up-check-0123456789",
            "JIANDU_FIELD_KEY": "field-key-for-the-start-up-check-0123456789",
            "JIANDU_AUDIT_KEY": "2026:audit-key-for-the-start-up-check-0123456789",
            "JIANDU_ALLOWED_HOSTS": "jiandu.example.gov.cn",
            "JIANDU_VAR_DIR": str(tmp_path),
            "DATABASE_URL": f"sqlite:///{tmp_path / 'deploy.sqlite3'}",
        }
    )
    env.update(overrides)
    env = {k: v for k, v in env.items() if v is not None}
    return subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), "check"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


def test_start_up_passes_with_strong_distinct_keys(tmp_path):
    result = _production(tmp_path)
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"JIANDU_FIELD_KEY": "short-field-key"}, "JIANDU_FIELD_KEY 太短"),
        (
            {"JIANDU_FIELD_KEY": "production-secret-key-for-the-start-up-check-0123456789"},
            "JIANDU_FIELD_KEY 不能与 JIANDU_SECRET_KEY 相同",
        ),
        ({"JIANDU_AUDIT_KEY": None}, "JIANDU_AUDIT_KEY"),
        ({"JIANDU_AUDIT_KEY": "2026:short"}, "太短"),
        ({"JIANDU_AUDIT_KEY": "no-id-given-audit-key-0123456789abcdef"}, "编号:密钥"),
        (
            {"JIANDU_AUDIT_KEY": "2026:field-key-for-the-start-up-check-0123456789"},
            "不能与 JIANDU_SECRET_KEY 或 JIANDU_FIELD_KEY 相同",
        ),
        ({"DATABASE_URL": ""}, "DATABASE_URL is set but empty"),
    ],
)
def test_start_up_refuses_weak_shared_or_missing_settings(tmp_path, overrides, message):
    result = _production(tmp_path, **overrides)
    assert result.returncode != 0
    assert message in result.stderr
    assert "KeyError" not in result.stderr


def test_audit_keys_from_a_key_file(tmp_path):
    key_file = tmp_path / "audit.keys"
    key_file.write_text(
        "# rotated 2026-12\n2026:first-audit-key-of-the-key-file-0123456789\n"
        "2027:second-audit-key-of-the-key-file-0123456789\n"
    )
    result = _production(tmp_path, JIANDU_AUDIT_KEY=None, JIANDU_AUDIT_KEY_FILE=str(key_file))
    assert result.returncode == 0, result.stderr
    key_file.write_text("2026:short\n")
    result = _production(tmp_path, JIANDU_AUDIT_KEY=None, JIANDU_AUDIT_KEY_FILE=str(key_file))
    assert "太短" in result.stderr
