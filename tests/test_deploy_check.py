"""Production settings pass Django's deployment checks."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_check_deploy_passes_with_production_settings(tmp_path):
    env = {
        **os.environ,
        "JIANDU_ENV": "production",
        "JIANDU_SECRET_KEY": "x" * 20 + "production-secret-key-for-the-deploy-check-0123456789",
        "JIANDU_FIELD_KEY": "field-key-for-the-deploy-check",
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
