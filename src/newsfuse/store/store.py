"""All SQL lives here.  One transaction per call that writes."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import UTC, date, datetime
from itertools import islice
from pathlib import Path
from typing import Literal

import numpy as np

from newsfuse.encoding import (
    ANALYSIS_COLUMNS,
    VECTOR_TYPES,
    EncodedAnalysis,
    ReconciledEvent,
    decode_claim,
    decode_extraction,
    decode_vector,
    encode_analysis,
    unpack_profile,
)
from newsfuse.errors import InvalidInput, NotFound, StoreError
from newsfuse.models import Analysis, Article, Claim, Duplicate, Event, Extraction, Profile, Rejected, SearchHit, Story
from newsfuse.store.migrations import MIGRATIONS, migrate

_CACHE_KIB = -128 * 1024  # page cache of 128 MiB (the default 2 MiB thrashes on inserts into indexes of text keys)


def _ts(value: datetime) -> str:
    return value.astimezone(UTC).isoformat()


def _dt(value: str) -> datetime:
    return datetime.fromisoformat(value)


EXPORT_TABLES = (
    "articles", "analyses", "duplicates", "events", "event_articles", "claims", "stories", "rejections"
)  # fmt: skip
# an article needs analysing: none stored, another extractor version's, or one from before profiles
_PENDING = "(n.article_id IS NULL OR n.produced_by != ? OR length(n.profile) = 0)"


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
    """A newsfuse SQLite database file: created and migrated on open, or with ``read_only`` opened
    as it is (``StoreError`` when it is missing or has an older schema; nothing is ever written)."""

    def __init__(self, path: Path | str, *, read_only: bool = False) -> None:
        self.path = str(path)
        if read_only and not Path(path).is_file():
            raise StoreError(f"no database at {self.path} (run `newsfuse ingest PATH --db {self.path}` first)")
        try:
            if read_only:
                uri = f"{Path(path).resolve().as_uri()}?mode=ro"
                self._conn = sqlite3.connect(uri, uri=True, isolation_level=None, check_same_thread=False)
            else:
                self._conn = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False)
            self._conn.row_factory = sqlite3.Row
            self._conn.execute("PRAGMA foreign_keys = ON")
            self._conn.execute(f"PRAGMA cache_size = {_CACHE_KIB}")
            if read_only:
                self._check_schema()
            else:
                self._conn.execute("PRAGMA journal_mode = WAL")
                self._conn.execute("PRAGMA synchronous = NORMAL")
                migrate(self._conn)
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"cannot open database {self.path}: {exc}") from exc

    def _check_schema(self) -> None:
        version = int(self._conn.execute("PRAGMA user_version").fetchone()[0])
        if version == 0:
            raise StoreError(f"{self.path} is not a newsfuse database")
        if version != len(MIGRATIONS):
            raise StoreError(
                f"{self.path} has schema v{version}, this newsfuse reads v{len(MIGRATIONS)}"
                + (f" (run `newsfuse regroup --db {self.path}` to upgrade it)" if version < len(MIGRATIONS) else "")
            )

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
        """Store new articles and rejections in one transaction; return how many were new.

        New rows take rowids above the largest one, which is how they are found for the full-text index."""
        with self.transaction() as conn:
            last = conn.execute("SELECT coalesce(max(rowid), 0) FROM articles").fetchone()[0]
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
            conn.execute(
                "INSERT INTO articles_fts (rowid, title, text) SELECT rowid, title, text FROM articles WHERE rowid > ?",
                (last,),
            )
            conn.executemany(
                "INSERT INTO rejections (origin, reason, at) VALUES (?,?,?)",
                [(r.origin, r.reason, _ts(now)) for r in rejected],
            )
        return added

    def count_articles(self) -> int:
        return int(self._conn.execute("SELECT count(*) FROM articles").fetchone()[0])

    def _rows_in(self, sql: str, ids: Iterable[str], *params: object) -> Iterator[sqlite3.Row]:
        """Rows of ``sql`` (whose ``{marks}`` is an ``IN`` list) for ``ids``, 500 ids per query;
        ``params`` follow the ids."""
        wanted = list(ids)
        for start in range(0, len(wanted), 500):
            chunk = wanted[start : start + 500]
            yield from self._conn.execute(sql.format(marks=",".join("?" * len(chunk))), [*chunk, *params])

    def articles(self, article_ids: Iterable[str], *, text: bool = True) -> list[Article]:
        """The articles with these ids, oldest first (with ``text=False`` their ``text`` is left empty:
        reconciling needs only who published what when, and article texts are most of the bytes)."""
        columns = "*" if text else "article_id, source, title, '' AS text, published_at, url, language, origin"
        rows = self._rows_in(f"SELECT {columns} FROM articles WHERE article_id IN ({{marks}})", article_ids)
        return sorted((_article(r) for r in rows), key=lambda a: (a.published_at, a.article_id))

    def pending_ids(self, produced_by: str) -> list[str]:
        """Ids of articles not analysed yet, or analysed by another version of the extractor, oldest first."""
        rows = self._conn.execute(
            "SELECT a.article_id FROM articles a LEFT JOIN analyses n USING (article_id)"
            f" WHERE {_PENDING} ORDER BY a.published_at, a.article_id",
            (produced_by,),
        ).fetchall()
        return [r[0] for r in rows]

    def pending_among(self, article_ids: Iterable[str], produced_by: str) -> list[str]:
        """Those of ``article_ids`` (in their order) that ``pending_ids`` would list."""
        ids = list(article_ids)
        sql = (
            "SELECT a.article_id FROM articles a LEFT JOIN analyses n USING (article_id)"
            f" WHERE a.article_id IN ({{marks}}) AND {_PENDING}"
        )
        pending = {r[0] for r in self._rows_in(sql, ids, produced_by)}
        return [a for a in ids if a in pending]

    def article_meta(self) -> list[tuple[str, str, datetime, str]]:
        """(article_id, source, published_at, title) of every analysed article, oldest first."""
        rows = self._conn.execute(
            "SELECT article_id, source, published_at, title FROM articles JOIN analyses USING (article_id)"
            " ORDER BY published_at, article_id"
        ).fetchall()
        return [(r[0], r[1], _dt(r[2]), r[3]) for r in rows]

    def leads(self, chars: int) -> dict[str, str]:
        """The first ``chars`` characters of every article's text."""
        return dict(self._conn.execute("SELECT article_id, substr(text, 1, ?) FROM articles", (chars,)).fetchall())

    # -- analyses -----------------------------------------------------------
    def save_analyses(self, analyses: Sequence[Analysis]) -> None:
        self.save_encoded_analyses([encode_analysis(a) for a in analyses])

    def save_encoded_analyses(self, rows: Sequence[EncodedAnalysis]) -> None:
        """Store analyses already encoded (as workers send them)."""
        with self.transaction() as conn:
            conn.executemany(
                f"INSERT OR REPLACE INTO analyses ({', '.join(ANALYSIS_COLUMNS)}) VALUES (?,?,?,?,?,?)", rows
            )

    def table_batches(self, table: str, size: int = 10_000) -> Iterator[tuple[list[str], list[tuple[object, ...]]]]:
        """Every row of one of ``EXPORT_TABLES`` as (column names, rows), ``size`` rows at a time."""
        if table not in EXPORT_TABLES:
            raise InvalidInput(f"cannot export table {table!r}")
        cursor = self._conn.execute(f"SELECT * FROM {table}")
        columns = [d[0] for d in cursor.description]
        while rows := cursor.fetchmany(size):
            yield columns, [tuple(r) for r in rows]

    def extractions(self, article_ids: Iterable[str]) -> dict[str, Extraction]:
        return {a: decode_extraction(raw) for a, raw in self.extraction_json(article_ids).items()}

    def extraction_json(self, article_ids: Iterable[str]) -> dict[str, str]:
        """The stored JSON of these articles' extractions (``newsfuse.encoding.decode_extraction`` reads it)."""
        sql = "SELECT article_id, extraction FROM analyses WHERE article_id IN ({marks})"
        return {r[0]: r[1] for r in self._rows_in(sql, article_ids)}

    def vectors(self, column: Literal["minhash", "embedding"]) -> dict[str, np.ndarray]:
        """Every article's ``minhash`` or ``embedding`` as a numpy array."""
        if column not in VECTOR_TYPES:
            raise InvalidInput(f"no vector column {column!r}")
        return {
            r[0]: decode_vector(r[1], column) for r in self._conn.execute(f"SELECT article_id, {column} FROM analyses")
        }

    def profiles(self, article_ids: Iterable[str] | None = None) -> dict[str, Profile]:
        """Grouping profiles of the given (default: all) analysed articles."""
        if article_ids is None:
            rows = self._conn.execute("SELECT article_id, profile FROM analyses").fetchall()
        else:
            rows = list(
                self._rows_in("SELECT article_id, profile FROM analyses WHERE article_id IN ({marks})", article_ids)
            )
        return {r[0]: unpack_profile(r[1]) for r in rows}

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

    def replace_events(
        self,
        reconciled: Iterable[ReconciledEvent],
        *,
        removed: Iterable[str] | None = None,
        versions: Mapping[str, str] | None = None,
    ) -> list[Event]:
        """Write events and their (encoded) claims atomically; return the events written.

        With ``removed=None`` every stored event is replaced; otherwise the ``removed`` ids are deleted
        first (an update). ``reconciled`` is read lazily and written a chunk at a time, so the claims
        of a whole-corpus regroup never sit in memory together.  ``versions`` (stage -> version) are
        recorded as the makers of the rows in the same transaction."""
        written: list[Event] = []
        with self.transaction() as conn:
            if removed is None:
                conn.execute("DELETE FROM claims")
                conn.execute("DELETE FROM event_articles")
                conn.execute("DELETE FROM events")
            else:
                gone = [(i,) for i in set(removed)]
                conn.executemany("DELETE FROM claims WHERE event_id = ?", gone)
                conn.executemany("DELETE FROM event_articles WHERE event_id = ?", gone)
                conn.executemany("DELETE FROM events WHERE event_id = ?", gone)
            iterator = iter(reconciled)
            while chunk := list(islice(iterator, 1000)):
                self._insert_events(conn, chunk)
                written += [e for e, _ in chunk]
            self._record_versions(conn, versions or {})
        return written

    @staticmethod
    def _record_versions(conn: sqlite3.Connection, versions: Mapping[str, str]) -> None:
        conn.executemany("INSERT OR REPLACE INTO stage_versions (stage, version) VALUES (?,?)", versions.items())

    def stage_versions(self) -> dict[str, str]:
        """Which version of each stage made the stored rows (as recorded with them)."""
        return {r[0]: r[1] for r in self._conn.execute("SELECT stage, version FROM stage_versions")}

    @staticmethod
    def _insert_events(conn: sqlite3.Connection, chunk: Sequence[ReconciledEvent]) -> None:
        conn.executemany(
            "INSERT INTO events (event_id, label, first_published_at, last_published_at, produced_by, day,"
            " place, story_id) VALUES (?,?,?,?,?,?,?,?)",
            [
                (
                    e.event_id,
                    e.label,
                    _ts(e.first_published_at),
                    _ts(e.last_published_at),
                    e.produced_by,
                    e.day.isoformat() if e.day else "",
                    e.place,
                    e.story_id,
                )
                for e, _ in chunk
            ],  # fmt: skip
        )
        conn.executemany(
            "INSERT INTO event_articles (event_id, article_id) VALUES (?,?)",
            [(e.event_id, a) for e, _ in chunk for a in e.article_ids],
        )
        conn.executemany(
            "INSERT INTO claims (claim_id, event_id, kind, status, data) VALUES (?,?,?,?,?)",
            [row for _, rows in chunk for row in rows],
        )

    def replace_stories(self, stories: Sequence[Story], *, versions: Mapping[str, str] | None = None) -> None:
        """Swap in a new set of stories and point each event at its story (``versions`` as in
        ``replace_events``)."""
        with self.transaction() as conn:
            self._record_versions(conn, versions or {})
            conn.execute("DELETE FROM stories")
            conn.execute("UPDATE events SET story_id = ''")
            conn.executemany(
                "INSERT INTO stories (story_id, label, first_published_at, last_published_at, produced_by)"
                " VALUES (?,?,?,?,?)",
                [
                    (s.story_id, s.label, _ts(s.first_published_at), _ts(s.last_published_at), s.produced_by)
                    for s in stories
                ],
            )
            conn.executemany(
                "UPDATE events SET story_id = ? WHERE event_id = ?",
                [(s.story_id, e) for s in stories for e in s.event_ids],
            )

    def stories(self, limit: int = 100) -> list[Story]:
        """Stories, newest first."""
        rows = self._conn.execute(
            "SELECT * FROM stories ORDER BY last_published_at DESC, story_id LIMIT ?", (limit,)
        ).fetchall()
        return [self._story_from_row(r) for r in rows]

    def story(self, story_id: str) -> Story:
        """The story with this id or unique id prefix, or the one an older story id now redirects to."""
        row = self._followed("stories", "story_id", story_id, "story")
        return self._story_from_row(row)

    def _story_from_row(self, row: sqlite3.Row) -> Story:
        events = [
            r[0]
            for r in self._conn.execute(
                "SELECT event_id FROM events WHERE story_id = ? ORDER BY first_published_at, event_id",
                (row["story_id"],),
            )
        ]
        return Story(
            story_id=row["story_id"],
            label=row["label"],
            event_ids=tuple(events),
            first_published_at=_dt(row["first_published_at"]),
            last_published_at=_dt(row["last_published_at"]),
            produced_by=row["produced_by"],
        )

    def events_since(self, when: datetime) -> list[Event]:
        """Events whose last article is at or after ``when`` (the ones a new article may join)."""
        rows = self._conn.execute("SELECT * FROM events WHERE last_published_at >= ?", (_ts(when),)).fetchall()
        return self._events_from_rows(rows)

    def source_counts(self, event_ids: Sequence[str]) -> dict[str, int]:
        """How many distinct outlets each event's articles come from."""
        sql = (
            "SELECT event_id, count(DISTINCT source) FROM event_articles JOIN articles USING (article_id)"
            " WHERE event_id IN ({marks}) GROUP BY event_id"
        )
        return {r[0]: r[1] for r in self._rows_in(sql, event_ids)}

    def status_counts(self, event_ids: Sequence[str], status: str) -> dict[str, int]:
        """How many claims of each event have ``status``."""
        sql = "SELECT event_id, count(*) FROM claims WHERE event_id IN ({marks}) AND status = ? GROUP BY event_id"
        return {r[0]: r[1] for r in self._rows_in(sql, event_ids, status)}

    def count_events(self) -> int:
        return int(self._conn.execute("SELECT count(*) FROM events").fetchone()[0])

    def count_claims(self) -> int:
        return int(self._conn.execute("SELECT count(*) FROM claims").fetchone()[0])

    def _members(self, event_ids: Sequence[str]) -> dict[str, list[str]]:
        """The article ids of each event, oldest first (a query per 500 events, not per event)."""
        members: dict[str, list[str]] = {e: [] for e in event_ids}
        sql = (
            "SELECT event_id, article_id FROM event_articles JOIN articles USING (article_id)"
            " WHERE event_id IN ({marks}) ORDER BY published_at, article_id"
        )
        for event_id, article_id in self._rows_in(sql, event_ids):
            members[event_id].append(article_id)
        return members

    def _events_from_rows(self, rows: Sequence[sqlite3.Row]) -> list[Event]:
        members = self._members([r["event_id"] for r in rows])
        return [
            Event(
                event_id=row["event_id"],
                label=row["label"],
                article_ids=tuple(members[row["event_id"]]),
                first_published_at=_dt(row["first_published_at"]),
                last_published_at=_dt(row["last_published_at"]),
                produced_by=row["produced_by"],
                day=date.fromisoformat(row["day"]) if row["day"] else None,
                place=row["place"],
                story_id=row["story_id"],
            )
            for row in rows
        ]

    def events(self, limit: int = 100) -> list[Event]:
        """Events, newest first."""
        rows = self._conn.execute(
            "SELECT * FROM events ORDER BY last_published_at DESC, event_id LIMIT ?", (limit,)
        ).fetchall()
        return self._events_from_rows(rows)

    def _by_prefix(self, table: str, column: str, wanted: str, what: str) -> sqlite3.Row:
        cleaned = wanted.strip().lower()
        if not cleaned or not all(c in "0123456789abcdef" for c in cleaned):
            raise NotFound(f"no {what} {wanted!r}")
        rows = self._conn.execute(
            f"SELECT * FROM {table} WHERE {column} >= ? AND {column} < ? LIMIT 2", (cleaned, cleaned + "g")
        ).fetchall()
        if len(rows) != 1:
            raise NotFound(f"no {what} {wanted!r}" if not rows else f"{what} id prefix {wanted!r} is ambiguous")
        return rows[0]  # type: ignore[no-any-return]

    def event(self, event_id: str) -> Event:
        """The event with this id or unique id prefix, or the one an older event id now redirects to."""
        return self._events_from_rows([self._followed("events", "event_id", event_id, "event")])[0]

    def _followed(self, table: str, column: str, wanted: str, kind: Literal["event", "story"]) -> sqlite3.Row:
        """``_by_prefix``, falling back to the redirect of an id that is no longer stored."""
        try:
            return self._by_prefix(table, column, wanted, kind)
        except NotFound:
            cleaned = wanted.strip().lower()
            moved = self._conn.execute(
                "SELECT DISTINCT new_id FROM redirects WHERE kind = ? AND old_id >= ? AND old_id < ? LIMIT 2",
                (kind, cleaned, cleaned + "g"),
            ).fetchall()
            if len(moved) != 1:
                raise
            return self._by_prefix(table, column, moved[0][0], kind)

    def memberships(self) -> tuple[dict[str, list[str]], dict[str, list[str]]]:
        """The article ids of every stored event and of every stored story."""
        events: dict[str, list[str]] = {}
        stories: dict[str, list[str]] = {}
        rows = self._conn.execute(
            "SELECT event_id, story_id, article_id FROM event_articles JOIN events USING (event_id)"
        )
        for event_id, story_id, article_id in rows:
            events.setdefault(event_id, []).append(article_id)
            if story_id:
                stories.setdefault(story_id, []).append(article_id)
        return events, stories

    def save_redirects(self, kind: Literal["event", "story"], successors: Mapping[str, str]) -> None:
        """Point ids that are gone (and the redirects that led to them) at their successors; an id that is
        stored again loses its redirect."""
        table, column = ("events", "event_id") if kind == "event" else ("stories", "story_id")
        with self.transaction() as conn:
            conn.executemany(
                "UPDATE redirects SET new_id = ? WHERE kind = ? AND new_id = ?",
                [(new, kind, old) for old, new in successors.items()],
            )
            conn.executemany(
                "INSERT OR REPLACE INTO redirects (old_id, kind, new_id) VALUES (?,?,?)",
                [(old, kind, new) for old, new in successors.items()],
            )
            conn.execute(f"DELETE FROM redirects WHERE kind = ? AND old_id IN (SELECT {column} FROM {table})", (kind,))

    def claims(self, event_id: str) -> list[Claim]:
        rows = self._conn.execute("SELECT data FROM claims WHERE event_id = ? ORDER BY rowid", (event_id,))
        return [decode_claim(r[0]) for r in rows]

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
