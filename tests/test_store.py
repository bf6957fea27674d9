from __future__ import annotations

import os
import shutil
import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import pytest

from newsfuse.errors import InvalidInput, NotFound, StoreError
from newsfuse.models import Article, ListFilter, Rejected
from newsfuse.store import Store
from newsfuse.store.migrations import MIGRATIONS

WHEN = datetime(2023, 10, 27, tzinfo=UTC)


def _article(n: int, text: str = "Flood waters rose across the Boukamal district overnight.") -> Article:
    return Article(f"id{n:04d}", "Outlet", f"Title {n}", f"{text} ({n})", WHEN)


def test_store_migrates_new_file_to_latest(tmp_path: Path) -> None:
    Store(tmp_path / "a.db").close()
    conn = sqlite3.connect(tmp_path / "a.db")
    assert conn.execute("PRAGMA user_version").fetchone()[0] == len(MIGRATIONS)


def test_store_refuses_foreign_database(tmp_path: Path) -> None:
    conn = sqlite3.connect(tmp_path / "other.db")
    conn.execute("CREATE TABLE x (y)")
    conn.commit()
    with pytest.raises(StoreError, match="not a newsfuse database"):
        Store(tmp_path / "other.db")


def test_store_refuses_non_sqlite_file(tmp_path: Path) -> None:
    (tmp_path / "junk.db").write_bytes(b"this is not a database" * 100)
    with pytest.raises(StoreError):
        Store(tmp_path / "junk.db")


def test_store_add_articles_is_idempotent(store: Store, now: datetime) -> None:
    assert store.add_articles([_article(1), _article(2)], [Rejected("x", "empty file")], now=now) == 2
    assert store.add_articles([_article(1), _article(2)], [], now=now) == 0
    assert store.count_articles() == 2
    assert store.rejections() == [Rejected("x", "empty file")]


def test_store_interrupted_transaction_keeps_earlier_batches(store: Store, now: datetime) -> None:
    store.add_articles([_article(1)], [], now=now)
    with pytest.raises(KeyboardInterrupt), store.transaction() as conn:
        conn.execute(
            "INSERT INTO articles (article_id, source, title, text, published_at, ingested_at)"
            " VALUES ('zz', 's', 't', 'x', '2023-01-01', '2023-01-01')"
        )
        raise KeyboardInterrupt
    assert store.count_articles() == 1
    assert [h.article_id for h in store.search("Boukamal")] == ["id0001"]


def test_store_search_is_words_not_syntax(store: Store, now: datetime) -> None:
    store.add_articles([_article(1), _article(2, "Quake hits the coast")], [], now=now)
    assert [h.article_id for h in store.search('quake" OR "flood')] == []
    assert [h.article_id for h in store.search("quake")] == ["id0002"]
    with pytest.raises(InvalidInput):
        store.search("  ***  ")


def test_store_indexes_each_new_article_once(tmp_path: Path, now: datetime) -> None:
    with Store(tmp_path / "a.db") as store:
        store.add_articles([_article(1)], [], now=now)
        store.add_articles([_article(1), _article(2, "Quake hits the coast"), _article(3)], [], now=now)
        assert [h.article_id for h in store.search("quake")] == ["id0002"]
        assert sorted(h.article_id for h in store.search("Boukamal")) == ["id0001", "id0003"]
    conn = sqlite3.connect(tmp_path / "a.db")
    conn.execute("INSERT INTO articles_fts (articles_fts, rank) VALUES ('integrity-check', 1)")  # index = content
    conn.execute("DELETE FROM articles WHERE article_id = 'id0002'")  # the delete trigger still runs
    conn.execute("INSERT INTO articles_fts (articles_fts, rank) VALUES ('integrity-check', 1)")


def test_store_unknown_event_not_found(store: Store) -> None:
    for bad in ("deadbeef", "", "'; DROP TABLE events; --"):
        with pytest.raises(NotFound):
            store.event(bad)


def test_store_read_only_refuses_missing_file_and_creates_nothing(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="no database at"):
        Store(tmp_path / "typo.db", read_only=True)
    assert not (tmp_path / "typo.db").exists()


def test_store_read_only_refuses_older_schema_and_writes_nothing(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    Store(path).close()
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {len(MIGRATIONS) - 1}")
    conn.commit()
    conn.close()
    before = path.read_bytes()
    with pytest.raises(StoreError, match="run `newsfuse regroup"):
        Store(path, read_only=True)
    assert path.read_bytes() == before


def test_store_read_only_reads_and_cannot_write(tmp_path: Path) -> None:
    path = tmp_path / "r.db"
    with Store(path) as writable:
        writable.add_articles([_article(1)], [], now=WHEN)
    with Store(path, read_only=True) as readable:
        assert readable.count_articles() == 1
        with pytest.raises(sqlite3.OperationalError, match="readonly"):
            readable.add_articles([_article(2)], [], now=WHEN)


def test_store_ambiguous_prefix_lists_the_candidates(store: Store) -> None:
    from newsfuse.encoding import ReconciledEvent
    from newsfuse.models import Event

    events = [Event(f"ab{n}0000000000000", f"Event {n}", (), WHEN, WHEN) for n in range(7)]
    store.replace_events(ReconciledEvent(e, []) for e in events)
    with pytest.raises(NotFound, match="ambiguous: ab00000000000000, ab10000000000000, .* and more"):
        store.event("ab")
    assert store.event("ab3").label == "Event 3"


def test_store_one_writer_at_a_time_readers_never_wait(tmp_path: Path) -> None:
    path = tmp_path / "locked.db"
    messages: list[str] = []
    with Store(path) as first, Store(path, writer_wait=0.4, on_wait=messages.append) as second:
        with first.writing():
            first.add_articles([_article(1)], [], now=WHEN)
            with Store(path, read_only=True) as reader:
                assert reader.count_articles() == 1  # a reader neither takes nor waits for the lock
            with pytest.raises(StoreError, match=rf"process \(pid {os.getpid()}\) is still writing"), second.writing():
                pass
            assert messages == [f"waiting for another newsfuse process (pid {os.getpid()}) writing to {path}"]
        with second.writing(), second.writing():  # free again, and re-entrant
            second.add_articles([_article(2)], [], now=WHEN)
    with Store(path, read_only=True) as reader:
        assert reader.count_articles() == 2


def test_store_rejections_recorded_once_and_migrated_once(tmp_path: Path) -> None:
    path = tmp_path / "v4.db"
    conn = sqlite3.connect(path, isolation_level=None)
    for migration in MIGRATIONS[:4]:
        conn.executescript(migration())
    conn.execute("PRAGMA user_version = 4")
    conn.executemany("INSERT INTO rejections (origin, reason, at) VALUES (?, ?, '')", [("a.txt", "empty file")] * 3)
    conn.close()
    with Store(path) as store:  # schema v5 keeps one of each
        assert store.rejections() == [Rejected("a.txt", "empty file", "internal_error")]
        added, new = store.add_batch(
            [], [Rejected("a.txt", "empty file", "empty_file"), Rejected("b", "x", "binary")], now=WHEN
        )
        assert (added, new) == (0, [Rejected("b", "x", "binary")])
        assert len(store.rejections()) == 2


def test_store_v8_counts_each_events_contested_claims_also_when_migrated(tmp_path: Path, sample_db: Path) -> None:
    path = tmp_path / "v7.db"
    shutil.copy(sample_db, path)
    conn = sqlite3.connect(path, isolation_level=None)
    for statement in (
        "DROP INDEX events_contested", "DROP INDEX articles_outlet", "DROP INDEX articles_source",
        "ALTER TABLE events DROP COLUMN conflicting", "ALTER TABLE events DROP COLUMN updated",
        "PRAGMA user_version = 7",
    ):  # fmt: skip
        conn.execute(statement)
    conn.close()
    with Store(path) as store:  # the v8 migration fills the counts from the stored claims
        migrated = store.list_events(ListFilter(status="conflicting"), 100)[0]
    with Store(sample_db, read_only=True) as store:
        written = store.list_events(ListFilter(status="conflicting"), 100)[0]
        events = store.events(1000)
        expected = {e.event_id for e in events if any(c.status == "conflicting" for c in store.claims(e.event_id))}
        facets = {f.value: f.count for f in store.event_facets(ListFilter()) if f.field == "status"}
    assert expected and {e.event_id for e in migrated} == {e.event_id for e in written} == expected
    assert facets["conflicting"] == len(expected)
