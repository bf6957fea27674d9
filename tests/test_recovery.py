"""Crash recovery: kill -9 a real ingest at points spread over reading, analysis, grouping and
reconcile; running the same command again must end in the state of a run never interrupted."""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

DATA = Path("/work/shared/data/t17")
HERE = Path(__file__).parent
SRC = HERE.parent / "src"
SPLIT, END = "2009-04-29", "2009-05-05"  # before SPLIT: the store's earlier run; up to END: the new one
CONFIG = "[ingest]\nbatch_size = 20\n"  # small batches, so that the kills fall between many of them
pytestmark = pytest.mark.skipif(not DATA.exists(), reason="shared/data not present")


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """Two JSONL files of H1N1 reports from two outlets (Timeline17): before and after ``SPLIT``."""
    folder = tmp_path_factory.mktemp("corpus")
    early, late = [], []
    for outlet in ("H1N1_bbc", "H1N1_reuters"):
        with gzip.open(DATA / outlet / "articles.jsonl.gz", "rt", encoding="utf-8") as lines:
            for line in lines:
                record = json.loads(line)
                if record["text"].strip() and record["date"] < END:
                    row = {"text": record["text"], "date": record["date"], "source": outlet.split("_")[1]}
                    (early if record["date"] < SPLIT else late).append(json.dumps(row))
    (folder / "early.jsonl").write_text("\n".join(early))
    (folder / "late.jsonl").write_text("\n".join(late))
    (folder / "newsfuse.toml").write_text(CONFIG)
    return folder / "early.jsonl", folder / "late.jsonl"


def _env() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": f"{SRC}{os.pathsep}{os.environ.get('PYTHONPATH', '')}"}


def ingest_command(db: Path, *paths: Path) -> None:
    """``newsfuse ingest PATHS --db DB --workers 1`` in a subprocess."""
    config = str(paths[0].with_name("newsfuse.toml"))
    command = [sys.executable, "-m", "newsfuse.cli", "--config", config, "ingest", *map(str, paths), "--db", str(db),
               "--workers", "1"]  # fmt: skip
    done = subprocess.run(command, env=_env(), capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr[-2000:]


def ingest_killed(db: Path, stage: str, count: int, *paths: Path) -> None:
    """The same ingest, killed with SIGKILL once ``count`` items of ``stage`` are done."""
    config = str(paths[0].with_name("newsfuse.toml"))
    command = [sys.executable, str(HERE / "ingest_until_killed.py"), config, str(db), stage, str(count), "1",
               *map(str, paths)]  # fmt: skip
    done = subprocess.run(command, env=_env(), capture_output=True, text=True, check=False)
    assert done.returncode == -signal.SIGKILL, done.stderr[-2000:]


def state(db: Path) -> dict[str, str]:
    """Hashes of the sorted event memberships, claims and stories of ``db``, and their counts."""
    with sqlite3.connect(db) as conn:
        members: dict[str, list[str]] = {}
        for event, article in conn.execute("SELECT event_id, article_id FROM event_articles"):
            members.setdefault(event, []).append(article)
        memberships = sorted(",".join(sorted(m)) for m in members.values())
        claims = sorted(
            f"{e}|{k}|{s}|{d}" for e, k, s, d in conn.execute("SELECT event_id, kind, status, data FROM claims")
        )
        in_story: dict[str, list[str]] = {}
        for event, story in conn.execute("SELECT event_id, story_id FROM events"):
            in_story.setdefault(story, []).append(event)
        stories = sorted(
            f"{s}:{','.join(sorted(in_story.get(s, [])))}" for (s,) in conn.execute("SELECT story_id FROM stories")
        )
        unlinked = conn.execute("SELECT count(*) FROM events WHERE story_id = ''").fetchone()[0]
        articles = conn.execute("SELECT count(*) FROM articles").fetchone()[0]

    def digest(rows: list[str]) -> str:
        return f"{len(rows)}:{hashlib.sha256(chr(10).join(rows).encode()).hexdigest()[:16]}"

    return {"articles": str(articles), "events": digest(memberships), "claims": digest(claims),
            "stories": digest(stories), "unlinked": str(unlinked)}  # fmt: skip


@pytest.fixture(scope="module")
def clean(corpus: tuple[Path, Path], tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, str]]:
    """The states of runs never interrupted: everything into a fresh store, and early then late."""
    folder = tmp_path_factory.mktemp("clean")
    early, late = corpus
    ingest_command(folder / "fresh.db", early, late)
    ingest_command(folder / "events.db", early)
    ingest_command(folder / "events.db", late)
    return {"fresh": state(folder / "fresh.db"), "events": state(folder / "events.db")}


def _killed_then_rerun(tmp_path: Path, corpus: tuple[Path, Path], store: str, stage: str, count: int) -> dict[str, str]:
    early, late = corpus
    db = tmp_path / "killed.db"
    paths = (early, late) if store == "fresh" else (late,)
    if store == "events":
        ingest_command(db, early)
    ingest_killed(db, stage, count, *paths)
    ingest_command(db, *paths)  # the same command again
    return state(db)


def test_recovery_kill_in_grouping_of_a_fresh_store(tmp_path: Path, corpus: tuple[Path, Path]) -> None:
    early, _ = corpus
    ingest_command(tmp_path / "clean.db", early)
    clean = state(tmp_path / "clean.db")
    assert clean["unlinked"] == "0" and int(clean["events"].split(":")[0]) > 5
    ingest_killed(tmp_path / "killed.db", "reconciled", 1, early)
    assert state(tmp_path / "killed.db")["events"].startswith("0:")
    ingest_command(tmp_path / "killed.db", early)  # the same command again
    assert state(tmp_path / "killed.db") == clean


KILL_POINTS = [
    ("fresh", "read", 20),  # after the first chunk is stored
    ("fresh", "read", 100),
    ("fresh", "analysed", 20),
    ("fresh", "analysed", 120),
    ("fresh", "reconciled", 80),  # late in reconciling the regroup
    ("events", "read", 20),
    ("events", "analysed", 20),
    ("events", "analysed", 60),
    ("events", "reconciled", 1),  # in grouping the new articles
    ("events", "reconciled", 40),
]


@pytest.mark.slow
@pytest.mark.parametrize(("store", "stage", "count"), KILL_POINTS)
def test_recovery_kill_matrix(
    tmp_path: Path, corpus: tuple[Path, Path], clean: dict[str, dict[str, str]], store: str, stage: str, count: int
) -> None:
    assert _killed_then_rerun(tmp_path, corpus, store, stage, count) == clean[store]


def _split_by_source(late: Path) -> tuple[Path, Path]:
    lines = late.read_text().splitlines()
    bbc, reuters = late.with_name("late-bbc.jsonl"), late.with_name("late-reuters.jsonl")
    bbc.write_text("\n".join(x for x in lines if json.loads(x)["source"] == "bbc"))
    reuters.write_text("\n".join(x for x in lines if json.loads(x)["source"] != "bbc"))
    return bbc, reuters


def _copy(db: Path, target: Path) -> Path:
    for suffix in ("", "-wal"):
        if Path(f"{db}{suffix}").exists():
            shutil.copy(f"{db}{suffix}", f"{target}{suffix}")
    return target


@pytest.mark.slow
def test_recovery_two_concurrent_ingests_end_as_a_sequential_run(tmp_path: Path, corpus: tuple[Path, Path]) -> None:
    early, late = corpus
    first, second = _split_by_source(late)
    ingest_command(tmp_path / "seed.db", early)
    orders = {}
    for name, pair in (("ab", (first, second)), ("ba", (second, first))):
        db = _copy(tmp_path / "seed.db", tmp_path / f"{name}.db")
        for path in pair:
            ingest_command(db, path)
        orders[name] = state(db)
    db = _copy(tmp_path / "seed.db", tmp_path / "both.db")
    config = str(early.with_name("newsfuse.toml"))
    runs = [
        subprocess.Popen(
            [
                sys.executable,
                "-m",
                "newsfuse.cli",
                "--config",
                config,
                "ingest",
                str(path),
                "--db",
                str(db),
                "--workers",
                "1",
            ],
            env=_env(),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )  # fmt: skip
        for path in (first, second)
    ]
    outputs = [run.communicate(timeout=900) for run in runs]
    assert [run.returncode for run in runs] == [0, 0], outputs
    assert any("waiting for another newsfuse process" in err for _, err in outputs)
    assert state(db) in orders.values()


@pytest.mark.slow
def test_recovery_ingest_watch_and_upload_at_once(tmp_path: Path, corpus: tuple[Path, Path]) -> None:
    """An ingest, a watch and an upload writing one store at once: every article ends in exactly one event."""
    import threading
    import time

    import httpx
    import uvicorn

    from newsfuse.web.app import create_app

    early, late = corpus
    bbc, reuters = _split_by_source(late)
    lines = reuters.read_text().splitlines()
    watched = tmp_path / "watched"
    watched.mkdir()
    db = tmp_path / "shared.db"
    ingest_command(db, early)
    server = uvicorn.Server(
        uvicorn.Config(create_app(db, allow_ingest=True), host="127.0.0.1", port=0, log_level="warning")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.05)
    port = server.servers[0].sockets[0].getsockname()[1]
    config = str(early.with_name("newsfuse.toml"))
    cli = [sys.executable, "-m", "newsfuse.cli", "--config", config]
    (watched / "half.jsonl").write_text("\n".join(lines[: len(lines) // 2]))
    pipes = {"env": _env(), "stdout": subprocess.PIPE, "stderr": subprocess.PIPE, "text": True}
    runs = [
        subprocess.Popen([*cli, "ingest", str(bbc), "--db", str(db), "--workers", "1"], **pipes),
        subprocess.Popen([*cli, "watch", str(watched), "--db", str(db), "--polls", "1", "--workers", "1"], **pipes),
    ]
    upload = httpx.post(
        f"http://127.0.0.1:{port}/api/ingest", params={"name": "rest.jsonl"}, timeout=900,
        content="\n".join(lines[len(lines) // 2 :]), headers={"content-type": "application/octet-stream"},
    )  # fmt: skip
    outputs = [run.communicate(timeout=900) for run in runs]
    server.should_exit = True
    thread.join(timeout=10)
    assert upload.status_code == 200, upload.text
    assert [run.returncode for run in runs] == [0, 0], outputs
    with sqlite3.connect(db) as conn:
        articles = conn.execute("SELECT count(*) FROM articles").fetchone()[0]
        homes = dict(conn.execute("SELECT article_id, count(*) FROM event_articles GROUP BY article_id").fetchall())
        unlinked = conn.execute("SELECT count(*) FROM events WHERE story_id = ''").fetchone()[0]
    assert articles == len(early.read_text().splitlines()) + len(late.read_text().splitlines())
    assert len(homes) == articles and set(homes.values()) == {1} and unlinked == 0
