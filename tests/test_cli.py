from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import MovedIds
from newsfuse.cli import EXIT_SOME_REJECTED, main

GOOD = "Rescue teams reached the flooded valley on Monday after heavy rain cut the only road to the town."


def _mixed_folder(root: Path, samples_dir: Path) -> Path:
    folder = root / "inbox"
    folder.mkdir()
    for sample in samples_dir.glob("*.txt"):
        (folder / sample.name).write_bytes(sample.read_bytes())
    (folder / "empty.txt").write_bytes(b"")
    (folder / "photo.jpg").write_bytes(b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01")
    (folder / "nodate.txt").write_text(GOOD)
    lines = [json.dumps({"text": GOOD, "date": "2023-10-30", "source": "Valley Post"}), "{broken", ""]
    (folder / "wire.jsonl").write_text("\n".join(lines))
    return folder


def test_cli_ingest_mixed_folder_reports_each_bad_item(tmp_path: Path, samples_dir: Path) -> None:
    folder = _mixed_folder(tmp_path, samples_dir)
    db = tmp_path / "n.db"
    result = CliRunner().invoke(main, ["ingest", str(folder), "--db", str(db), "--workers", "1"])
    assert result.exit_code == EXIT_SOME_REJECTED, result.output
    assert "3 new article(s) of 3 read, 4 rejected" in result.output
    for name, reason in (("empty.txt", "empty file"), ("photo.jpg", "binary file"), ("nodate.txt", "no date"),
                         ("wire.jsonl:2", "malformed JSON")):  # fmt: skip
        assert f"{name}: {reason}" in result.output
    again = CliRunner().invoke(main, ["ingest", str(folder), "--db", str(db)])
    assert "0 new article(s) of 3 read" in again.output
    events = CliRunner().invoke(main, ["events", "--db", str(db), "--json"])
    assert events.exit_code == 0
    assert sorted(len(e["article_ids"]) for e in json.loads(events.output)) == [1, 2]


def test_cli_brief_search_and_errors(sample_db: Path) -> None:
    runner = CliRunner()
    listing = json.loads(runner.invoke(main, ["events", "--db", str(sample_db), "--json"]).output)
    event_id = listing[0]["event_id"]
    brief = runner.invoke(main, ["brief", event_id[:6], "--db", str(sample_db)])
    assert brief.exit_code == 0 and "21 vs 24" in brief.output
    data = json.loads(runner.invoke(main, ["brief", event_id, "--db", str(sample_db), "--json"]).output)
    assert data["event"]["event_id"] == event_id and data["claims"]
    hits = runner.invoke(main, ["search", "Boukamal", "--db", str(sample_db)])
    assert hits.exit_code == 0 and event_id in hits.output
    missing = runner.invoke(main, ["brief", "ffffffff", "--db", str(sample_db)])
    assert missing.exit_code == 1 and "no event" in missing.output
    usage = runner.invoke(main, ["brief"])
    assert usage.exit_code == 2


def test_cli_old_ids_say_they_moved(moved_ids: MovedIds) -> None:
    (old_event, old_story), (event, story) = moved_ids.old, moved_ids.new
    db = str(moved_ids.db)
    shown = CliRunner().invoke(main, ["brief", old_event, "--db", db, "--json"])
    assert shown.exit_code == 0 and json.loads(shown.stdout)["event"]["event_id"] == event
    assert f"note: event {old_event} has moved to {event}" in shown.stderr
    shown = CliRunner().invoke(main, ["story", old_story, "--db", db])
    assert shown.exit_code == 0 and f"note: story {old_story} has moved to {story}" in shown.stderr
    assert "moved" not in CliRunner().invoke(main, ["brief", event[:6], "--db", db]).stderr
    shown = CliRunner().invoke(main, ["timeline", "--story", old_story, "--db", db])
    assert shown.exit_code == 0 and f"note: story {old_story} has moved to {story}" in shown.stderr


def test_cli_demo_prints_brief(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["demo", "--db", str(tmp_path / "demo.db")])
    assert result.exit_code == 0, result.output
    assert "soldiers injured | 21 vs 24 | conflicting" in result.output
    assert (tmp_path / "demo.db").exists()
    again = CliRunner().invoke(main, ["demo", "--db", str(tmp_path / "demo.db")])
    assert again.exit_code == 1 and "fresh database" in again.output


def test_cli_regroup_and_stories(tmp_path: Path, samples_dir: Path) -> None:
    db = str(tmp_path / "s.db")
    runner = CliRunner()
    assert runner.invoke(main, ["ingest", str(samples_dir), "--db", db]).exit_code == 0
    regrouped = runner.invoke(main, ["regroup", "--db", db])
    assert regrouped.exit_code == 0 and "1 event(s) in 1 story(ies)" in regrouped.output
    serial = runner.invoke(main, ["regroup", "--db", db, "--workers", "1"])
    assert serial.exit_code == 0 and "1 event(s) in 1 story(ies)" in serial.output
    listing = json.loads(runner.invoke(main, ["stories", "--db", db, "--json"]).output)
    shown = runner.invoke(main, ["story", listing[0]["story_id"][:8], "--db", db])
    assert shown.exit_code == 0 and "Albu Kamal" in shown.output
    assert runner.invoke(main, ["story", "abcdef", "--db", db]).exit_code == 1


def test_cli_hostile_text_is_escaped(tmp_path: Path) -> None:
    hostile = '<script>alert("x")</script> <img src=x onerror=alert(1)> | pipe'
    lines = [
        json.dumps(
            {
                "text": f"{hostile} Rescue teams reached the valley on Monday after heavy rain.",
                "title": hostile,
                "date": "2023-10-30",
                "source": "<b>Evil</b>",
            }
        ),  # fmt: skip
    ]
    (tmp_path / "bad.jsonl").write_text("\n".join(lines))
    db = str(tmp_path / "h.db")
    runner = CliRunner()
    assert runner.invoke(main, ["ingest", str(tmp_path / "bad.jsonl"), "--db", db]).exit_code == 0
    event_id = json.loads(runner.invoke(main, ["events", "--db", db, "--json"]).output)[0]["event_id"]
    for command in (["brief", event_id], ["events"], ["search", "rescue"], ["timeline", "--event", event_id]):
        output = runner.invoke(main, [*command, "--db", db]).output
        assert "<script>" not in output and "<img" not in output and "<b>" not in output, command
    assert "&lt;script&gt;" in runner.invoke(main, ["brief", event_id, "--db", db]).output


def test_cli_watch_ingests_new_files_only(tmp_path: Path, samples_dir: Path) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    first, second = sorted(samples_dir.glob("*.txt"))
    (inbox / first.name).write_bytes(first.read_bytes())
    db = str(tmp_path / "w.db")
    runner = CliRunner()
    result = runner.invoke(main, ["watch", str(inbox), "--db", db, "--polls", "2", "--interval", "0.05"])
    assert result.exit_code == 0 and result.output.count("new article(s)") == 1
    (inbox / second.name).write_bytes(second.read_bytes())
    again = runner.invoke(main, ["watch", str(inbox), "--db", db, "--polls", "1", "--interval", "0.05"])
    assert "1 new article(s) of 2 read" in again.output
    events = json.loads(runner.invoke(main, ["events", "--db", db, "--json"]).output)
    assert [len(e["article_ids"]) for e in events] == [2]


def test_cli_export_writes_parquet_tables_and_parquet_needs_dask(sample_db: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    result = runner.invoke(main, ["export", str(tmp_path / "out"), "--db", str(sample_db)])
    assert result.exit_code == 0, result.output
    assert "articles 2" in result.output and (tmp_path / "out" / "claims.parquet").exists()
    refused = runner.invoke(main, ["ingest", str(tmp_path), "--db", str(tmp_path / "x.db"), "--parquet", "p"])
    assert refused.exit_code == 2 and "--parquet needs --dask" in refused.output


def test_cli_eval_quantities_prints_the_check_set_row() -> None:
    data = Path(__file__).resolve().parents[2] / "shared" / "data"
    result = CliRunner().invoke(main, ["eval", "quantities", "--data", str(data), "--errors"])
    if not (data / "meantime_en").exists():
        assert result.exit_code != 0
        return
    assert result.exit_code == 0, result.output
    row = next(line for line in result.output.splitlines() if line.startswith("| check set"))
    assert "/ 109 |" in row
    assert "missed" in result.output or "extra" in result.output


@pytest.mark.parametrize("command", [["events"], ["search", "x"], ["brief", "ab"], ["stories"], ["story", "ab"],
                                     ["timeline", "--query", "x"], ["export", "out"]])  # fmt: skip
def test_cli_read_commands_refuse_a_missing_database(tmp_path: Path, command: list[str]) -> None:
    db = tmp_path / "typo.db"
    result = CliRunner().invoke(main, [*command, "--db", str(db)])
    assert result.exit_code == 1 and f"no database at {db}" in result.output
    assert not db.exists()


def test_cli_export_to_an_unwritable_place_is_a_clean_error(sample_db: Path) -> None:
    result = CliRunner().invoke(main, ["export", "/proc/newsfuse-export", "--db", str(sample_db)])
    assert result.exit_code == 1 and "cannot write /proc/newsfuse-export" in result.output
    assert "Traceback" not in result.output


def test_cli_version_is_the_package_version() -> None:
    from importlib.metadata import version

    from newsfuse import __version__

    result = CliRunner().invoke(main, ["--version"])
    assert result.exit_code == 0 and result.output.strip() == f"newsfuse, version {__version__}"
    assert __version__ == version("newsfuse")


def test_cli_watch_never_reads_its_own_database(tmp_path: Path, samples_dir: Path) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    first = sorted(samples_dir.glob("*.txt"))[0]
    (inbox / first.name).write_bytes(first.read_bytes())
    db = str(inbox / "inside.db")  # the store sits in the watched folder
    result = CliRunner().invoke(main, ["watch", str(inbox), "--db", db, "--polls", "3", "--interval", "0.05"])
    assert result.exit_code == 0, result.output
    assert f"rejected {inbox}" not in result.output
    assert result.output.count("new article(s)") == 1  # the database changing is no new input
