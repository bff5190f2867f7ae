"""The README tells the truth: every setting, every command and make target it names."""

from __future__ import annotations

import re
from pathlib import Path

import typer

from service.cli import app
from service.settings import Settings

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_every_setting_is_documented_in_the_readme() -> None:
    missing = [f"REPORTQA_{name.upper()}" for name in Settings.model_fields
               if f"REPORTQA_{name.upper()}" not in README]
    assert not missing, f"settings missing from README: {missing}"


def test_every_documented_setting_exists() -> None:
    documented = set(re.findall(r"REPORTQA_[A-Z_]+", README))
    real = {f"REPORTQA_{name.upper()}" for name in Settings.model_fields}
    # These are options of single commands (eval, ingest/parse), not service settings.
    assert documented - real <= {"REPORTQA_EVAL_API_KEY", "REPORTQA_MAX_REPORT_BYTES"}


def test_every_reportqa_command_in_the_readme_exists() -> None:
    commands = {c.name or c.callback.__name__ for c in app.registered_commands}
    used = set(re.findall(r"^\s*(?:\$ )?reportqa ([a-z]+)", README, flags=re.MULTILINE))
    used |= set(re.findall(r"`reportqa ([a-z]+)", README))
    assert used, "the README shows no reportqa command"
    assert used <= commands, f"README names unknown commands: {used - commands}"
    assert isinstance(typer.main.get_command(app), object)


def test_every_make_target_in_the_readme_exists() -> None:
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    targets = set(re.findall(r"^([a-z][a-z-]*):", makefile, flags=re.MULTILINE))
    used = set(re.findall(r"`?make ([a-z][a-z-]*)", README))
    assert {"serve", "test", "setup"} <= used
    assert used <= targets, f"README names unknown make targets: {used - targets}"


def test_ci_runs_make_test() -> None:
    assert "make test" in (ROOT / ".ci" / "run").read_text(encoding="utf-8")
