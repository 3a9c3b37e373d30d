"""The layers of the code hold (docs/adr/0014-layers.md): core imports no app, no
app's api.py imports another's, and the apps import only down the layers, never in a
circle. The contracts are in pyproject.toml ([tool.importlinter])."""

from pathlib import Path

from importlinter import cli as importlinter_cli

ROOT = Path(__file__).resolve().parent.parent


def test_import_contracts_are_kept(capsys):
    code = importlinter_cli.lint_imports(
        config_filename=str(ROOT / "pyproject.toml"), no_cache=True, no_logo=True
    )
    assert code == 0, capsys.readouterr().out
