"""The documentation: the generated CLI reference is current and complete, the README stays a short
document for users, and no document uses internal work labels."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import click
from cogapp import Cog

from newsfuse.cli import main

ROOT = Path(__file__).resolve().parents[1]
CLI_REFERENCE = ROOT / "docs" / "cli.md"
README = ROOT / "README.md"
README_MAX_BYTES = 12_288
WORK_LABEL = re.compile(r"\bsessions? [0-9]", re.IGNORECASE)


def _commands(group: click.Group, path: tuple[str, ...] = ()) -> Iterator[tuple[tuple[str, ...], click.Command]]:
    for name, command in group.commands.items():
        yield (*path, name), command
        if isinstance(command, click.Group):
            yield from _commands(command, (*path, name))


def test_docs_cli_reference_current() -> None:
    status = Cog().main(["cog", "--check", "--check-fail-msg", "run `just docs`", str(CLI_REFERENCE)])
    assert status == 0, "docs/cli.md is out of date: run `just docs` (.venv/bin/cog -r docs/cli.md)"


def test_docs_every_command_documented() -> None:
    reference = CLI_REFERENCE.read_text(encoding="utf-8")
    assert isinstance(main, click.Group)
    found = list(_commands(main))
    assert {"eval", "eval grouping", "eval tls", "eval timex", "eval quantities", "eval facts"} <= {
        " ".join(path) for path, _ in found
    }
    for path, command in found:
        name = " ".join(("newsfuse", *path))
        assert command.help, f"{name} has no help"
        assert f"## {name}\n" in reference, f"{name} has no section in docs/cli.md"
        assert f"Usage: {name} " in reference, f"{name} --help is missing from docs/cli.md"


def test_readme_size_and_labels() -> None:
    assert README.stat().st_size <= README_MAX_BYTES, "README.md is for users: move details to docs/"
    text = README.read_text(encoding="utf-8")
    assert "\n## Quick start\n" in text
    assert isinstance(main, click.Group)
    for name in main.commands:
        assert f"newsfuse {name}" in text, f"{name} is missing from README.md"


def test_docs_no_work_session_labels() -> None:
    documents = [README, ROOT / "CHANGELOG.md", *sorted((ROOT / "docs").glob("*.md"))]
    for document in documents:
        for number, line in enumerate(document.read_text(encoding="utf-8").splitlines(), 1):
            assert not WORK_LABEL.search(line), f"{document.relative_to(ROOT)}:{number}: {line.strip()}"
