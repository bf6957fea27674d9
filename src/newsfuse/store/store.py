"""All SQL lives here.  One transaction per call that writes."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
from pydantic import TypeAdapter

from newsfuse.errors import InvalidInput, NotFound, StoreError
from newsfuse.models import Analysis, Article, Claim, Duplicate, Event, Extraction, Rejected
from newsfuse.store.migrations import migrate

_EXTRACTION = TypeAdapter(Extraction)
_CLAIM = TypeAdapter(Claim)


@dataclass(frozen=True, slots=True)
class SearchHit:
    """One full-text search result."""

    article_id: str
    source: str
    title: str
    published_at: datetime
    snippet: str
    event_id: str


def _ts(value: datetime) -> str:
    return value.astimezone(UTC).isoformat()


def _dt(value: str) -> datetime:
    return datetime.fromisoformat(value)


def _article(row: sqlite3.Row) -> Article:
    return Article(
        article_id=row["article_id"],
        source=row["source"],
        title=row["title"],
        text=row["text"],
        published_at=_dt(row["published_at"]),
        url=row["url"],
        language=row["language"],
        origin=row["origin"],
    )


class Store:
    """A newsfuse SQLite database file (created and migrated on open)."""

    def __init__(self, path: Path | str) -> None:
        self.path = str(path)
        try:
            self._conn = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False)
            self._conn.row_factory = sqlite3.Row
            self._conn.execute("PRAGMA foreign_keys = ON")
            self._conn.execute("PRAGMA journal_mode = WAL")
            self._conn.execute("PRAGMA synchronous = NORMAL")
            migrate(self._conn)
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"cannot open database {self.path}: {exc}") from exc

    def close(self) -> None:
        self._conn.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """Run a block atomically; any exception (Ctrl-C too) rolls it back."""
        self._conn.execute("BEGIN IMMEDIATE")
        try:
            yield self._conn
        except BaseException:
            self._conn.execute("ROLLBACK")
            raise
        self._conn.execute("COMMIT")

    # -- articles -----------------------------------------------------------
    def add_articles(self, articles: Sequence[Article], rejected: Sequence[Rejected], *, now: datetime) -> int:
        """Store new articles and rejections in one transaction; return how many were new."""
        with self.transaction() as conn:
            cursor = conn.executemany(
                "INSERT OR IGNORE INTO articles (article_id, source, title, text, published_at, url,"
                " language, origin, ingested_at) VALUES (?,?,?,?,?,?,?,?,?)",
                [
                    (
                        a.article_id,
                        a.source,
                        a.title,
                        a.text,
                        _ts(a.published_at),
                        a.url,
                        a.language,
                        a.origin,
                        _ts(now),
                    )
                    for a in articles
                ],
            )
            added = max(cursor.rowcount, 0)
            conn.executemany(
                "INSERT INTO rejections (origin, reason, at) VALUES (?,?,?)",
                [(r.origin, r.reason, _ts(now)) for r in rejected],
            )
        return added

    def count_articles(self) -> int:
        return int(self._conn.execute("SELECT count(*) FROM articles").fetchone()[0])

    def articles(self, article_ids: Iterable[str]) -> list[Article]:
        """The articles with these ids, oldest first."""
        ids = list(article_ids)
        rows: list[sqlite3.Row] = []
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            marks = ",".join("?" * len(chunk))
            rows += self._conn.execute(f"SELECT * FROM articles WHERE article_id IN ({marks})", chunk).fetchall()
        return sorted((_article(r) for r in rows), key=lambda a: (a.published_at, a.article_id))

    def pending_articles(self, limit: int) -> list[Article]:
        """Articles not analysed yet (or analysed by an older extractor)."""
        rows = self._conn.execute(
            "SELECT a.* FROM articles a LEFT JOIN analyses n USING (article_id)"
            " WHERE n.article_id IS NULL ORDER BY a.published_at, a.article_id LIMIT ?",
            (limit,),
        ).fetchall()
        return [_article(r) for r in rows]

    def article_meta(self) -> list[tuple[str, str, datetime]]:
        """(article_id, source, published_at) of every analysed article, oldest first."""
        rows = self._conn.execute(
            "SELECT article_id, source, published_at FROM articles JOIN analyses USING (article_id)"
            " ORDER BY published_at, article_id"
        ).fetchall()
        return [(r[0], r[1], _dt(r[2])) for r in rows]

    # -- analyses -----------------------------------------------------------
    def save_analyses(self, analyses: Sequence[Analysis]) -> None:
        with self.transaction() as conn:
            conn.executemany(
                "INSERT OR REPLACE INTO analyses (article_id, produced_by, extraction, minhash, embedding)"
                " VALUES (?,?,?,?,?)",
                [
                    (
                        a.extraction.article_id,
                        a.extraction.produced_by,
                        _EXTRACTION.dump_json(a.extraction).decode(),
                        np.asarray(a.minhash, dtype=np.uint32).tobytes(),
                        np.asarray(a.embedding, dtype=np.float32).tobytes(),
                    )
                    for a in analyses
                ],
            )

    def extractions(self, article_ids: Iterable[str]) -> dict[str, Extraction]:
        ids = list(article_ids)
        found: dict[str, Extraction] = {}
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            marks = ",".join("?" * len(chunk))
            for row in self._conn.execute(
                f"SELECT article_id, extraction FROM analyses WHERE article_id IN ({marks})", chunk
            ):
                found[row[0]] = _EXTRACTION.validate_json(row[1])
        return found

    def vectors(self, column: str) -> dict[str, np.ndarray]:
        """Every article's ``minhash`` or ``embedding`` as a numpy array."""
        if column not in ("minhash", "embedding"):
            raise InvalidInput(f"no vector column {column!r}")
        dtype = np.uint32 if column == "minhash" else np.float32
        return {
            r[0]: np.frombuffer(r[1], dtype=dtype)
            for r in self._conn.execute(f"SELECT article_id, {column} FROM analyses")
        }

    # -- duplicates, events, claims -----------------------------------------
    def replace_duplicates(self, duplicates: Sequence[Duplicate]) -> None:
        with self.transaction() as conn:
            conn.execute("DELETE FROM duplicates")
            conn.executemany(
                "INSERT INTO duplicates (article_id, original_id, similarity) VALUES (?,?,?)",
                [(d.article_id, d.original_id, d.similarity) for d in duplicates],
            )

    def duplicates(self) -> dict[str, str]:
        return {r[0]: r[1] for r in self._conn.execute("SELECT article_id, original_id FROM duplicates")}

    def replace_events(self, events: Sequence[Event], claims: Sequence[Claim]) -> None:
        """Swap in a new set of events and their claims atomically."""
        with self.transaction() as conn:
            conn.execute("DELETE FROM claims")
            conn.execute("DELETE FROM event_articles")
            conn.execute("DELETE FROM events")
            conn.executemany(
                "INSERT INTO events (event_id, label, first_published_at, last_published_at, produced_by)"
                " VALUES (?,?,?,?,?)",
                [
                    (e.event_id, e.label, _ts(e.first_published_at), _ts(e.last_published_at), e.produced_by)
                    for e in events
                ],
            )
            conn.executemany(
                "INSERT INTO event_articles (event_id, article_id) VALUES (?,?)",
                [(e.event_id, a) for e in events for a in e.article_ids],
            )
            conn.executemany(
                "INSERT INTO claims (claim_id, event_id, kind, status, data) VALUES (?,?,?,?,?)",
                [(c.claim_id, c.event_id, c.kind, c.status, _CLAIM.dump_json(c).decode()) for c in claims],
            )

    def _event_from_row(self, row: sqlite3.Row) -> Event:
        members = [
            r[0]
            for r in self._conn.execute(
                "SELECT article_id FROM event_articles JOIN articles USING (article_id)"
                " WHERE event_id = ? ORDER BY published_at, article_id",
                (row["event_id"],),
            )
        ]
        return Event(
            event_id=row["event_id"],
            label=row["label"],
            article_ids=tuple(members),
            first_published_at=_dt(row["first_published_at"]),
            last_published_at=_dt(row["last_published_at"]),
            produced_by=row["produced_by"],
        )

    def events(self, limit: int = 100) -> list[Event]:
        """Events, newest first."""
        rows = self._conn.execute(
            "SELECT * FROM events ORDER BY last_published_at DESC, event_id LIMIT ?", (limit,)
        ).fetchall()
        return [self._event_from_row(r) for r in rows]

    def event(self, event_id: str) -> Event:
        """The event with this id, or with this unique id prefix."""
        cleaned = event_id.strip().lower()
        if not cleaned or not all(c in "0123456789abcdef" for c in cleaned):
            raise NotFound(f"no event {event_id!r}")
        rows = self._conn.execute(
            "SELECT * FROM events WHERE event_id >= ? AND event_id < ? LIMIT 2", (cleaned, cleaned + "g")
        ).fetchall()
        if len(rows) != 1:
            raise NotFound(f"no event {event_id!r}" if not rows else f"event id prefix {event_id!r} is ambiguous")
        return self._event_from_row(rows[0])

    def claims(self, event_id: str) -> list[Claim]:
        rows = self._conn.execute("SELECT data FROM claims WHERE event_id = ? ORDER BY rowid", (event_id,))
        return [_CLAIM.validate_json(r[0]) for r in rows]

    def rejections(self) -> list[Rejected]:
        return [
            Rejected(r[0], r[1]) for r in self._conn.execute("SELECT origin, reason FROM rejections ORDER BY rowid")
        ]

    # -- search -------------------------------------------------------------
    def search(self, query: str, limit: int = 20) -> list[SearchHit]:
        """Full-text search; the query is taken as words, not FTS5 syntax."""
        words = [w for w in "".join(c if c.isalnum() else " " for c in query).split() if w]
        if not words:
            raise InvalidInput("empty search query")
        match = " ".join(f'"{w}"' for w in words)
        rows = self._conn.execute(
            "SELECT a.article_id, a.source, a.title, a.published_at,"
            " snippet(articles_fts, 1, '[', ']', ' … ', 16) AS snippet,"
            " coalesce((SELECT event_id FROM event_articles e WHERE e.article_id = a.article_id), '') AS event_id"
            " FROM articles_fts JOIN articles a ON a.rowid = articles_fts.rowid"
            " WHERE articles_fts MATCH ? ORDER BY rank LIMIT ?",
            (match, limit),
        ).fetchall()
        return [
            SearchHit(r["article_id"], r["source"], r["title"], _dt(r["published_at"]), r["snippet"], r["event_id"])
            for r in rows
        ]
