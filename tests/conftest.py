"""Shared fixtures: a CLI runner bound to a fresh temporary database and config per test."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from pointwatch import i18n
from pointwatch.cli import main


class Pointwatch:
    """Runs `pointwatch` through click's CliRunner against this test's database and config."""

    def __init__(self, tmp_path: Path) -> None:
        self.db_path = tmp_path / "pointwatch.db"
        self.config_path = tmp_path / "config.toml"
        self.runner = CliRunner()

    def __call__(self, *args: str, input: str | None = None) -> Result:
        return self.runner.invoke(
            main,
            ["--db", str(self.db_path), "--config", str(self.config_path), *args],
            input=input,
            catch_exceptions=False,
            prog_name="pointwatch",
        )

    def ok(self, *args: str) -> str:
        """Run a command that must succeed; return its stdout."""
        result = self(*args)
        assert result.exit_code == 0, f"{args}: exit {result.exit_code}\n{result.output}"
        return result.stdout

    def json(self, *args: str):
        return json.loads(self.ok(*args, "--json"))

    def fails(self, *args: str, code: int = 2) -> str:
        """Run a command that must fail with `code`; return its stderr."""
        result = self(*args)
        assert result.exit_code == code, f"{args}: exit {result.exit_code}\n{result.output}"
        return result.stderr

    def write_config(self, text: str) -> None:
        self.config_path.write_text(text, encoding="utf-8")

    def dump(self) -> list[tuple]:
        """Every row of every table: to prove a failed command changed nothing."""
        import sqlite3

        if not self.db_path.exists():
            return []
        with sqlite3.connect(self.db_path) as connection:
            tables = [
                row[0]
                for row in connection.execute(
                    "SELECT name FROM sqlite_master WHERE type='table' ORDER BY name"
                )
            ]
            return [
                (table, row)
                for table in tables
                for row in connection.execute(f'SELECT * FROM "{table}" ORDER BY 1')
            ]


@pytest.fixture(autouse=True)
def english_locale(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests read English unless they ask for Japanese (`--lang ja` or LANG=ja_JP.UTF-8),
    whatever the machine's locale."""
    for variable in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "POINTWATCH_LANG"):
        monkeypatch.delenv(variable, raising=False)
    monkeypatch.setenv("LANG", "C.UTF-8")
    i18n.set_language("en")  # a Japanese command of an earlier test left its language behind


@pytest.fixture
def pw(tmp_path: Path) -> Pointwatch:
    return Pointwatch(tmp_path)


@pytest.fixture
def unchanged(pw: Pointwatch) -> Callable[..., str]:
    """Run a failing command and assert it exited 2 and left the database exactly as before."""

    def run(*args: str, code: int = 2) -> str:
        before = pw.dump()
        stderr = pw.fails(*args, code=code)
        assert pw.dump() == before, f"{args} changed the database"
        return stderr

    return run
